package dev.vigil.detect.incident;

import static dev.vigil.detect.incident.Events.alert;
import static dev.vigil.detect.incident.Events.call;
import static dev.vigil.detect.incident.Events.createAccessKey;
import static dev.vigil.detect.incident.Events.getObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OcsfIncidentsTest {

  /** A small chain: validation, a created key, reads from two tenants, an exfiltration alert. */
  static List<IncidentUpdate> chain(List<Alert> alerts) {
    List<IncidentUpdate> updates = new ArrayList<>();
    chain(alerts, updates);
    return updates;
  }

  /** The chain's full final incident; {@code updates} gets the streamed changes. */
  static Incident chain(List<Alert> alerts, List<IncidentUpdate> updates) {
    IncidentTracker t = new IncidentTracker(TenantMap.defaults(), updates::add);
    AuditEvent v = call("ev-1", 0, "GetCallerIdentity", "AKIASTOLEN0000000001", "203.0.113.10");
    Alert a1 = alert("vigil.tooling", Severity.HIGH, List.of("initial-access"), List.of("T1078.004"), List.of(v),
        Map.of());
    AuditEvent k = createAccessKey("ev-2", 1, "AKIASTOLEN0000000001", "203.0.113.10", "AKIACREATED000000002", "web");
    Alert a2 = alert("vigil.persistence", Severity.HIGH, List.of("persistence"), List.of("T1098.001"), List.of(k),
        Map.of("created_access_key_id", "AKIACREATED000000002"));
    AuditEvent r1 = getObject("ev-3", 2, "AKIACREATED000000002", "203.0.113.77", "site-a", "mail/1.eml", 1500);
    AuditEvent r2 = getObject("ev-4", 3, "AKIACREATED000000002", "203.0.113.77", "site-b", "<b>x</b>.eml", 2500);
    Alert a3 = alert("vigil.exfil", Severity.HIGH, List.of("exfiltration"), List.of("T1530"), List.of(r1, r2),
        Map.of());
    alerts.addAll(List.of(a1, a2, a3));
    t.alert(a1);
    t.observe(v);
    t.alert(a2);
    t.observe(k);
    t.observe(r1);
    t.alert(a3);
    t.observe(r2);
    t.finish();
    return t.incidents().get(0);
  }

  @Test
  void anIncidentIsAnOcsfIncidentFindingWithItsAlertsKillChainAndObservables() {
    List<Alert> alerts = new ArrayList<>();
    Incident inc = chain(alerts, new ArrayList<>());
    ObjectNode o = OcsfIncidents.incidentFinding(inc);

    assertThat(o.get("class_uid").asInt()).isEqualTo(2005);
    assertThat(o.get("class_name").asText()).isEqualTo("Incident Finding");
    assertThat(o.get("category_uid").asInt()).isEqualTo(2);
    assertThat(o.get("activity_id").asInt()).isEqualTo(2);
    assertThat(o.get("type_uid").asInt()).isEqualTo(200502);
    assertThat(o.get("severity_id").asInt()).isEqualTo(5);
    assertThat(o.get("status_id").asInt()).isEqualTo(1);
    assertThat(o.get("impact_id").asInt()).isEqualTo(4); // several tenants' data read
    assertThat(o.get("is_suspected_breach").asBoolean()).isTrue();
    assertThat(o.get("start_time").asLong()).isEqualTo(Events.T0.toEpochMilli());
    assertThat(o.get("end_time").asLong()).isEqualTo(Events.T0.plusSeconds(180).toEpochMilli());
    assertThat(o.at("/metadata/uid").asText()).isEqualTo(inc.uid());
    assertThat(o.at("/metadata/profiles").toString()).isEqualTo("[\"incident\",\"cloud\"]");

    // one finding_info per alert, with the alert's own Detection Finding uid and its events
    JsonNode infos = o.get("finding_info_list");
    assertThat(infos).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(infos.get(i).get("uid").asText()).isEqualTo(OcsfFindings.alertUid(alerts.get(i)));
      assertThat(infos.get(i).at("/analytic/uid").asText()).isEqualTo(alerts.get(i).ruleId());
    }
    assertThat(infos.get(2).get("related_events").findValuesAsText("uid")).containsExactly("ev-3", "ev-4");

    // the kill chain, in order, with ATT&CK tactic ids
    assertThat(o.get("attacks").findValuesAsText("name"))
        .containsExactly("Initial Access", "Persistence", "Exfiltration");
    assertThat(o.get("attacks").get(0).at("/tactic/uid").asText()).isEqualTo("TA0001");
    assertThat(o.get("attacks").get(0).at("/technique/uid").asText()).isEqualTo("T1078.004");

    List<String> observables = new ArrayList<>();
    o.get("observables").forEach(n -> observables.add(n.get("name").asText() + "=" + n.get("value").asText()));
    assertThat(observables).containsExactly("credential.compromised=AKIASTOLEN0000000001",
        "credential.created=AKIACREATED000000002", "src_endpoint.ip=203.0.113.10", "src_endpoint.ip=203.0.113.77",
        "tenant=site-b", "tenant=site-a");
  }

  @Test
  void theVigilIncidentInsideRoundTripsExactly() throws Exception {
    List<IncidentUpdate> updates = new ArrayList<>();
    Incident inc = chain(new ArrayList<>(), updates);
    // the streamed last change is the light form of the same state
    assertThat(updates.get(updates.size() - 1).incident()).isEqualTo(inc.compact(IncidentTracker.UPDATE_ALERTS));
    ObjectNode o = OcsfIncidents.incidentFinding(inc);
    String text = new ObjectMapper().writeValueAsString(o);
    JsonNode back = new ObjectMapper().readTree(text).at("/unmapped/vigil_incident");
    assertThat(IncidentJson.fromJson(back)).isEqualTo(inc);
    assertThat(back.get("bytes_read").asLong()).isEqualTo(4000);
    assertThat(back.at("/tenants/0/tenant").asText()).isEqualTo("site-b");
    assertThat(back.at("/credentials/1/role").asText()).isEqualTo("CREATED");
  }

  @Test
  void streamedChangesMapToCreateUpdateAndClose() {
    List<IncidentUpdate> updates = chain(new ArrayList<>());
    assertThat(OcsfIncidents.incidentFinding(updates.get(0)).get("activity_name").asText()).isEqualTo("Create");
    assertThat(OcsfIncidents.incidentFinding(updates.get(1)).get("activity_name").asText()).isEqualTo("Update");
    IncidentUpdate merged = new IncidentUpdate(IncidentUpdate.Kind.MERGED, updates.get(0).incident(), "merged into x",
        "x");
    ObjectNode closed = OcsfIncidents.incidentFinding(merged);
    assertThat(closed.get("activity_id").asInt()).isEqualTo(3);
    assertThat(closed.get("status_id").asInt()).isEqualTo(5);
    assertThat(closed.get("status_detail").asText()).isEqualTo("merged into incident x");
  }
}
