package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
  @TempDir Path dir;

  private static String record(String id, String ip) {
    return "{\"eventID\":\"" + id + "\",\"eventTime\":\"2026-03-19T10:00:0" + id.length() + "Z\","
        + "\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"GetCallerIdentity\",\"awsRegion\":\"eu-west-1\","
        + "\"sourceIPAddress\":\"" + ip + "\",\"userAgent\":\"TruffleHog\",\"recipientAccountId\":\"111122223333\","
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/ci\","
        + "\"accessKeyId\":\"AKIAEXAMPLEEXAMPLE22\",\"accountId\":\"111122223333\"}}";
  }

  @Test
  void jsonStatsCountEventsAndTopValues() throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), record("a", "198.51.100.1") + "\n" + record("bb", "198.51.100.1") + "\n"
        + record("ccc", "198.51.100.2"));
    CliRun run = CliRun.of("stats", dir.toString(), "--format", "json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("events").asLong()).isEqualTo(3);
    assertThat(json.get("quarantined").asLong()).isZero();
    assertThat(json.get("first").asText()).isEqualTo("2026-03-19T10:00:01Z");
    assertThat(json.get("last").asText()).isEqualTo("2026-03-19T10:00:03Z");
    assertThat(json.at("/source_ips/top/0/value").asText()).isEqualTo("198.51.100.1");
    assertThat(json.at("/source_ips/top/0/count").asLong()).isEqualTo(2);
    assertThat(json.at("/actions/top/0/value").asText()).isEqualTo("sts:GetCallerIdentity");
    assertThat(run.err()).contains("read 3 records from 1 file(s): 3 accepted, 0 quarantined");
  }

  @Test
  void badInputIsCountedReportedAndExitsThree() throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), record("a", "198.51.100.1") + "\n[1,2]\n{broken\n");
    Path quarantine = dir.resolve("q.jsonl");
    CliRun run = CliRun.of("stats", dir.resolve("a.jsonl").toString(), "--format", "json", "--quarantine",
        quarantine.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.PARTIAL_INPUT);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("events").asLong()).isEqualTo(1);
    assertThat(json.get("quarantined").asLong()).isEqualTo(2);
    assertThat(run.err()).contains("a.jsonl: record 1: record is not a JSON object but an array")
        .contains("a.jsonl: record 2: invalid JSON at line 3 column 2")
        .contains("1 accepted, 2 quarantined; rejected records in " + quarantine)
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(Files.readAllLines(quarantine)).hasSize(2);
  }

  @Test
  void userMistakesGiveOneLineAndExitTwo() {
    CliRun missing = CliRun.of("stats", dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err().strip()).isEqualTo("vigil: error: no such file or directory: " + dir.resolve("nope"));

    CliRun badFormat = CliRun.of("stats", dir.toString(), "--format", "xml");
    assertThat(badFormat.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badFormat.err()).startsWith("vigil: error: Invalid value for option '--format'")
        .contains("Try 'vigil stats --help' for usage.");

    CliRun empty = CliRun.of("stats", dir.toString());
    assertThat(empty.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(empty.err()).contains("vigil: error: no log files found in");
  }

  @Test
  void helpListsTheCommandsAndVersionPrints() {
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("stats").contains("detect").contains("Exit codes");
    CliRun version = CliRun.of("--version");
    assertThat(version.out()).startsWith("vigil ");
  }
}
