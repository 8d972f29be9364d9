package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCiCommandTest {
  @TempDir Path repo;

  private void wf(String name, String uses) throws Exception {
    Path p = repo.resolve(".github/workflows/" + name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "name: " + name + "\non: push\npermissions: {}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n"
        + "    steps:\n      - uses: " + uses + "\n");
  }

  @Test
  void sarifForCodeScanningAndFailOn() throws Exception {
    wf("bad.yml", "aquasecurity/trivy-action@0.34.2");
    wf("safe.yml", "aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1");
    CliRun r = CliRun.of("audit-ci", repo.toString(), "--format", "sarif");
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    JsonNode sarif = new ObjectMapper().readTree(r.out());
    JsonNode results = sarif.path("runs").get(0).path("results");
    assertThat(results.size()).isEqualTo(2);
    assertThat(results.get(0).path("ruleId").asText()).isEqualTo("known-compromised-action");
    assertThat(results.get(0).path("locations").get(0).path("physicalLocation").path("artifactLocation")
        .path("uri").asText()).isEqualTo(".github/workflows/bad.yml");
    assertThat(results.get(1).path("ruleId").asText()).isEqualTo("unpinned-uses");

    assertThat(CliRun.of("audit-ci", repo.toString(), "--fail-on", "never").code()).isEqualTo(ExitCode.OK);
    Files.delete(repo.resolve(".github/workflows/bad.yml"));
    assertThat(CliRun.of("audit-ci", repo.toString()).code()).isEqualTo(ExitCode.OK);
    assertThat(CliRun.of("audit-ci", repo.toString(), "--fail-on", "banana").code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void unreadableInputGivesExitThreeAndTheRestIsAudited() throws Exception {
    wf("bad.yml", "tj-actions/changed-files@v44");
    Files.writeString(repo.resolve(".github/workflows/broken.yml"), "on: [push\n");
    CliRun r = CliRun.of("audit-ci", repo.toString(), "--format", "json");
    assertThat(r.code()).isEqualTo(ExitCode.PARTIAL_INPUT);
    assertThat(r.err()).contains("vigil: error: .github/workflows/broken.yml:2:1: invalid YAML");
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("findings").get(0).path("facts").path("advisory").asText()).isEqualTo("GHSA-mrrh-fwg8-r2c3");
    assertThat(json.path("summary").path("files_failed").asInt()).isEqualTo(1);
  }

  @Test
  void fixShowsADiffAndWriteAppliesIt() throws Exception {
    wf("ci.yml", "actions/checkout@v4");
    Path lock = repo.resolve("vigil-ci.lock.json");
    Files.writeString(lock, """
        {"format": "vigil-ci-lock", "format_version": 1,
         "actions": {"actions/checkout": {"tags": {"v4": "11bd71901bbe5b1630ceea73d27597364c9af683"}}}}
        """);
    CliRun diff = CliRun.of("audit-ci", repo.toString(), "--fix");
    assertThat(diff.code()).isEqualTo(ExitCode.OK);
    assertThat(diff.out()).isEqualTo("--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n"
        + "@@ -8,1 +8,1 @@\n-      - uses: actions/checkout@v4\n"
        + "+      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\n");
    assertThat(Files.readString(repo.resolve(".github/workflows/ci.yml"))).contains("@v4\n");
    CliRun write = CliRun.of("audit-ci", repo.toString(), "--fix", "--write");
    assertThat(write.err()).contains("1 of 1 unpinned reference(s) pinned");
    assertThat(Files.readString(repo.resolve(".github/workflows/ci.yml")))
        .contains("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4\n");
    assertThat(CliRun.of("audit-ci", repo.toString(), "--online").code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void helpTeaches() {
    CliRun r = CliRun.of("audit-ci", "--help");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("Examples:", "--fail-on", "Suppress a finding", "audit-ci lock", "Exit codes:");
    assertThat(CliRun.of("audit-ci", "--list-audits").out()).contains("known-compromised-action",
        "template-injection", "[zizmor: template-injection]");
  }
}
