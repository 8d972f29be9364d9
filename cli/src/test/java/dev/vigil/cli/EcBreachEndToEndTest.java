package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The product's promise on the simulated EC breach, through the real commands: {@code vigil simulate ec-breach},
 * then {@code vigil detect --out}. Ground truth is the simulator's {@code truth.json}.
 */
class EcBreachEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  // sized for a fast suite: the attack scales with the tenants (12 tenants: about 10,000 attacker events)
  static final String BACKGROUND_EVENTS = "25000";
  static final String TENANTS = "12";
  static final String DAYS = "7";

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {7, 8, 9, 10})
  void oneIncidentFromTheAttackersFirstCallWithTheExactImpact(int seed) throws IOException {
    Path logs = dir.resolve("logs");
    Path out = dir.resolve("out");
    DetectOutputTest.Run sim = DetectOutputTest.run("simulate", "ec-breach", "--out", logs.toString(), "--seed",
        Integer.toString(seed), "--background-events", BACKGROUND_EVENTS, "--tenants", TENANTS, "--days", DAYS,
        "--compression", "1");
    assertThat(sim.code()).as(sim.err()).isEqualTo(0);
    DetectOutputTest.Run detect = DetectOutputTest.run("detect", logs.toString(), "--out", out.toString(),
        "--format", "jsonl");
    assertThat(detect.code()).as(detect.err()).isEqualTo(0);

    JsonNode truth = JSON.readTree(logs.resolve("truth.json").toFile());
    Set<String> attacker = new HashSet<>();
    truth.get("attacker_event_ids").forEach(n -> attacker.add(n.asText()));
    String first = truth.get("first_attacker_event_id").asText();

    // alerts: the first one is on the attacker's first event; none touches only benign events
    List<JsonNode> alerts = DetectOutputTest.lines(out.resolve("alerts.jsonl"));
    assertThat(alerts).isNotEmpty();
    assertThat(relatedEvents(alerts.get(0))).contains(first);
    Set<String> flaggedAttackerEvents = new LinkedHashSet<>();
    for (JsonNode a : alerts) {
      Set<String> related = relatedEvents(a);
      assertThat(related).as("alert %s on benign events only", a.at("/finding_info/analytic/uid").asText())
          .containsAnyElementsOf(attacker);
      related.stream().filter(attacker::contains).forEach(flaggedAttackerEvents::add);
    }

    // one incident holds every flagged attacker event, names the keys and addresses
    List<JsonNode> incidents = DetectOutputTest.lines(out.resolve("incidents.jsonl"));
    assertThat(incidents).hasSize(1);
    JsonNode inc = incidents.get(0).at("/unmapped/vigil_incident");
    Set<String> evidence = new HashSet<>();
    inc.get("evidence_event_ids").forEach(n -> evidence.add(n.asText()));
    assertThat(evidence).containsAll(flaggedAttackerEvents);
    assertThat(inc.get("alert_count").asLong()).isEqualTo(alerts.size());
    Map<String, String> roles = new HashMap<>();
    inc.get("credentials").forEach(c -> roles.put(c.get("access_key_id").asText(), c.get("role").asText()));
    assertThat(roles).containsEntry(truth.get("stolen_key_id").asText(), "COMPROMISED");
    assertThat(roles).containsEntry(truth.get("persistence_key_id").asText(), "CREATED");
    Set<String> addresses = new HashSet<>();
    inc.get("addresses").forEach(n -> addresses.add(n.asText()));
    Set<String> attackerIps = new HashSet<>();
    truth.get("attacker_ips").forEach(n -> attackerIps.add(n.asText()));
    assertThat(addresses).isEqualTo(attackerIps);

    // per tenant, objects and bytes equal the truth, and no other tenant is charged. Without --tenants a tenant
    // is named after its bucket; the simulator names each tenant's bucket in truth.json
    Map<String, long[]> expected = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = truth.get("tenants").fields();
    while (it.hasNext()) {
      JsonNode t = it.next().getValue();
      if (t.get("objects_read").asLong() > 0) {
        expected.put(t.get("bucket").asText(), new long[] {t.get("objects_read").asLong(),
            t.get("bytes_read").asLong()});
      }
    }
    assertThat(expected).hasSize(truth.at("/exfiltration/tenants_read").asInt());
    Map<String, long[]> actual = new HashMap<>();
    inc.get("tenants").forEach(t -> actual.put(t.get("tenant").asText(),
        new long[] {t.get("objects_read").asLong(), t.get("bytes_read").asLong()}));
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((tenant, figures) -> assertThat(actual.get(tenant)).as(tenant).containsExactly(figures));
  }

  static Set<String> relatedEvents(JsonNode alert) {
    Set<String> ids = new LinkedHashSet<>();
    alert.at("/finding_info/related_events").forEach(e -> ids.add(e.get("uid").asText()));
    return ids;
  }
}
