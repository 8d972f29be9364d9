package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeats of a rule for one key and address are folded into the first finding unless --fold-minutes 0. */
class DetectFoldTest {
  @TempDir Path dir;

  private static String trufflehog(String id, String time, String ip) {
    return "{\"eventID\":\"" + id + "\",\"eventTime\":\"" + time + "\",\"eventSource\":\"sts.amazonaws.com\","
        + "\"eventName\":\"GetCallerIdentity\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"" + ip + "\","
        + "\"userAgent\":\"TruffleHog\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":{\"type\":\"IAMUser\","
        + "\"arn\":\"arn:aws:iam::111122223333:user/ci\",\"accessKeyId\":\"AKIAEXAMPLEEXAMPLE22\","
        + "\"accountId\":\"111122223333\"}}\n";
  }

  @Test
  void repeatsAreFoldedByDefaultAndAllWrittenWithZero() throws Exception {
    Path logs = dir.resolve("calls.jsonl");
    Files.writeString(logs, trufflehog("t1", "2026-03-19T20:00:00Z", "209.159.147.239")
        + trufflehog("t2", "2026-03-19T20:05:00Z", "209.159.147.239")
        + trufflehog("t3", "2026-03-19T20:06:00Z", "209.159.147.239")
        + trufflehog("t4", "2026-03-19T20:07:00Z", "45.88.186.77")
        + trufflehog("t5", "2026-03-19T21:30:00Z", "209.159.147.239"));
    CliRun folded = CliRun.of("detect", logs.toString(), "--no-behaviour", "--format", "jsonl");
    assertThat(folded.exitCode()).isZero();
    // two bundled rules match each call: each reports t1 (first), t4 (new address), t5 (an hour later); t2 and t3 are repeats
    assertThat(folded.out()).contains("\"uid\":\"t1\"", "\"uid\":\"t4\"", "\"uid\":\"t5\"")
        .doesNotContain("\"uid\":\"t2\"", "\"uid\":\"t3\"");
    assertThat(folded.err()).contains("6 alert(s) (4 repeats folded into them)");

    CliRun every = CliRun.of("detect", logs.toString(), "--no-behaviour", "--format", "jsonl", "--fold-minutes", "0");
    assertThat(every.out()).contains("\"uid\":\"t1\"", "\"uid\":\"t2\"", "\"uid\":\"t3\"", "\"uid\":\"t4\"",
        "\"uid\":\"t5\"");
    assertThat(every.err()).doesNotContain("folded");

    CliRun bad = CliRun.of("detect", logs.toString(), "--fold-minutes", "-1");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--fold-minutes -1: must be 0 or more");
  }
}
