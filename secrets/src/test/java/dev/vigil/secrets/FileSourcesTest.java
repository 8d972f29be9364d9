package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain files are read into a buffer reused from file to file: a text is exactly its file, never what came before. */
class FileSourcesTest {
  @TempDir
  Path dir;

  @Test
  void aShorterFileAfterALongerOneIsOnlyItself() throws IOException {
    TestTokens t = new TestTokens(7);
    String token = t.github("ghp");
    Path big = dir.resolve("big.env");
    Files.writeString(big, "x=1\n".repeat(5000) + "GITHUB_TOKEN=" + token + "\n");
    Path small = dir.resolve("small.env");
    Files.writeString(small, "hello\n");
    Path empty = dir.resolve("empty.env");
    Files.writeString(empty, "");
    ScanReport report = new ScanReport();
    FileSources sources = new FileSources(SecretScan.Options.DEFAULT_MAX_FILE_BYTES, false, report);
    SecretScanner scanner = new SecretScanner(RuleSet.builtin());
    List<String> texts = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (Path p : List.of(big, small, empty)) {
      sources.read(p, (FileSources.Texts) (name, bytes, length) -> {
        texts.add(new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
        findings.addAll(scanner.scan(bytes, length, name));
      });
    }
    assertThat(texts).containsExactly(Files.readString(big), "hello\n", "");
    assertThat(findings).extracting(Finding::path).containsExactly(big.toString());
    assertThat(findings.get(0).secret()).isEqualTo(token);
    assertThat(findings.get(0).line()).isEqualTo(5001);
    assertThat(report.files()).isEqualTo(3);
    assertThat(report.bytes()).isEqualTo(Files.size(big) + 6);
  }
}
