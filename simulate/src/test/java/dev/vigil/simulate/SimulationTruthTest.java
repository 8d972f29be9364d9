package dev.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.EventReader;
import dev.vigil.ingest.IngestReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a full-size simulated breach (71 tenants, 30 days) back with Vigil's own reader and checks that
 * truth.json tells exactly what is in the logs, and that the benign world has the properties detectors rely on.
 */
class SimulationTruthTest {

  @TempDir static Path dir;
  static JsonNode truth;
  static IngestReport report;
  static final List<AuditEvent> attackerEvents = new ArrayList<>();
  static final Set<String> allIds = new HashSet<>();
  static final Set<String> ciRunnerAddresses = new HashSet<>();
  static final Map<String, Set<String>> backupBucketsByNight = new HashMap<>();
  static final List<String> benignProblems = new ArrayList<>();
  static final List<String> persistenceKeyCreations = new ArrayList<>();
  static final List<String> benignKeyCreations = new ArrayList<>();
  static final Set<String> attackerIps = new HashSet<>();
  static long readOrderIndex;
  static long firstAttackerReadIndex = -1;
  static AuditEvent firstAttackerRead;
  static long dataEventsWithoutBytes;

  @BeforeAll
  static void simulateAndRead() throws IOException {
    EcBreachSimulation.write(dir, EcBreachSimulation.defaults().withSeed(7).withBackgroundEvents(60_000), null);
    truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
    Set<String> truthIds = new HashSet<>();
    truth.get("attacker_event_ids").forEach(n -> truthIds.add(n.asText()));
    truth.get("attacker_ips").forEach(n -> attackerIps.add(n.asText()));
    String stolen = truth.get("stolen_key_id").asText();
    String persistence = truth.get("persistence_key_id").asText();
    String backupRole = truth.at("/benign/backup_role_arn").asText();
    report = new EventReader().read(List.of(dir), e -> {
      readOrderIndex++;
      allIds.add(e.eventId());
      boolean attacker = truthIds.contains(e.eventId());
      String ua = e.userAgent();
      if (attacker) {
        attackerEvents.add(slim(e));
        if (firstAttackerRead == null) {
          firstAttackerRead = e;
          firstAttackerReadIndex = readOrderIndex;
        }
      } else {
        if (attackerIps.contains(e.sourceIp())) {
          benignProblems.add("benign event from attacker address: " + e.eventId());
        }
        for (String marker : Agents.ATTACKER_MARKERS) {
          if (ua.contains(marker)) {
            benignProblems.add("benign event with attacker agent: " + e.eventId());
          }
        }
        if (persistence.equals(e.actor().accessKeyId())) {
          benignProblems.add("benign event with the persistence key: " + e.eventId());
        }
        if (stolen.equals(e.actor().accessKeyId())) {
          ciRunnerAddresses.add(e.sourceIp());
        }
        if (backupRole.equals(e.actor().sessionIssuerArn()) && "GetObject".equals(e.action())) {
          String night = e.time().toString().substring(0, 10);
          backupBucketsByNight.computeIfAbsent(night, k -> new HashSet<>()).add(e.bucket());
        }
        if ("CreateAccessKey".equals(e.action())) {
          benignKeyCreations.add(e.actor().type() + " " + e.actor().sessionIssuerArn());
        }
      }
      if ("CreateAccessKey".equals(e.action())
          && persistence.equals(e.text("responseElements.accessKey.accessKeyId"))) {
        persistenceKeyCreations.add(e.eventId() + " " + e.actor().accessKeyId() + " "
            + e.text("requestParameters.userName"));
      }
      if ("s3.amazonaws.com".equals(e.service()) && "GetObject".equals(e.action())
          && e.field("additionalEventData.bytesTransferredOut") == null) {
        dataEventsWithoutBytes++;
      }
    });
  }

  /** Keeps the fields the checks need, not the raw record. */
  private static AuditEvent slim(AuditEvent e) {
    var raw = new ObjectMapper().createObjectNode();
    raw.put("key", e.objectKey());
    raw.put("bucket", e.bucket());
    return new AuditEvent(e.time(), e.eventId(), e.service(), e.action(), e.region(), e.account(), e.actor(),
        e.sourceIp(), e.userAgent(), e.errorCode(), e.readOnly(), List.of(), e.bytesIn(), e.bytesOut(), raw,
        e.origin());
  }

  @Test
  void readerCountsExactlyTheEventCountWithNothingQuarantined() {
    assertThat(report.quarantined()).isZero();
    assertThat(report.accepted()).isEqualTo(truth.get("event_count").asLong());
    assertThat(allIds).hasSize((int) truth.get("event_count").asLong());
    assertThat(truth.get("event_count").asLong())
        .isEqualTo(truth.get("background_events").asLong() + truth.get("attacker_event_count").asLong());
  }

  @Test
  void everyAttackerEventIdIsInTheLogs() {
    assertThat(truth.get("attacker_event_ids").size()).isEqualTo(attackerEvents.size())
        .isEqualTo(truth.get("attacker_event_count").asInt());
  }

