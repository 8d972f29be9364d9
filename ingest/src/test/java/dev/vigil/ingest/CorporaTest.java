package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real third-party CloudTrail, read from ../shared with its quirks. */
class CorporaTest {
  private final List<AuditEvent> events = new ArrayList<>();
  private final List<IngestProblem> problems = new ArrayList<>();

  @Test
  void stratusRedTeamDetonationLogsReadWhole() throws IOException {
    Path logs = SharedCorpora.path("corpora/cloudtrail/stratus-red-team/docs/detonation-logs");
    IngestReport report = new EventReader(IngestLimits.DEFAULT, problems::add, null).read(List.of(logs), events::add);
    assertThat(problems).isEmpty();
    assertThat(report.files()).isEqualTo(35);
    assertThat(report.accepted()).isEqualTo(310);
    // anonymisation quirks survive untouched: addresses with leading zeros, made-up regions, non-hex instance ids
    assertThat(events).extracting(AuditEvent::sourceIp).contains("211.9.016.253", "035.249.253.232");
    assertThat(events).extracting(AuditEvent::region).contains("ap-central-2r", "sagov-westsouth-1r");
    AuditEvent backdoor = events.stream().filter(e -> e.eventId().equals("c64c4ded-ef03-4e5c-81eb-153b118d72f2"))
        .findFirst().orElseThrow();
    assertThat(backdoor.action()).isEqualTo("CreateAccessKey");
    assertThat(backdoor.actor().userName()).isEqualTo("christophe");
    assertThat(backdoor.text("responseElements.accessKey.accessKeyId")).isEqualTo("AKIAL80DWDVKKM0UXEER");
  }

  @Test
  void pantherTestEventsReadWithTheirQuirks() throws IOException {
    Path tests = SharedCorpora.path("corpora/cloudtrail/panther-analysis-tests/cloudtrail_rule_tests.jsonl");
    ObjectMapper json = new ObjectMapper();
    StringBuilder lines = new StringBuilder();
    int total = 0;
    for (String line : Files.readAllLines(tests)) {
      JsonNode log = json.readTree(line).get("log");
      lines.append(json.writeValueAsString(log)).append('\n');
      total++;
    }
    IngestReport report = new IngestReport();
    new EventReader(IngestLimits.DEFAULT, problems::add, null).readStream(
        new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)), "panther", events::add, report);
    assertThat(total).isEqualTo(461);
    // hand-written test events without any time (17) or with a placeholder time ('...', 'redacted') are the
    // only rejects; Panther's "2021-10-13 18:35:08" times and p_event_time are accepted
    assertThat(report.quarantined()).isEqualTo(19);
    assertThat(report.accepted()).isEqualTo(442);
    assertThat(problems).extracting(IngestProblem::reason).filteredOn(r -> r.startsWith("missing 'eventTime'"))
        .hasSize(17);
    assertThat(problems).extracting(IngestProblem::reason).filteredOn(r -> !r.startsWith("missing 'eventTime'"))
        .containsExactlyInAnyOrder("field 'eventTime' is not an ISO-8601 time: '...'",
            "field 'eventTime' is not an ISO-8601 time: 'redacted'");
    assertThat(events).anySatisfy(e -> assertThat(e.time().toString()).isEqualTo("2019-01-01T00:20:04Z"));
  }
}
