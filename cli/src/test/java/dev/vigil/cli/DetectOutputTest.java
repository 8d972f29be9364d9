package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil detect --out} on a small hand-written breach: the files, the formats, the tenant map option. */
class DetectOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static ObjectNode rec(String id, int minute, String source, String action, String key, String ip, String ua) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.09");
    r.put("eventTime", String.format("2026-03-19T18:%02d:00Z", minute));
    r.put("eventID", id);
    r.put("eventSource", source);
    r.put("eventName", action);
    r.put("awsRegion", "eu-west-1");
    r.put("recipientAccountId", "111122223333");
    r.put("sourceIPAddress", ip);
    r.put("userAgent", ua);
    ObjectNode who = r.putObject("userIdentity");
    who.put("type", "IAMUser");
    who.put("accountId", "111122223333");
    who.put("arn", "arn:aws:iam::111122223333:user/ci-deploy");
    who.put("userName", "ci-deploy");
    who.put("accessKeyId", key);
    return r;
  }

  /** TruffleHog validation, a key created for another user, five reads with the new key from two tenants. */
  static Path breach(Path dir) throws IOException {
    ArrayNode records = JSON.createArrayNode();
    records.add(rec("e1", 1, "sts.amazonaws.com", "GetCallerIdentity", "AKIASTOLEN", "203.0.113.10",
        "TruffleHog"));
    ObjectNode create = rec("e2", 2, "iam.amazonaws.com", "CreateAccessKey", "AKIASTOLEN", "203.0.113.10",
        "aws-cli/2.15.0");
    create.putObject("requestParameters").put("userName", "web-admin");
    create.putObject("responseElements").putObject("accessKey").put("accessKeyId", "AKIANEW")
        .put("userName", "web-admin").put("status", "Active");
    records.add(create);
    for (int j = 0; j < 5; j++) {
      ObjectNode r = rec("r" + j, 3 + j, "s3.amazonaws.com", "GetObject", "AKIANEW", "203.0.113.77",
          "aws-cli/2.15.0");
      r.putObject("requestParameters").put("bucketName", j < 3 ? "europa-ewh-shared" : "europa-ewh-eea")
          .put("key", j < 3 ? "agri/mail/" + j + ".eml" : "mail/" + j + ".eml");
      r.putObject("additionalEventData").put("bytesTransferredOut", 1000 * (j + 1));
      records.add(r);
    }
    // a benign reader of the same buckets: not part of the incident
    ObjectNode benign = rec("b1", 9, "s3.amazonaws.com", "GetObject", "AKIABACKUP", "10.0.0.5", "aws-sdk-java/2.20");
    benign.putObject("requestParameters").put("bucketName", "europa-ewh-eea").put("key", "mail/x.eml");
    benign.putObject("additionalEventData").put("bytesTransferredOut", 123456);
    records.add(benign);
    ObjectNode root = JSON.createObjectNode();
    root.set("Records", records);
    Path file = dir.resolve("trail.json");
    Files.writeString(file, JSON.writeValueAsString(root));
    return file;
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = VigilCli.execute(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void outWritesAlertsIncidentsAndBothReports() throws IOException {
    Path logs = breach(dir);
    Path out = dir.resolve("out");
    Run r = run("detect", logs.toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(0);

    List<JsonNode> alerts = lines(out.resolve("alerts.jsonl"));
    assertThat(alerts).isNotEmpty().allSatisfy(a -> assertThat(a.get("class_uid").asInt()).isEqualTo(2004));
    // the TruffleHog rule fires on e1, and nothing points at the benign reader
    assertThat(alerts).anySatisfy(a -> {
      assertThat(a.at("/finding_info/analytic/uid").asText()).isEqualTo("a7eface6-0825-4cb7-b302-0bcaa1ce66c3");
      assertThat(a.at("/finding_info/related_events/0/uid").asText()).isEqualTo("e1");
    });
    assertThat(alerts).noneSatisfy(a -> assertThat(a.toString()).contains("\"b1\""));

    List<JsonNode> incidents = lines(out.resolve("incidents.jsonl"));
    assertThat(incidents).hasSize(1);
    JsonNode inc = incidents.get(0).at("/unmapped/vigil_incident");
    assertThat(incidents.get(0).get("class_uid").asInt()).isEqualTo(2005);
    assertThat(inc.at("/credentials/0/access_key_id").asText()).isEqualTo("AKIASTOLEN");
    assertThat(inc.at("/credentials/1/access_key_id").asText()).isEqualTo("AKIANEW");
    assertThat(inc.at("/credentials/1/role").asText()).isEqualTo("CREATED");
    // default tenant map: "shared" bucket → first prefix segment; other buckets → bucket name
    assertThat(inc.get("tenants").toString()).isEqualTo(
        "[{\"tenant\":\"europa-ewh-eea\",\"objects_read\":2,\"bytes_read\":9000,"
            + "\"first_read\":\"2026-03-19T18:06:00Z\",\"last_read\":\"2026-03-19T18:07:00Z\","
            + "\"addresses\":[\"203.0.113.77\"],\"buckets\":[\"europa-ewh-eea\"]},"
            + "{\"tenant\":\"agri\",\"objects_read\":3,\"bytes_read\":6000,"
            + "\"first_read\":\"2026-03-19T18:03:00Z\",\"last_read\":\"2026-03-19T18:05:00Z\","
            + "\"addresses\":[\"203.0.113.77\"],\"buckets\":[\"europa-ewh-shared\"]}]");

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("<svg class=\"chart\"", "AKIANEW", "e1", "e2").doesNotContain("http://", "https://");
    assertThat(Files.readString(out.resolve("report.md"))).contains("| agri | 3 | 6000 |");

    // text for people: one line per alert, then the incident
    assertThat(r.out()).contains("AWS Call Made by TruffleHog", "INCIDENT CRITICAL", "created key     AKIANEW");
    assertThat(r.err()).contains("1 incident(s); report in " + out.resolve("report.html"));
  }

  @Test
  void jsonlStreamsAlertsThenIncidentChanges() throws IOException {
    Path logs = breach(dir);
    Run r = run("detect", logs.toString(), "--format", "jsonl");
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : r.out().split("\n")) {
      lines.add(JSON.readTree(l));
    }
    assertThat(lines.get(0).get("class_uid").asInt()).isEqualTo(2004);
    List<String> incidentActivities = lines.stream().filter(l -> l.get("class_uid").asInt() == 2005)
        .map(l -> l.get("activity_name").asText()).toList();
    assertThat(incidentActivities.get(0)).isEqualTo("Create");
    assertThat(incidentActivities.subList(1, incidentActivities.size())).isNotEmpty().containsOnly("Update");
    // the last incident line holds the final figures
    JsonNode last = lines.stream().filter(l -> l.get("class_uid").asInt() == 2005).reduce((a, b) -> b).orElseThrow();
    assertThat(last.at("/unmapped/vigil_incident/bytes_read").asLong()).isEqualTo(15000);
  }

  @Test
  void aTenantFileRenamesTenantsAndABadOneIsAUserError() throws IOException {
    Path logs = breach(dir);
    Path map = dir.resolve("tenants.yaml");
    Files.writeString(map, "buckets:\n  europa-ewh-eea: European Environment Agency\nshared_buckets: [europa-ewh-shared]\n");
    Path out = dir.resolve("out");
    Run r = run("detect", logs.toString(), "--out", out.toString(), "--tenants", map.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    JsonNode inc = lines(out.resolve("incidents.jsonl")).get(0).at("/unmapped/vigil_incident");
    assertThat(inc.at("/tenants/0/tenant").asText()).isEqualTo("European Environment Agency");
    assertThat(inc.at("/tenants/1/tenant").asText()).isEqualTo("agri");

    Files.writeString(map, "bucketz: {}\n");
    Run bad = run("detect", logs.toString(), "--tenants", map.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("vigil: error: " + map + ": unknown section 'bucketz'").doesNotContain("Exception");
  }
}