  @Test
  void attackerEventsAreExactlyThoseWithThePersistenceKeyOrTheStolenKeyFromAttackerAddresses() {
    String stolen = truth.get("stolen_key_id").asText();
    String persistence = truth.get("persistence_key_id").asText();
    for (AuditEvent e : attackerEvents) {
      String key = e.actor().accessKeyId();
      assertThat(key.equals(persistence) || key.equals(stolen) && attackerIps.contains(e.sourceIp()))
          .as("attacker event %s", e.eventId()).isTrue();
      assertThat(attackerIps).contains(e.sourceIp());
    }
    assertThat(attackerEvents.stream().filter(e -> e.actor().accessKeyId().equals(stolen)).count()).isEqualTo(4);
  }

  @Test
  void firstAttackerEventIsTheTruffleHogValidationWithTheStolenKey() {
    String firstId = truth.get("first_attacker_event_id").asText();
    Instant earliest = attackerEvents.stream().map(AuditEvent::time).min(Instant::compareTo).orElseThrow();
    AuditEvent first = attackerEvents.stream().filter(e -> e.eventId().equals(firstId)).findFirst().orElseThrow();
    assertThat(first.time()).isEqualTo(earliest);
    assertThat(attackerEvents.stream().filter(e -> e.time().equals(earliest)).count()).isEqualTo(1);
    // it is also the first attacker event a reader sees, though files of a window are read region by region
    assertThat(firstAttackerRead.eventId()).isEqualTo(firstId);
    assertThat(first.action()).isEqualTo("GetCallerIdentity");
    assertThat(first.service()).isEqualTo("sts.amazonaws.com");
    assertThat(first.userAgent()).contains("TruffleHog");
    assertThat(first.actor().accessKeyId()).isEqualTo(truth.get("stolen_key_id").asText());
    assertThat(first.time().toString()).startsWith("2026-03-19T").isEqualTo(truth.get("attack_start").asText());
    assertThat(first.sourceIp()).isEqualTo("209.159.147.239");
  }

  @Test
  void stolenKeyIsTheCiUsersKeyAndThePersistenceKeyWasCreatedWithItOnAnotherExistingUser() {
    assertThat(truth.get("stolen_key_id").asText()).isEqualTo(truth.at("/ci_user/access_key_id").asText())
        .startsWith("AKIA");
    assertThat(truth.get("persistence_key_id").asText()).startsWith("AKIA").hasSize(20);
    String user = truth.at("/persistence_user/name").asText();
    assertThat(persistenceKeyCreations).containsExactly(truth.get("persistence_event_id").asText() + " "
        + truth.get("stolen_key_id").asText() + " " + user);
    assertThat(user).isNotEqualTo("ci-deploy");
    List<String> existing = new ArrayList<>();
    truth.at("/benign/users").forEach(u -> existing.add(u.get("name").asText()));
    assertThat(existing).contains(user);
  }

  @Test
  void perTenantTruthEqualsTheAttackersGetObjectBytes() {
    Map<String, long[]> byBucket = new HashMap<>();
    for (AuditEvent e : attackerEvents) {
      if (e.action().equals("GetObject")) {
        long[] s = byBucket.computeIfAbsent(e.raw().get("bucket").asText(), k -> new long[3]);
        s[0]++;
        s[1] += e.bytesOut();
        if (e.raw().get("key").asText().startsWith("mail/")) {
          s[2]++;
        }
      }
    }
    JsonNode tenants = truth.get("tenants");
    assertThat(tenants.size()).isEqualTo(71);
    long objects = 0;
    long bytes = 0;
    long mail = 0;
    for (var it = tenants.fields(); it.hasNext(); ) {
      var t = it.next();
      long[] s = byBucket.get(t.getValue().get("bucket").asText());
      assertThat(s).as(t.getKey()).isNotNull();
      assertThat(t.getValue().get("objects_read").asLong()).as(t.getKey()).isEqualTo(s[0]);
      assertThat(t.getValue().get("bytes_read").asLong()).as(t.getKey()).isEqualTo(s[1]);
      assertThat(t.getValue().get("mail_files_read").asLong()).as(t.getKey()).isEqualTo(s[2]);
      objects += s[0];
      bytes += s[1];
      mail += s[2];
    }
    assertThat(byBucket).hasSize(71);
    // CERT-EU: about 91.7 GB, at least 51,992 files of outbound e-mail, 71 clients
    assertThat(bytes).isEqualTo(91_700_000_000L).isEqualTo(truth.at("/exfiltration/bytes_read").asLong());
    assertThat(mail).isEqualTo(51_992);
    assertThat(objects).isEqualTo(truth.at("/exfiltration/objects_read").asLong());
  }

