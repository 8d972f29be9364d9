package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class VigilFlinkJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A test detector: one alert per GetCallerIdentity call (a credential check). */
  static Detector credentialCheck() {
    return (event, alerts) -> {
      if ("GetCallerIdentity".equals(event.action())) {
        alerts.accept(new Alert("test.credential-check", "credential check", Severity.MEDIUM, List.of("T1078"),
            List.of(), null, event.time(), List.of(event), "behaviour", List.of(), Map.of()));
      }
    };
  }

  static String record(String id, String key, String action, String time) {
    return "{\"eventVersion\":\"1.08\",\"eventTime\":\"" + time + "\",\"eventSource\":\"sts.amazonaws.com\","
        + "\"eventName\":\"" + action + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"203.0.113.7\","
        + "\"eventID\":\"" + id + "\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":{\"type\":\"IAMUser\","
        + "\"arn\":\"arn:aws:iam::111122223333:user/ci\",\"accountId\":\"111122223333\",\"accessKeyId\":\"" + key + "\"}}";
  }

  @Test
  void filesInSameAlertsAsInProcessDetector(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/19"));
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String action = i % 7 == 0 ? "GetCallerIdentity" : "ListBuckets";
      // out of order by up to a few minutes, as CloudTrail delivers
      String time = String.format("2026-03-19T10:%02d:%02dZ", (i * 3) % 60, i % 60);
      records.add(record("ev-" + i, i % 2 == 0 ? "AKIAAAAAAAAAAAAAAAA1" : "AKIAAAAAAAAAAAAAAAA2", action, time));
    }
    Files.writeString(logs.resolve("a.json"), "{\"Records\":[" + String.join(",", records.subList(0, 20)) + "]}");
    Files.writeString(logs.resolve("b.json"), "{\"Records\":[" + String.join(",", records.subList(20, 40)) + "]}");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    var streams = VigilFlinkJob.wire(VigilFlinkJob.fileSource(env, dir.toString()),
        VigilFlinkJobTest::credentialCheck, Duration.ofMinutes(15));
    List<String> flinkAlerts = new ArrayList<>();
    streams.alerts().executeAndCollect().forEachRemaining(flinkAlerts::add);

    // the same detector in-process, as `vigil detect` runs it
    List<String> expected = new ArrayList<>();
    Detector inProcess = credentialCheck();
    for (String r : records) {
      AuditEvent e = CloudTrailNormalizer.normalize(JSON.readTree(r), new AuditEvent.Origin("test", 0));
      inProcess.accept(e, a -> expected.add(a.ruleId() + " " + a.trigger().eventId()));
    }
    assertThat(expected).containsExactlyInAnyOrder("test.credential-check ev-0", "test.credential-check ev-7",
        "test.credential-check ev-14", "test.credential-check ev-21", "test.credential-check ev-28",
        "test.credential-check ev-35");
    assertThat(summaries(flinkAlerts)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void malformedRecordsGoToDeadLetters() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<String> raw = env.fromData(
        record("ok-1", "AKIAAAAAAAAAAAAAAAA1", "GetCallerIdentity", "2026-03-19T10:00:00Z"),
        "{not json",
        "{\"Records\":{}}",
        "{\"Records\":[{\"eventName\":\"X\"}]}",
        record("ok-2", "AKIAAAAAAAAAAAAAAAA1", "GetCallerIdentity", "2026-03-19T10:01:00Z"));
    var streams = VigilFlinkJob.wire(raw, VigilFlinkJobTest::credentialCheck, Duration.ofMinutes(15));
    List<String> dead = new ArrayList<>();
    streams.deadLetters().executeAndCollect().forEachRemaining(dead::add);
    assertThat(dead).hasSize(3);
    assertThat(dead.get(0)).contains("not JSON");
    assertThat(dead.get(1)).contains("field Records: not an array");
    assertThat(JSON.readTree(dead.get(2)).get("reason").asText()).startsWith("record 0: field ");
  }

  static List<String> summaries(List<String> ocsf) throws Exception {
    List<String> out = new ArrayList<>();
    for (String s : ocsf) {
      JsonNode f = JSON.readTree(s);
      JsonNode events = f.path("finding_info").path("related_events");
      out.add(f.path("finding_info").path("analytic").path("uid").asText() + " "
          + events.get(events.size() - 1).path("uid").asText());
    }
    return out;
  }

  /**
   * Bad files among good ones, read from the S3 layout: a truncated gzip, a gzip of garbage and a record without its
   * event time become dead letters naming their file (and record and field); the good file's records are still
   * evaluated; side files outside the layout are not read at all; the job finishes instead of failing.
   */
  @Test
  void badFilesBecomeDeadLettersNamingTheFileAndTheRestIsRead(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/19"));
    byte[] gz = gzip("{\"Records\":[" + record("ok-1", "AKIAAAAAAAAAAAAAAAA1", "GetCallerIdentity",
        "2026-03-19T10:00:00Z") + "]}");
    Files.write(logs.resolve("111122223333_CloudTrail_eu-west-1_20260319T1000Z_good.json.gz"), gz);
    Files.write(logs.resolve("111122223333_CloudTrail_eu-west-1_20260319T1005Z_cut.json.gz"),
        java.util.Arrays.copyOf(gz, gz.length / 2));
    Files.write(logs.resolve("111122223333_CloudTrail_eu-west-1_20260319T1010Z_junk.json.gz"), gzip("garbage"));
    Files.writeString(logs.resolve("111122223333_CloudTrail_eu-west-1_20260319T1015Z_notime.json"),
        "{\"Records\":[{\"eventName\":\"X\"}]}");
    Files.writeString(dir.resolve("truth.json"), "{\"AWS_SECRET_ACCESS_KEY\":\"not a log\"}");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    var streams = VigilFlinkJob.wire(VigilFlinkJob.fileSource(env, dir.toString()),
        VigilFlinkJobTest::credentialCheck, Duration.ofMinutes(15));
    List<String> out = new ArrayList<>();
    streams.alerts().union(streams.deadLetters().map(d -> "DEAD " + d)).executeAndCollect().forEachRemaining(out::add);

    List<String> dead = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    for (String o : out) {
      if (o.startsWith("DEAD ")) {
        dead.add(JSON.readTree(o.substring(5)).get("reason").asText());
      } else {
        alerts.add(o);
      }
    }
    assertThat(summaries(alerts)).containsExactly("test.credential-check ok-1");
    assertThat(dead).hasSize(3).noneMatch(r -> r.contains("truth.json"));
    assertThat(dead).anyMatch(r -> r.contains("_cut.json.gz: truncated file"))
        .anyMatch(r -> r.contains("_junk.json.gz: not JSON"))
        .anyMatch(r -> r.contains("_notime.json: record 0: field eventTime"));
  }

  private static byte[] gzip(String s) throws java.io.IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.GZIPOutputStream(b)) {
      z.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }
}
