package dev.vigil.respond.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.intel.IocFeed;
import dev.vigil.respond.Investigation;
import dev.vigil.respond.InvestigationOutputs;
import dev.vigil.simulate.EcBreachSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7's must-show on the simulated breach, seed by seed: the whole investigation (repository, run logs, secret
 * map, CloudTrail, tenant map, mirror) names the exposed workflow, job and secrets, the stolen and the persistence
 * key and the attacker's addresses, and per tenant finds exactly the objects, bytes, messages and data subjects of
 * truth.json. The report and investigation.json say the same. Fourteen days give the baselines time to learn the CI
 * key's runners (in a week-long world a new runner address can still look like a new origin).
 */
class SimulatedInvestigationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9})
  void theInvestigationFindsExactlyWhatTheSimulatorRecorded(long seed) throws Exception {
    Path sim = dir.resolve("sim");
    EcBreachSimulation.write(sim, EcBreachSimulation.defaults().withSeed(seed).withTenants(6).withDays(14)
        .withBackgroundEvents(20_000), null, true);
    JsonNode truth = JSON.readTree(sim.resolve("truth.json").toFile());
    TenantMap tenants = TenantMap.load(sim.resolve("tenants.json"));
    Map<String, String> secretMap = JSON.convertValue(JSON.readTree(sim.resolve("secret-map.json").toFile()),
        JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    Investigation.Inputs in = new Investigation.Inputs(List.of(sim.resolve("repo")), List.of(sim.resolve("run-logs")),
        secretMap, List.of(sim), tenants, tenants.contacts(), sim.resolve("mirror"), IocFeed.bundled());
    Investigation.Findings f = Investigation.run(in, List.of(SigmaRules.builtin().ruleSet(),
        BehaviourEngine.create(BehaviourConfig.defaults(), IocFeed.bundled())), s -> { });

    assertThat(f.problems()).isEmpty();
    assertThat(f.quarantined()).isZero();
    // exposure: the workflow, job and secrets of the truth, proven by the run logs
    assertThat(f.exposedJobs()).singleElement().satisfies(j -> {
      assertThat(j.workflowPath()).isEqualTo(truth.get("exposed_workflow").asText());
      assertThat(j.jobId()).isEqualTo(truth.get("exposed_job").asText());
      assertThat(j.executionProven()).isTrue();
    });
    Set<String> secrets = new HashSet<>();
    truth.get("exposed_secrets").forEach(s -> secrets.add(s.asText()));
    assertThat(f.exposedSecrets()).containsAll(secrets);
    // credentials: the stolen key exposed, the persistence key created by it, the attacker's addresses
    String stolen = truth.get("stolen_key_id").asText();
    String persistence = truth.get("persistence_key_id").asText();
    assertThat(f.exposedKeys()).containsExactly(stolen);
    assertThat(f.keyActivity()).anySatisfy(k -> {
      assertThat(k.accessKeyId()).isEqualTo(persistence);
      assertThat(k.origin()).isEqualTo("created by " + stolen);
      assertThat(k.expected()).isZero();
    });
    Set<String> attackerIps = new HashSet<>();
    truth.get("attacker_ips").forEach(a -> attackerIps.add(a.asText()));
    Set<String> suspicious = new HashSet<>();
    f.keyActivity().forEach(k -> suspicious.addAll(k.suspiciousAddresses()));
    assertThat(suspicious).isEqualTo(attackerIps);

    // per tenant: objects and bytes read, messages and data subjects; nothing written by the attacker
    Map<String, long[]> expected = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = truth.get("tenants").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> t = it.next();
      JsonNode v = t.getValue();
      if (v.get("objects_read").asLong() > 0) {
        expected.put(t.getKey(), new long[] {v.get("objects_read").asLong(), v.get("bytes_read").asLong(),
            v.get("messages").asLong(), v.get("data_subjects").asLong(), 0, 0});
      }
    }
    Map<String, long[]> actual = new HashMap<>();
    f.tenants().forEach(t -> actual.put(t.tenant(), new long[] {t.objectsRead(), t.bytesRead(),
        t.personalData().messages(), t.personalData().dataSubjects(), t.objectsWritten(), t.objectsDeleted()}));
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((tenant, figures) -> assertThat(actual.get(tenant)).as(tenant).containsExactly(figures));

    // the written report and investigation.json carry the same facts, and no personal data whole
    Path out = dir.resolve("case");
    InvestigationOutputs.write(f, new InvestigationOutputs.Context("Example Hosting", "dpo@example.eu",
        Instant.parse("2026-03-24T09:00:00Z"), Instant.parse("2026-03-24T10:00:00Z"), IocFeed.bundled()), out);
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains(stolen, persistence, truth.get("exposed_workflow").asText());
    attackerIps.forEach(ip -> assertThat(report).contains(ip));
    JsonNode json = JSON.readTree(out.resolve("investigation.json").toFile());
    Map<String, Long> subjects = new HashMap<>();
    json.get("tenants").forEach(t -> subjects.put(t.get("tenant").asText(), t.get("data_subjects").asLong()));
    expected.forEach((tenant, figures) -> assertThat(subjects.get(tenant)).as(tenant).isEqualTo(figures[3]));
    try (var files = Files.walk(sim.resolve("mirror"))) {
      Path someMail = files.filter(p -> p.toString().endsWith(".eml")).findFirst().orElseThrow();
      String from = Files.readAllLines(someMail).get(0).replaceFirst("^From: .*<(.*)>$", "$1");
      try (var outputs = Files.walk(out)) {
        for (Path p : outputs.filter(Files::isRegularFile).toList()) {
          assertThat(Files.readString(p)).as(p.toString()).doesNotContain(from);
        }
      }
    }
  }
}
