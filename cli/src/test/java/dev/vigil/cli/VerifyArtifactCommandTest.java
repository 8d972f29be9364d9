package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.artifact.ArtifactVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyArtifactCommandTest {

  @Test
  void flagsAFileWhoseHashAFeedListsAndPassesAKnownGoodOne(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("trivy_0.69.4_Linux-64bit.tar.gz");
    Files.write(bad, "pretend trojanised trivy".getBytes());
    Path good = dir.resolve("trivy_0.69.3_Linux-64bit.tar.gz");
    Files.write(good, "pretend clean trivy".getBytes());
    Path other = dir.resolve("other.bin");
    Files.write(other, "something else".getBytes());
    String badSha = ArtifactVerifier.sha256(bad);
    Path feed = dir.resolve("feed.json");
    Files.writeString(feed, """
        {"format": "vigil-ioc-feed", "format_version": 1, "feed": {"id": "test-feed"},
         "compromised_artifacts": [{"name": "trivy_0.69.4_Linux-64bit.tar.gz", "kind": "archive",
           "product": "trivy", "version": "0.69.4", "sha256": "%s", "confidence": "confirmed"}]}
        """.formatted(badSha));
    Path lock = dir.resolve("vigil-ci.lock.json");
    CliRun locked = CliRun.of("audit-ci", "lock", "--artifact", good.toString(), "--out", lock.toString());
    assertThat(locked.code()).isEqualTo(ExitCode.OK);
    assertThat(locked.err()).contains("1 artifacts");

    CliRun r = CliRun.of("verify-artifact", bad.toString(), good.toString(), other.toString(), "--feed",
        feed.toString(), "--lock", lock.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).startsWith("COMPROMISED  " + bad + "  sha256:" + badSha)
        .contains("trivy_0.69.4_Linux-64bit.tar.gz (trivy 0.69.4), feed test-feed");
    assertThat(lines[1]).startsWith("KNOWN-GOOD   " + good).contains("known-good lock entry");
    assertThat(lines[2]).startsWith("UNKNOWN      " + other);

    CliRun clean = CliRun.of("verify-artifact", good.toString(), "--feed", feed.toString(), "--lock",
        lock.toString(), "--format", "json");
    assertThat(clean.code()).isEqualTo(ExitCode.OK);
    assertThat(clean.out()).contains("\"verdict\" : \"known-good\"");
  }

  @Test
  void bundledFeedHashesAreKnownWithoutExtraFeeds(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x");
    Files.write(f, new byte[] {1, 2, 3});
    CliRun r = CliRun.of("verify-artifact", f.toString(), dir.resolve("missing").toString());
    assertThat(r.code()).isEqualTo(ExitCode.PARTIAL_INPUT);
    assertThat(r.err()).contains("missing: no such file");
    assertThat(r.out()).startsWith("UNKNOWN");
  }

  @Test
  void badFeedIsAUsageError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x");
    Files.write(f, new byte[] {1});
    Path feed = dir.resolve("bad.json");
    Files.writeString(feed, "{nope");
    CliRun r = CliRun.of("verify-artifact", f.toString(), "--feed", feed.toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("vigil: error: " + feed + ": not valid JSON");
  }
}
