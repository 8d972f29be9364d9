package dev.vigil.respond.simulated;

import dev.vigil.simulate.EcBreachSimulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.intel.IocFeed;
import dev.vigil.respond.exposure.ActionExecution;
import dev.vigil.respond.exposure.ExposureAnalyzer;
import dev.vigil.respond.exposure.RunLogReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The investigation inputs written beside the logs agree with truth.json when Vigil's own analysers read them. */
class SimulatedInvestigationInputsTest {

  @TempDir Path dir;

  @Test
  void exposureAnalysisOfRepoAndRunLogsFindsExactlyTheTruthsExposedJob() throws IOException {
    EcBreachSimulation.Options o = EcBreachSimulation.defaults().withSeed(7).withTenants(3).withDays(5)
        .withBackgroundEvents(8_000);
    EcBreachSimulation.write(dir, o, null);
    JsonNode truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());

    RunLogReader logs = new RunLogReader();
    List<Path> runFolders; // one folder per run, as GitHub's "download log archive" unpacks
    try (var list = java.nio.file.Files.list(dir.resolve("run-logs"))) {
      runFolders = list.sorted().toList();
    }
    List<ActionExecution> runs = logs.read(runFolders);
    assertThat(logs.problems()).isEmpty();
    ExposureAnalyzer.Result r = ExposureAnalyzer.analyze(dir.resolve("repo"), IocFeed.bundled(), runs);

    assertThat(r.problems()).isEmpty();
    assertThat(r.jobs()).hasSize(1);
    ExposureAnalyzer.ExposedJob job = r.jobs().get(0);
    assertThat(job.workflowPath()).isEqualTo(truth.get("exposed_workflow").asText());
    assertThat(job.jobId()).isEqualTo(truth.get("exposed_job").asText());
    assertThat(job.commit()).isEqualTo(truth.get("exposed_commit").asText());
    assertThat(job.secrets()).containsExactlyInAnyOrderElementsOf(
        new ObjectMapper().convertValue(truth.get("exposed_secrets"), List.class));
    assertThat(job.executionProven()).isTrue();
    assertThat(job.proof()).hasSize(truth.get("exposed_runs").asInt())
        .allSatisfy(p -> assertThat(p.sha()).isEqualTo(truth.get("malicious_action_sha").asText()));
  }
}
