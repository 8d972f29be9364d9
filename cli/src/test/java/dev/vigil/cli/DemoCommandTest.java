package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void theDemoTellsTheStoryChecksItAgainstTheTruthAndWritesTheReport() throws IOException {
    Path out = dir.resolve("demo");
    DetectOutputTest.Run r = DetectOutputTest.run("demo", "--out", out.toString(), "--tenants", "6",
        "--background-events", "8000", "--days", "7", "--seed", "8");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
    assertThat(r.out()).contains("[1/4] Simulating", "[2/4] Detecting", "[3/4] What Vigil found", "[4/4] Investigating",
        "=> on the attacker's very first call", "INCIDENT CRITICAL");
    // every check against the ground truth passes
    assertThat(r.out()).contains("ok   incidents                    1", "ok   stolen key named",
        "ok   persistence key named", "ok   attacker addresses", "ok   attacker events followed",
        "ok   tenants, objects and bytes   6 of 6 exact").doesNotContain("DIFF");
    for (String f : new String[] {"report.html", "report.md", "alerts.jsonl", "incidents.jsonl", "tenants.json"}) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    assertThat(r.out()).contains("Report: " + out.resolve("report.html"));
    // it ends with the investigation: the exposed job proven by the run logs, both keys, notices and IOCs
    JsonNode truth = new ObjectMapper().readTree(out.resolve("logs/truth.json").toFile());
    assertThat(r.out()).contains("job deploy ran aquasecurity/trivy-action@0.34.2 (proven by run logs)");
    String report = Files.readString(out.resolve("investigation/report.md"));
    assertThat(report).contains(truth.get("stolen_key_id").asText(), truth.get("persistence_key_id").asText());
    for (String f : new String[] {"report.html", "investigation.json", "stix-bundle.json"}) {
      assertThat(out.resolve("investigation").resolve(f)).isNotEmptyFile();
    }
    assertThat(new ObjectMapper().readTree(out.resolve("investigation/stix-bundle.json").toFile())
        .get("type").asText()).isEqualTo("bundle");

    // a second run replaces the previous demo's logs
    DemoCommand.prepare(out.resolve("logs"));
    assertThat(out.resolve("logs")).doesNotExist();
    assertThat(out.resolve("report.html")).exists();
    // a directory that is not a demo's is left alone
    Path foreign = dir.resolve("foreign");
    Files.createDirectories(foreign.resolve("logs"));
    Files.writeString(foreign.resolve("logs/precious.txt"), "keep me");
    DetectOutputTest.Run refused = DetectOutputTest.run("demo", "--out", foreign.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains(foreign.resolve("logs") + " exists and is not a previous demo's output");
    assertThat(foreign.resolve("logs/precious.txt")).hasContent("keep me");
  }

  @Test
  void delaysReadAsAnAnalystSaysThem() {
    assertThat(DemoCommand.forPeople(java.time.Duration.ofSeconds(42))).isEqualTo("42 s");
    assertThat(DemoCommand.forPeople(java.time.Duration.ofSeconds(200))).isEqualTo("3 min 20 s");
    assertThat(DemoCommand.forPeople(java.time.Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    assertThat(DemoCommand.forPeople(java.time.Duration.ofHours(28))).isEqualTo("1 d 4 h");
    assertThat(DemoCommand.forPeople(java.time.Duration.ofSeconds(-5))).isEqualTo("0 s");
  }
}