  @Test
  void bulkDownloadComesFromAFewAddressesOverHours() {
    Set<String> downloaders = new HashSet<>();
    Instant first = null;
    Instant last = null;
    for (AuditEvent e : attackerEvents) {
      if (e.action().equals("GetObject")) {
        downloaders.add(e.sourceIp());
        first = first == null || e.time().isBefore(first) ? e.time() : first;
        last = last == null || e.time().isAfter(last) ? e.time() : last;
      }
    }
    assertThat(downloaders).hasSize(3);
    assertThat(java.time.Duration.between(first, last).toHours()).isBetween(2L, 12L);
  }

  @Test
  void reconnaissanceHasManyDistinctCallsAndSomeAccessDenied() {
    long distinct = attackerEvents.stream().filter(e -> !e.action().equals("GetObject")
        && !e.action().equals("ListObjects")).map(e -> e.service() + ":" + e.action()).distinct().count();
    long denied = attackerEvents.stream().filter(e -> "AccessDenied".equals(e.errorCode())).count();
    assertThat(distinct).isGreaterThanOrEqualTo(30);
    assertThat(denied).isBetween(3L, 20L);
  }

  @Test
  void ciKeyIsSeenFromOverAHundredRunnerAddresses() {
    assertThat(ciRunnerAddresses).hasSizeGreaterThanOrEqualTo(100);
    assertThat(truth.at("/benign/ci_runner_addresses").asInt()).isEqualTo(ciRunnerAddresses.size());
    List<String> networks = new ArrayList<>();
    truth.at("/benign/ci_runner_networks").forEach(n -> networks.add(n.asText()));
    for (String ip : ciRunnerAddresses) {
      assertThat(networks.stream().anyMatch(n -> Net.contains(n, ip))).as(ip).isTrue();
    }
  }

  @Test
  void backupReadsEveryTenantEveryNight() {
    Set<String> buckets = new HashSet<>();
    truth.get("tenants").forEach(t -> buckets.add(t.get("bucket").asText()));
    assertThat(backupBucketsByNight).hasSize(30);
    backupBucketsByNight.forEach((night, read) -> assertThat(read).as(night).containsAll(buckets));
  }

  @Test
  void noBenignEventUsesAnAttackerAddressAgentOrKey() {
    assertThat(benignProblems).isEmpty();
  }

  @Test
  void benignKeyCreationsAreAdministratorsSsoSessions() {
    assertThat(benignKeyCreations).hasSize(2)
        .allMatch(s -> s.startsWith("AssumedRole ") && s.contains("AWSReservedSSO_AdministratorAccess_"));
  }

  @Test
  void everyS3GetObjectCarriesBytesTransferredOut() {
    assertThat(dataEventsWithoutBytes).isZero();
  }

  @Test
  void deliveryLayoutHasOneFilePerRegionAndWindow() throws IOException {
    Pattern name = Pattern.compile("AWSLogs/493771820654/CloudTrail/([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/"
        + "493771820654_CloudTrail_\\1_(\\2\\3\\4T\\d{2}[0-5][05]Z)_[A-Za-z0-9]{16}\\.json\\.gz");
    Set<String> regionWindows = new HashSet<>();
    long files = 0;
    try (Stream<Path> walk = Files.walk(dir.resolve("AWSLogs"))) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        var m = name.matcher(dir.relativize(p).toString());
        assertThat(m.matches()).as(p.toString()).isTrue();
        assertThat(regionWindows.add(m.group(1) + m.group(5))).as(p.toString()).isTrue();
        files++;
      }
    }
    assertThat(files).isEqualTo(truth.get("files").asLong());
  }

  @Test
  void recordsLookLikeCloudTrail() throws IOException {
    Path any;
    try (Stream<Path> walk = Files.walk(dir.resolve("AWSLogs"))) {
      any = walk.filter(p -> p.toString().contains("/eu-west-1/2026/03/19/")).sorted().findFirst().orElseThrow();
    }
    JsonNode records;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(any))) {
      records = new ObjectMapper().readTree(in).get("Records");
    }
    assertThat(records.size()).isPositive();
    Pattern uuid = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    for (JsonNode r : records) {
      for (String f : List.of("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
          "sourceIPAddress", "userAgent", "requestID", "eventID", "readOnly", "eventType", "managementEvent",
          "recipientAccountId", "eventCategory")) {
        assertThat(r.has(f)).as(f + " in " + r).isTrue();
      }
      assertThat(uuid.matcher(r.get("eventID").asText()).matches()).isTrue();
      assertThat(r.get("userIdentity").get("type").asText()).isIn("IAMUser", "AssumedRole", "AWSService");
      if (r.get("eventCategory").asText().equals("Data")) {
        assertThat(r.get("resources").size()).isPositive();
        assertThat(r.at("/additionalEventData/bytesTransferredOut").isNumber()).isTrue();
      }
      if (r.get("userIdentity").get("type").asText().equals("AssumedRole")) {
        assertThat(r.at("/userIdentity/sessionContext/sessionIssuer/arn").asText()).startsWith("arn:aws:iam::");
        assertThat(r.at("/userIdentity/accessKeyId").asText()).startsWith("ASIA");
      }
    }
  }
}
