package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.EventReader;
import dev.vigil.intel.IocFeed;
import dev.vigil.simulate.EcBreachSimulation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulated European Commission breach (30 days, a benign world full of look-alikes: a CI key on a new
 * runner address every run, a nightly backup reading every tenant, admins rotating keys, new hires and
 * automation). With the shipped defaults: no alert without an attacker event, and the first alert is the
 * TruffleHog validation. The 1M-event runs are a documented command (docs/BEHAVIOUR.md); here 10,000
 * background events and 12 tenants (the tenant-spread floor is 10 buckets) keep the suite fast.
 */
class SimulatedBreachTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9, 10})
  void noFalsePositiveAndTheFirstAlertIsTheFirstAttackerEvent(long seed, @TempDir Path dir) throws Exception {
    EcBreachSimulation.write(dir, EcBreachSimulation.defaults().withSeed(seed).withDays(30)
        .withBackgroundEvents(10_000).withTenants(12), null);
    JsonNode truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
    Set<String> attacker = new HashSet<>();
    truth.path("attacker_event_ids").forEach(n -> attacker.add(n.asText()));
    String first = truth.path("first_attacker_event_id").asText();

    BehaviourEngine engine = BehaviourEngine.create(BehaviourConfig.defaults(), IocFeed.bundled());
    List<Alert> alerts = new ArrayList<>();
    long[] events = {0};
    new EventReader().read(List.of(dir), e -> {
      events[0]++;
      engine.accept(e, alerts::add);
    });
    engine.finish(alerts::add);
    assertThat(events[0]).isEqualTo(truth.path("event_count").asLong());

    List<String> falsePositives = alerts.stream()
        .filter(a -> a.events().stream().map(AuditEvent::eventId).noneMatch(attacker::contains))
        .map(a -> a.ruleId() + ": " + a.explanation()).toList();
    assertThat(falsePositives).as("alerts without any attacker event").isEmpty();

    Alert earliest = alerts.stream().min(Comparator.comparing(Alert::time)).orElseThrow();
    assertThat(earliest.trigger().eventId()).isEqualTo(first);
    assertThat(alerts.stream().filter(a -> a.time().equals(earliest.time())).map(Alert::ruleId))
        .contains(AttackerToolingDetector.ID, KnownBadAddressDetector.ID);

    Alert persistence = alerts.stream().filter(a -> a.ruleId().equals(CredentialsForOtherUserDetector.ID))
        .findFirst().orElseThrow();
    assertThat(persistence.details()).containsEntry("created_access_key_id", truth.path("persistence_key_id").asText())
        .containsEntry("access_key_id", truth.path("stolen_key_id").asText());
    assertThat(alerts).extracting(Alert::ruleId).contains(SuspiciousKeyUsedDetector.ID, DiscoveryBurstDetector.ID,
        S3TenantSpreadDetector.ID, S3VolumeDetector.ID, MultipleOriginsDetector.ID);
  }
}
