package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.pipeline.audits.Audits;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.report.JsonReport;
import dev.vigil.pipeline.report.SarifReport;
import dev.vigil.pipeline.report.TextReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportTest {
  static final String WF = """
      on: push
      permissions: {}
      jobs:
        scan:
          runs-on: ubuntu-latest
          steps:
            - uses: aquasecurity/trivy-action@0.34.2 # vigil: ignore[unpinned-uses] replaced below anyway
            - run: echo "${{ github.event.head_commit.message }}"
      """;

  static AuditResult result() {
    return AuditEngine.defaults().auditText(".github/workflows/scan.yml", CiFile.Kind.WORKFLOW, WF);
  }

  @Test
  void sarifHasRulesResultsLocationsAndSuppressions() {
    JsonNode sarif = SarifReport.toSarif(result(), "test");
    assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.path("$schema").asText()).contains("sarif-2.1.0");
    JsonNode run = sarif.path("runs").get(0);
    JsonNode rules = run.path("tool").path("driver").path("rules");
    assertThat(rules.size()).isEqualTo(Audits.all().size());
    for (JsonNode rule : rules) {
      assertThat(rule.path("help").path("text").asText()).contains("How to fix:");
      assertThat(rule.path("shortDescription").path("text").asText()).isNotBlank();
    }
    JsonNode results = run.path("results");
    assertThat(results.size()).isEqualTo(3);
    JsonNode ioc = results.get(0);
    assertThat(ioc.path("ruleId").asText()).isEqualTo("known-compromised-action");
    assertThat(ioc.path("level").asText()).isEqualTo("error");
    assertThat(ioc.path("message").path("text").asText()).contains("GHSA-69fq-xp46-6x23");
    JsonNode loc = ioc.path("locations").get(0).path("physicalLocation");
    assertThat(loc.path("artifactLocation").path("uri").asText()).isEqualTo(".github/workflows/scan.yml");
    assertThat(loc.path("region").path("startLine").asInt()).isEqualTo(7);
    assertThat(loc.path("region").path("startColumn").asInt()).isEqualTo(15);
    assertThat(rules.get(ioc.path("ruleIndex").asInt()).path("id").asText()).isEqualTo("known-compromised-action");
    JsonNode tpl = results.get(1);
    assertThat(tpl.path("ruleId").asText()).isEqualTo("template-injection");
    assertThat(tpl.path("locations").get(0).path("physicalLocation").path("region").path("startLine").asInt())
        .isEqualTo(8);
    JsonNode suppressed = results.get(2);
    assertThat(suppressed.path("ruleId").asText()).isEqualTo("unpinned-uses");
    assertThat(suppressed.path("suppressions").get(0).path("justification").asText())
        .isEqualTo("replaced below anyway");
  }

  @Test
  void jsonCarriesFactsAndSummary() {
    JsonNode json = JsonReport.toJson(result());
    assertThat(json.path("findings").size()).isEqualTo(2);
    assertThat(json.path("findings").get(0).path("facts").path("advisory").asText()).isEqualTo("GHSA-69fq-xp46-6x23");
    assertThat(json.path("summary").path("suppressed").asInt()).isEqualTo(1);
    assertThat(json.path("suppressed").get(0).path("reason").asText()).isEqualTo("replaced below anyway");
  }

  @Test
  void textIsGroupedByFileWithoutColourUnlessAsked() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TextReport.write(result(), new PrintStream(buf, true, StandardCharsets.UTF_8), false);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith(".github/workflows/scan.yml\n  7:15  critical known-compromised-action");
    assertThat(text).doesNotContain("\u001b[");
    assertThat(text).contains("2 findings (1 critical, 1 high) in 1 file; 1 suppressed");
    ByteArrayOutputStream col = new ByteArrayOutputStream();
    TextReport.write(result(), new PrintStream(col, true, StandardCharsets.UTF_8), true);
    assertThat(col.toString(StandardCharsets.UTF_8)).contains("\u001b[1;35mcritical");
  }
}
