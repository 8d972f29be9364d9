package dev.vigil.ingest;

import static dev.vigil.ingest.Records.gzip;
import static dev.vigil.ingest.Records.record;
import static dev.vigil.ingest.Records.recordsFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventReaderTest {
  @TempDir Path dir;
  private final List<AuditEvent> events = new ArrayList<>();
  private final List<IngestProblem> problems = new ArrayList<>();

  private IngestReport read(IngestLimits limits, Path... paths) throws IOException {
    return new EventReader(limits, problems::add, null).read(List.of(paths), events::add);
  }

  private IngestReport read(Path... paths) throws IOException {
    return read(IngestLimits.DEFAULT, paths);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private List<String> ids() {
    return events.stream().map(AuditEvent::eventId).toList();
  }

  @Test
  void readsARecordsFilePlainAndGzippedWithEveryNormalizedField() throws IOException {
    write("a.json", recordsFile(3, "p"));
    write("b.json.gz", gzip(recordsFile(2, "g")));
    IngestReport report = read(dir);
    assertThat(report.accepted()).isEqualTo(5);
    assertThat(report.quarantined()).isZero();
    assertThat(report.files()).isEqualTo(2);
    assertThat(ids()).containsExactly("p0", "p1", "p2", "g0", "g1");
    AuditEvent e = events.get(0);
    assertThat(e.service()).isEqualTo("s3.amazonaws.com");
    assertThat(e.action()).isEqualTo("GetObject");
    assertThat(e.actor().accessKeyId()).isEqualTo("AKIAEXAMPLEEXAMPLE22");
    assertThat(e.actor().hasLongTermKey()).isTrue();
    assertThat(e.bytesOut()).isEqualTo(1234);
    assertThat(e.bucket()).isEqualTo("tenant-a");
    assertThat(e.readOnly()).isTrue();
    assertThat(e.field("userIdentity.arn").asText()).isEqualTo("arn:aws:iam::111122223333:user/ci");
    assertThat(e.field("requestParameters.nothing").isMissingNode()).isTrue();
    assertThat(e.origin().toString()).endsWith("a.json record 0");
  }

  @Test
  void truncatedGzipKeepsWhatWasReadAndQuarantinesTheRest() throws IOException {
    // a sync flush after 30 lines makes exactly those lines decodable from the truncated prefix
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int cut;
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, true)) {
      for (int i = 0; i < 30; i++) {
        gz.write((record("t" + i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      gz.flush();
      cut = bytes.size();
      for (int i = 30; i < 50; i++) {
        gz.write((record("t" + i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    write("cut.jsonl.gz", Arrays.copyOf(bytes.toByteArray(), cut));
    write("head.json.gz", Arrays.copyOf(gzip(recordsFile(50, "h")), 200));
    IngestReport report = read(dir);
    assertThat(report.accepted()).isEqualTo(30);
    assertThat(report.quarantined()).isEqualTo(2);
    assertThat(report.unreadableFiles()).isEqualTo(2);
    assertThat(problems).extracting(IngestProblem::source)
        .containsExactly(dir.resolve("cut.jsonl.gz").toString(), dir.resolve("head.json.gz").toString());
    assertThat(problems).allSatisfy(p -> assertThat(p.reason())
        .contains("truncated file: unexpected end of input").endsWith("the rest of this file was skipped"));
    assertThat(problems).extracting(IngestProblem::recordIndex).containsExactly(30L, 0L);
  }

  @Test
  void invalidJsonInsideTheRecordsArraySkipsOnlyTheRestOfThatFile() throws IOException {
    write("1.json", "{\"Records\":[" + record("ok-1") + "," + record("ok-2") + ",{\"eventID\": ,}]}");
    write("2.json", recordsFile(1, "next"));
    IngestReport report = read(dir);
    assertThat(ids()).containsExactly("ok-1", "ok-2", "next0");
    assertThat(report.quarantined()).isEqualTo(1);
    IngestProblem p = problems.get(0);
    assertThat(p.recordIndex()).isEqualTo(2);
    assertThat(p.reason()).startsWith("invalid JSON at line 1 column ").contains("Unexpected character (',' (code 44)): expected a value");
  }

  @Test
  void aRecordThatIsNotAnObjectIsQuarantinedAndItsNeighboursRead() throws IOException {
    write("mixed.json", "[42, " + record("good") + ", \"text\", [1]]");
    IngestReport report = read(dir);
    assertThat(ids()).containsExactly("good");
    assertThat(report.quarantined()).isEqualTo(3);
    assertThat(problems).extracting(IngestProblem::recordIndex).containsExactly(0L, 2L, 3L);
    assertThat(problems).extracting(IngestProblem::reason).containsExactly(
        "record is not a JSON object but a number (42)", "record is not a JSON object but a string",
        "record is not a JSON object but an array");
  }

  @Test
  void wrongFieldTypesNameTheField() throws IOException {
    String good = record("g");
    write("types.jsonl", String.join("\n",
        good.replace("\"eventTime\":\"2026-03-19T10:00:00Z\"", "\"eventTime\":1710842400"),
        good.replace("\"eventName\":\"GetObject\"", "\"eventName\":{\"x\":1}"),
        good.replaceFirst("\"userIdentity\":\\{[^}]*\\}", "\"userIdentity\":\"root\""),
        good.replace("\"readOnly\":true", "\"readOnly\":7"),
        good.replace("\"eventTime\":\"2026-03-19T10:00:00Z\"", "\"eventTime\":\"yesterday\""),
        good));
    IngestReport report = read(dir);
    assertThat(report.accepted()).isEqualTo(1);
    assertThat(problems).extracting(IngestProblem::field)
        .containsExactly("eventTime", "eventName", "userIdentity", "readOnly", "eventTime");
    assertThat(problems.get(0).reason()).isEqualTo("field 'eventTime' must be an ISO-8601 string but is a number (1710842400)");
    assertThat(problems.get(1).reason()).isEqualTo("field 'eventName' must be a string but is an object");
    assertThat(problems.get(2).reason()).isEqualTo("field 'userIdentity' must be an object but is a string");
    assertThat(problems.get(4).reason()).isEqualTo("field 'eventTime' is not an ISO-8601 time: 'yesterday'");
    assertThat(problems).extracting(IngestProblem::recordIndex).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void missingEventTimeIsRejectedButShipperTimestampsAreAccepted() throws IOException {
    String noTime = record("x").replace("\"eventTime\":\"2026-03-19T10:00:00Z\",", "");
    write("times.jsonl", String.join("\n",
        noTime,
        noTime.replace("{\"eventVersion\"", "{\"@timestamp\":\"2026-03-19T11:00:00.123Z\",\"eventVersion\""),
        noTime.replace("{\"eventVersion\"", "{\"p_event_time\":\"2026-03-19 12:00:04.000Z\",\"eventVersion\"")));
    IngestReport report = read(dir);
    assertThat(report.accepted()).isEqualTo(2);
    assertThat(report.quarantined()).isEqualTo(1);
    assertThat(problems.get(0).reason()).isEqualTo("missing 'eventTime' (and no '@timestamp')");
    assertThat(events).extracting(e -> e.time().toString())
        .containsExactly("2026-03-19T11:00:00.123Z", "2026-03-19T12:00:04Z");
  }

  @Test
  void jsonLinesSkipOnlyTheBadLineAndUnwrapEventBridge() throws IOException {
    write("lines.jsonl", record("l1") + "\n{not json}\n\n"
        + "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\",\"detail\":"
        + record("bridged") + "}\r\n" + record("l3"));
    IngestReport report = read(dir);
    assertThat(ids()).containsExactly("l1", "bridged", "l3");
    assertThat(report.quarantined()).isEqualTo(1);
    assertThat(problems.get(0).recordIndex()).isEqualTo(1);
    assertThat(problems.get(0).reason()).isEqualTo("invalid JSON at line 2 column 2: Unexpected character ('n' (code 110)): "
        + "was expecting double-quote to start field name");
  }

  @Test
  void aHundredMegabyteLineIsSkippedWithoutStoppingTheRun() throws IOException {
    Path file = dir.resolve("huge.jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write((record("before") + "\n{\"eventID\":\"huge\",\"blob\":\"").getBytes(StandardCharsets.UTF_8));
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) 'x');
      for (int i = 0; i < 100; i++) {
        out.write(block);
      }
      out.write(("\"}\n" + record("after") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    IngestReport report = read(dir);
    assertThat(ids()).containsExactly("before", "after");
    assertThat(report.quarantined()).isEqualTo(1);
    assertThat(problems.get(0).recordIndex()).isEqualTo(1);
    assertThat(problems.get(0).reason())
        .isEqualTo("line of 104857628 bytes is longer than the limit of 16777216 bytes");
  }

  @Test
  void aGzipBombIsStoppedEarly() throws IOException {
    // 300 MiB of whitespace is valid JSON Lines (no records), so only the inflation guard can stop it
    Path bomb = dir.resolve("bomb.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) ' ');
      for (int i = 0; i < 300; i++) {
        out.write(block);
      }
    }
    write("fine.json.gz", gzip(recordsFile(2, "f")));
    assertThat(Files.size(bomb)).isLessThan(1 << 20);
    IngestReport report = read(dir);
    assertThat(ids()).containsExactly("f0", "f1");
    assertThat(report.quarantined()).isEqualTo(1);
    assertThat(problems.get(0).reason()).startsWith("looks like a decompression bomb: ")
        .contains("(ratio over 200:1)");
  }

  @Test
  void theAbsoluteInflationLimitHolds() throws IOException {
    write("big.json.gz", gzip(recordsFile(200, "b")));
    IngestLimits tiny = new IngestLimits(1 << 20, 4096, 200, Long.MAX_VALUE, 1 << 20);
    IngestReport report = read(tiny, dir);
    assertThat(report.quarantined()).isEqualTo(1);
    assertThat(problems.get(0).reason()).startsWith("gzip inflates beyond the limit of 4096 bytes");
    assertThat(report.accepted()).as("the first 64 KiB read already passes the limit").isZero();
  }

  @Test
  void theQuarantineFileKeepsEveryRejectedRecordWithItsReason() throws IOException {
    write("mixed.json", "[42, " + record("good") + "]");
    Path q = dir.resolve("out/quarantine.jsonl");
    try (Quarantine quarantine = Quarantine.toFile(q)) {
      IngestReport report = new EventReader(IngestLimits.DEFAULT, null, quarantine)
          .read(List.of(dir.resolve("mixed.json")), events::add);
      assertThat(report.quarantined()).isEqualTo(1);
    }
    assertThat(Files.readAllLines(q)).containsExactly("{\"source\":\"" + dir.resolve("mixed.json")
        + "\",\"record\":0,\"field\":null,\"reason\":\"record is not a JSON object but a number (42)\",\"raw\":\"42\"}");
  }

  @Test
  void aMissingFileIsAProblemNotACrash() throws IOException {
    IngestReport report = read(dir.resolve("nope.json"));
    assertThat(report.quarantined()).isEqualTo(1);
    assertThat(problems.get(0).toString()).isEqualTo(dir.resolve("nope.json") + ": no such file");
  }

  @Test
  void standardInputIsReadLikeAFile() {
    IngestReport report = new IngestReport();
    new EventReader().readStream(new ByteArrayInputStream(
        (record("s1") + "\n" + record("s2")).getBytes(StandardCharsets.UTF_8)), "-", events::add, report);
    assertThat(ids()).containsExactly("s1", "s2");
    assertThat(events.get(0).origin().source()).isEqualTo("-");
  }

  @Test
  void prettyPrintedObjectsAreReadWhole() throws IOException {
    write("pretty.json", "{\n  \"eventID\": \"p1\",\n  \"eventTime\": \"2026-03-19T10:00:00Z\"\n}\n{\n \"eventID\": \"p2\","
        + " \"eventTime\": \"2026-03-19T10:00:01Z\"}\n");
    read(dir);
    assertThat(ids()).containsExactly("p1", "p2");
  }

  @Test
  void theS3LayoutIsReadInDeliveryOrderAndSideFilesAreIgnored() throws IOException {
    Path day = dir.resolve("AWSLogs/111122223333/CloudTrail");
    Path west = Files.createDirectories(day.resolve("eu-west-1/2026/03/19"));
    Path east = Files.createDirectories(day.resolve("us-east-1/2026/03/19"));
    Files.write(west.resolve("111122223333_CloudTrail_eu-west-1_20260319T1010Z_b.json.gz"),
        gzip(recordsFile(1, "west-1010-")));
    Files.write(east.resolve("111122223333_CloudTrail_us-east-1_20260319T1005Z_a.json.gz"),
        gzip(recordsFile(1, "east-1005-")));
    Files.write(east.resolve("111122223333_CloudTrail_us-east-1_20260319T1015Z_c.json.gz"),
        gzip(recordsFile(1, "east-1015-")));
    Files.writeString(dir.resolve("truth.json"), "{\"event_count\": 3}");
    Path digest = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail-Digest/us-east-1"));
    Files.writeString(digest.resolve("d.json.gz"), "not a log");
    IngestReport report = read(dir);
    assertThat(ids()).containsExactly("east-1005-0", "west-1010-0", "east-1015-0");
    assertThat(report.quarantined()).isZero();
    assertThat(report.ignoredFiles()).isEqualTo(2);
  }

  @Test
  void followPicksUpFilesThatLandLater() throws Exception {
    Files.write(dir.resolve("1.json.gz"), gzip(recordsFile(1, "first")));
    DirectoryFollower follower = new DirectoryFollower(new EventReader());
    IngestReport report = new IngestReport();
    follower.follow(List.of(dir), events::add, java.time.Duration.ZERO, () -> false);
    assertThat(ids()).containsExactly("first0");
    Files.write(dir.resolve("2.json.gz"), gzip(recordsFile(1, "second")));
    follower.poll(List.of(dir), events::add, report);
    assertThat(ids()).as("a new file is read only once it has settled").containsExactly("first0");
    follower.poll(List.of(dir), events::add, report);
    follower.poll(List.of(dir), events::add, report);
    assertThat(ids()).containsExactly("first0", "second0");
    assertThat(report.accepted()).isEqualTo(1);
  }
}
