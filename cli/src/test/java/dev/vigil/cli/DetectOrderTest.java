package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --order event-time evaluates events in event-time order within --lateness-minutes; later ones are counted. */
class DetectOrderTest {
  @TempDir Path dir;

  private static String trufflehog(String id, String time) {
    return "{\"eventID\":\"" + id + "\",\"eventTime\":\"" + time + "\",\"eventSource\":\"sts.amazonaws.com\","
        + "\"eventName\":\"GetCallerIdentity\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"209.159.147.239\","
        + "\"userAgent\":\"TruffleHog\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":{\"type\":\"IAMUser\","
        + "\"arn\":\"arn:aws:iam::111122223333:user/ci\",\"accessKeyId\":\"AKIAEXAMPLEEXAMPLE22\","
        + "\"accountId\":\"111122223333\"}}\n";
  }

  @Test
  void eventTimeOrderEvaluatesTheEarlierCallFirstAndCountsLateOnes() throws Exception {
    // delivered out of order: the 20:05 call before the 20:00 one; then 21:30, then a call of 20:10 (80 minutes late)
    Path logs = dir.resolve("calls.jsonl");
    Files.writeString(logs, trufflehog("t2", "2026-03-19T20:05:00Z") + trufflehog("t1", "2026-03-19T20:00:00Z")
        + trufflehog("t5", "2026-03-19T21:30:00Z") + trufflehog("t6", "2026-03-19T20:10:00Z"));

    // as delivered: t2 is the first finding and t1, t6 are its repeats (folded)
    CliRun arrival = CliRun.of("detect", logs.toString(), "--no-behaviour", "--format", "jsonl");
    assertThat(arrival.exitCode()).isZero();
    assertThat(arrival.out()).contains("\"uid\":\"t2\"", "\"uid\":\"t5\"").doesNotContain("\"uid\":\"t1\"");

    // in event-time order: t1 comes first and t2 is its repeat; t6 is too late to be put back in order (evaluated
    // after t5, folded into t1's finding all the same) and counted
    CliRun ordered = CliRun.of("detect", logs.toString(), "--no-behaviour", "--format", "jsonl", "--order",
        "event-time", "--lateness-minutes", "10");
    assertThat(ordered.exitCode()).isZero();
    assertThat(ordered.out()).contains("\"uid\":\"t1\"", "\"uid\":\"t5\"").doesNotContain("\"uid\":\"t2\"");
    assertThat(ordered.err()).contains("1 event(s) came more than 10 minute(s) out of order");

    CliRun bad = CliRun.of("detect", logs.toString(), "--order", "time");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--order: give arrival or event-time, not time");
  }
}
