package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.intel.IocFeed;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each detector's positive and negative examples: the test files under resources/dev/vigil/detect/behaviour
 * say beside each event which alerts it must raise; every other event must raise none.
 */
class BehaviourDetectorsTest {

  /** Small thresholds so the examples stay short; everything else is the shipped default. */
  static final String TEST_CONFIG = """
      learning: {period_days: 1, actor_min_events: 5, actor_min_days: 1}
      exfil: {min_bytes: 1000000, min_objects: 50, min_buckets: 5, spread_min_objects: 3}
      recon: {min_distinct_actions: 8, min_denied: 3}
      honeytokens: {key_ids: [AKIAHONEY00000000001]}
      """;

  static BehaviourEngine engine() {
    return BehaviourEngine.create(BehaviourConfig.fromYaml(TEST_CONFIG, "test"), IocFeed.bundled());
  }

  @ParameterizedTest
  @ValueSource(strings = {"origin.jsonl", "tooling-intel.jsonl", "persistence.jsonl", "evasion-sharing.jsonl",
      "s3-recon.jsonl"})
  void raisesExactlyTheAlertsWrittenBesideTheEvents(String file) {
    ExpectationFile.Outcome o = ExpectationFile.run(file, engine());
    assertThat(o.expected()).isNotEmpty();
    assertThat(o.actual()).containsExactlyElementsOf(o.expected());
    assertThat(o.alerts()).hasSize(o.expected().size());
  }

  @Test
  void everyDetectorHasAPositiveExample() {
    Set<String> expected = Set.of("origin.jsonl", "tooling-intel.jsonl", "persistence.jsonl",
        "evasion-sharing.jsonl", "s3-recon.jsonl").stream()
        .flatMap(f -> ExpectationFile.run(f, engine()).expected().stream())
        .map(s -> s.substring(0, s.indexOf('|'))).collect(Collectors.toSet());
    assertThat(expected).containsExactlyInAnyOrderElementsOf(
        BehaviourDetectors.all().stream().map(BehaviourDetector::id).toList());
  }

  @Test
  void createdKeyIsInTheDetailsAndInheritsSuspicion() {
    ExpectationFile.Outcome o = ExpectationFile.run("persistence.jsonl", engine());
    Alert create = o.alerts().stream()
        .filter(a -> a.ruleId().equals(CredentialsForOtherUserDetector.ID) && a.trigger().action().equals("CreateAccessKey"))
        .findFirst().orElseThrow();
    assertThat(create.details()).containsEntry("created_access_key_id", "AKIAPERSIST000000001")
        .containsEntry("target_user", "svc-legacy").containsEntry("access_key_id", "AKIACIDEPLOY00000001");
    Alert used = o.alerts().stream().filter(a -> a.ruleId().equals(SuspiciousKeyUsedDetector.ID)).findFirst().orElseThrow();
    assertThat(used.details()).containsEntry("created_by", "AKIACIDEPLOY00000001");
    assertThat(used.explanation()).contains("AKIAPERSIST000000001", "198.51.100.40");
  }

  @Test
  void alertsDescribeThemselves() {
    for (BehaviourDetector d : BehaviourDetectors.all()) {
      assertThat(d.id()).matches("vigil\\.[a-z-]+\\.[a-z0-9-]+");
      assertThat(d.title()).isNotBlank();
      assertThat(d.description()).isNotBlank();
      assertThat(d.references()).isNotEmpty();
      assertThat(d.tactics()).isNotEmpty();
      assertThat(d.techniques()).allMatch(t -> t.matches("T\\d{4}(\\.\\d{3})?"));
    }
    assertThat(BehaviourDetectors.all().stream().map(BehaviourDetector::id).distinct()).hasSize(16);
  }

  @Test
  void honeytokenAlertsAreCriticalAndNameTheKey() {
    ExpectationFile.Outcome o = ExpectationFile.run("tooling-intel.jsonl", engine());
    List<Alert> honey = o.alerts().stream().filter(a -> a.ruleId().equals(HoneytokenUsedDetector.ID)).toList();
    assertThat(honey).hasSize(2).allMatch(a -> a.severity() == Severity.CRITICAL && a.source().equals("behaviour"));
    assertThat(honey.get(0).explanation()).contains("AKIAHONEY00000000001");
  }
}
