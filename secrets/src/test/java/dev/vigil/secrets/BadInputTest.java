package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is reported with its path and reason, counted, and never stops the rest of the scan. */
class BadInputTest {
  @TempDir Path dir;
  final TestTokens t = new TestTokens(99);

  private SecretScan.Result scan(Path... paths) throws Exception {
    SecretScan.Options o = new SecretScan.Options(false, false, 1024 * 1024, 2);
    return new SecretScan(new SecretScanner(RuleSet.builtin()), o).run(List.of(paths), null, null);
  }

  private static byte[] zip(String name, String content) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("inner.zip"));
      z.write(new byte[] {'P', 'K', 3, 4});
      z.closeEntry();
    }
    return b.toByteArray();
  }

  private static byte[] tarGz(String name, String content) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    byte[] h = new byte[512];
    System.arraycopy(name.getBytes(StandardCharsets.UTF_8), 0, h, 0, name.length());
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", data.length));
    put(h, 136, "00000000000");
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(h);
      gz.write(data);
      gz.write(new byte[(512 - data.length % 512) % 512]);
      gz.write(new byte[1024]);
    }
    return b.toByteArray();
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  @Test
  void archivesAreReadOneLevelDeep() throws Exception {
    String inZip = t.github("ghp");
    String inTar = t.github("ghs");
    Files.write(dir.resolve("bundle.jar"), zip("config/app.properties", "token=" + inZip + "\n"));
    Files.write(dir.resolve("logs.tar.gz"), tarGz("run/1.log", "2026-03-19T10:00:00Z auth " + inTar + "\n"));
    SecretScan.Result r = scan(dir);
    assertThat(r.findings()).extracting(Finding::path, Finding::secret).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(dir.resolve("bundle.jar") + "!config/app.properties", inZip),
        org.assertj.core.groups.Tuple.tuple(dir.resolve("logs.tar.gz") + "!run/1.log", inTar));
    assertThat(r.report().skipped()).containsEntry("nested archive (one level deep only)", 1L);
    assertThat(r.report().problems()).isEmpty();
  }

  @Test
  void brokenArchivesBinaryBlobsAndHugeLinesAreHandled() throws Exception {
    String good = t.github("ghp");
    String inHugeLine = t.github("gho");
    String inBinary = t.github("ghu");
    Files.writeString(dir.resolve("ok.env"), "GITHUB_TOKEN=" + good + "\n");
    byte[] z = zip("a.txt", "x");
    Files.write(dir.resolve("broken.zip"), Arrays.copyOf(z, z.length / 2 + 3));
    Files.write(dir.resolve("garbage.tar.gz"), "this is not gzip at all".getBytes(StandardCharsets.UTF_8));
    byte[] bin = ("\0\0\0ELF" + inBinary).getBytes(StandardCharsets.ISO_8859_1);
    Files.write(dir.resolve("blob.bin"), bin);
    // one 600 KB line (minified bundle) with the token in the middle
    String filler = "a=1;".repeat(75_000);
    Files.writeString(dir.resolve("bundle.min.js"), filler + "var t=\"" + inHugeLine + "\";" + filler);
    Files.write(dir.resolve("too-big.log"), new byte[2 * 1024 * 1024]);

    SecretScan.Result r = scan(dir);
    assertThat(r.findings()).extracting(Finding::secret).containsExactlyInAnyOrder(good, inHugeLine);
    Finding huge = r.findings().stream().filter(f -> f.secret().equals(inHugeLine)).findFirst().orElseThrow();
    assertThat(huge.line()).isEqualTo(1);
    assertThat(huge.column()).isEqualTo(filler.length() + 8);
    assertThat(r.report().problems()).extracting(ScanReport.Problem::path).containsExactlyInAnyOrder(
        dir.resolve("broken.zip").toString(), dir.resolve("garbage.tar.gz").toString());
    assertThat(r.report().problems()).allSatisfy(p -> assertThat(p.reason()).startsWith("broken archive"));
    assertThat(r.report().skipped()).containsEntry("binary", 1L).containsEntry("over the size cap", 1L);
    assertThat(r.report().clean()).isFalse();
  }

  @Test
  void unreadableFileIsAProblemAndTheRestIsScanned() throws Exception {
    String good = t.github("ghp");
    Files.writeString(dir.resolve("ok.env"), "GITHUB_TOKEN=" + good + "\n");
    Path locked = dir.resolve("locked.env");
    Files.writeString(locked, "x");
    boolean chmodWorks = locked.toFile().setReadable(false, false) && !Files.isReadable(locked);
    // as root, permissions do not stop reads: a kernel file that fails on read stands in for an unreadable file
    Path unreadable = chmodWorks ? locked : Path.of("/proc/self/mem");
    SecretScan.Result r = scan(dir.resolve("ok.env"), unreadable);
    assertThat(r.findings()).extracting(Finding::secret).containsExactly(good);
    assertThat(r.report().problems()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo(unreadable.toString());
      assertThat(p.reason()).startsWith("cannot read");
    });
  }
}
