package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** detect --follow reads what is there, then the files that land later. */
class DetectFollowTest {
  @TempDir Path dir;

  private static String trufflehog(String id) {
    return "{\"eventID\":\"" + id + "\",\"eventTime\":\"2026-03-19T20:00:00Z\",\"eventSource\":\"sts.amazonaws.com\","
        + "\"eventName\":\"GetCallerIdentity\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"209.159.147.239\","
        + "\"userAgent\":\"TruffleHog\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":{\"type\":\"IAMUser\","
        + "\"arn\":\"arn:aws:iam::111122223333:user/ci\",\"accessKeyId\":\"AKIAEXAMPLEEXAMPLE22\","
        + "\"accountId\":\"111122223333\"}}\n";
  }

  @Test
  void filesThatLandWhileFollowingAreRead() throws Exception {
    Files.writeString(dir.resolve("1.jsonl"), trufflehog("before-start"));
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(500);
        Files.writeString(dir.resolve("2.jsonl"), trufflehog("landed-later"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    CliRun run = CliRun.of("detect", dir.toString(), "--follow", "--poll-seconds", "1", "--follow-polls", "5",
        "--no-behaviour", "--format", "jsonl", "--fold-minutes", "0"); // the same call twice: not folded here
    writer.join();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("\"uid\":\"before-start\"").contains("\"uid\":\"landed-later\"");
    assertThat(run.err()).contains("read 2 records from 2 file(s): 2 accepted, 0 quarantined");
  }
}
