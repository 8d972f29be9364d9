package dev.vigil.detect.incident;

import static dev.vigil.detect.incident.Events.alert;
import static dev.vigil.detect.incident.Events.assumeRole;
import static dev.vigil.detect.incident.Events.call;
import static dev.vigil.detect.incident.Events.createAccessKey;
import static dev.vigil.detect.incident.Events.getObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.detect.incident.Incident.Role;
import dev.vigil.detect.incident.IncidentUpdate.Kind;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {
  static final String STOLEN = "AKIASTOLENKEY0000001";
  static final String CREATED = "AKIANEWKEY0000000002";
  static final String ATTACKER_A = "203.0.113.10";
  static final String ATTACKER_B = "203.0.113.77";
  static final String RUNNER = "20.0.0.5";

  final List<IncidentUpdate> updates = new ArrayList<>();
  final IncidentTracker tracker = new IncidentTracker(TenantMap.defaults(), updates::add);

  /** The detection pipeline's order for one event: its alerts first, then the event itself. */
  void feed(AuditEvent e, Alert... alerts) {
    for (Alert a : alerts) {
      tracker.alert(a);
    }
    tracker.observe(e);
  }

  @Test
  void followsTheChainThroughTheKeyItCreatedAndCountsItsReadsPerTenant() {
    // the CI key is used legitimately before and during the attack, from runner addresses
    feed(getObject("ci-1", 0, STOLEN, RUNNER, "site-agri", "index.html", 500));
    AuditEvent validate = call("atk-1", 1, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(validate, alert("vigil.behaviour.tooling", Severity.HIGH, "initial-access", validate));
    assertThat(updates).extracting(IncidentUpdate::kind).containsExactly(Kind.OPENED);

    // the key creates a new key: no alert needed, the tracker sees the response
    AuditEvent persist = createAccessKey("atk-2", 2, STOLEN, ATTACKER_A, CREATED, "web-admin");
    feed(persist);
    feed(getObject("ci-2", 3, STOLEN, RUNNER, "site-agri", "app.js", 700)); // legitimate: not counted
    feed(getObject("atk-3", 4, CREATED, ATTACKER_B, "site-agri", "mail/1.eml", 1_000));
    feed(getObject("atk-4", 5, CREATED, ATTACKER_B, "site-agri", "mail/2.eml", 2_000));
    feed(getObject("atk-5", 6, CREATED, ATTACKER_B, "site-clima", "mail/1.eml", 4_000));
    feed(Events.failed(getObject("atk-6", 7, CREATED, ATTACKER_B, "site-clima", "mail/2.eml", 8_000),
        "AccessDenied")); // a failed read takes nothing
    feed(getObject("other-1", 8, "AKIAUNRELATED0000003", "198.51.100.1", "site-clima", "x", 99_999));

    AuditEvent lastRead = getObject("atk-7", 9, CREATED, ATTACKER_B, "site-clima", "mail/3.eml", 16_000);
    feed(lastRead, alert("vigil.behaviour.s3-exfiltration", Severity.HIGH, List.of("exfiltration"),
        List.of("T1530"), List.of(lastRead), Map.of()));

    assertThat(tracker.incidents()).hasSize(1);
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.credential(Role.COMPROMISED).accessKeyId()).isEqualTo(STOLEN);
    Incident.Credential created = inc.credential(Role.CREATED);
    assertThat(created.accessKeyId()).isEqualTo(CREATED);
    assertThat(created.createdBy()).isEqualTo(STOLEN);
    assertThat(created.principal()).isEqualTo("web-admin");
    assertThat(created.viaEventId()).isEqualTo("atk-2");
    assertThat(inc.addresses()).containsExactly(ATTACKER_A, ATTACKER_B);
    assertThat(inc.tenant("site-agri").objectsRead()).isEqualTo(2);
    assertThat(inc.tenant("site-agri").bytesRead()).isEqualTo(3_000);
    assertThat(inc.tenant("site-clima").objectsRead()).isEqualTo(2);
    assertThat(inc.tenant("site-clima").bytesRead()).isEqualTo(20_000);
    assertThat(inc.tenant("site-clima").addresses()).containsExactly(ATTACKER_B);
    assertThat(inc.objectsRead()).isEqualTo(4);
    assertThat(inc.bytesRead()).isEqualTo(23_000);
    assertThat(inc.eventsObserved()).isEqualTo(7); // atk-1..atk-7, not the runner's calls nor the other key
    assertThat(inc.evidenceEventIds()).containsExactly("atk-1", "atk-7");
    assertThat(inc.killChain()).extracting(Incident.Stage::tactic)
        .containsExactly(Tactic.INITIAL_ACCESS, Tactic.EXFILTRATION);
    assertThat(inc.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(inc.firstSeen()).isEqualTo(validate.time());
    assertThat(inc.lastSeen()).isEqualTo(lastRead.time());
    // the stream: opened, new key, first read of each tenant, then the exfiltration stage
    assertThat(updates).extracting(IncidentUpdate::reason).containsExactly(
        "opened by Test rule vigil.behaviour.tooling [vigil.behaviour.tooling]",
        "new access key " + CREATED + " created by " + STOLEN,
        "first read from tenant site-agri",
        "first read from tenant site-clima",
        "Test rule vigil.behaviour.s3-exfiltration [vigil.behaviour.s3-exfiltration]");
    assertThat(updates).extracting(u -> u.incident().revision()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void aKeyNamedInAlertDetailsJoinsTheChainAndSoDoSessionsItsKeysAssume() {
    AuditEvent persist = call("p-1", 0, "CreateAccessKey", STOLEN, ATTACKER_A); // response not logged
    feed(persist, alert("vigil.behaviour.persistence", Severity.HIGH, List.of("persistence"), List.of("T1098.001"),
        List.of(persist), Map.of("created_access_key_id", CREATED)));
    AuditEvent assume = assumeRole("p-2", 1, CREATED, ATTACKER_B, "ASIASESSION000000004");
    feed(assume);
    AuditEvent recon = call("p-3", 2, "ListRoles", "ASIASESSION000000004", ATTACKER_B);
    feed(recon, alert("vigil.behaviour.recon", Severity.MEDIUM, "discovery", recon));

    assertThat(tracker.incidents()).hasSize(1);
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.credentials()).extracting(Incident.Credential::accessKeyId, Incident.Credential::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(STOLEN, Role.COMPROMISED),
            org.assertj.core.groups.Tuple.tuple(CREATED, Role.CREATED),
            org.assertj.core.groups.Tuple.tuple("ASIASESSION000000004", Role.SESSION));
    assertThat(inc.credential(Role.SESSION).createdBy()).isEqualTo(CREATED);
    assertThat(inc.evidenceEventIds()).containsExactly("p-1", "p-3");
  }

  @Test
  void anotherKeyUsedFromTheChainsAddressJoinsTheSameIncident() {
    AuditEvent a = call("a-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(a, alert("r1", Severity.HIGH, "initial-access", a));
    AuditEvent b = call("a-2", 5, "ListUsers", "AKIASECONDKEY0000005", ATTACKER_A);
    feed(b, alert("r2", Severity.MEDIUM, "discovery", b));
    assertThat(tracker.incidents()).hasSize(1);
    assertThat(tracker.incidents().get(0).credentials()).extracting(Incident.Credential::accessKeyId)
        .containsExactly(STOLEN, "AKIASECONDKEY0000005");
  }

  @Test
  void theOwnersOrdinaryUseInAnAlertsEarlierEvidenceDoesNotBecomeAnAttackerAddress() {
    AuditEvent ownerCheck = call("o-1", 0, "GetCallerIdentity", STOLEN, RUNNER);
    feed(ownerCheck);
    AuditEvent persist = createAccessKey("o-2", 1, STOLEN, ATTACKER_A, CREATED, "web-admin");
    // a correlation: "key checked, then used to create a key", whose first event is the CI's own check
    feed(persist, alert("vigil.checked-then-created", Severity.CRITICAL, List.of("persistence"), List.of(),
        List.of(ownerCheck, persist), Map.of()));
    feed(getObject("o-3", 2, STOLEN, RUNNER, "site-a", "index.html", 10)); // the CI, still at work
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.addresses()).containsExactly(ATTACKER_A);
    assertThat(inc.objectsRead()).isZero();
    assertThat(inc.evidenceEventIds()).containsExactly("o-1", "o-2");
  }

  @Test
  void twoUnrelatedAttackersMakeTwoIncidents() {
    AuditEvent a = call("x-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(a, alert("r1", Severity.HIGH, "initial-access", a));
    AuditEvent b = call("y-1", 1, "GetCallerIdentity", "AKIAOTHERVICTIM00006", "192.0.2.200");
    feed(b, alert("r1", Severity.HIGH, "initial-access", b));
    AuditEvent a2 = call("x-2", 2, "ListUsers", STOLEN, ATTACKER_A);
    feed(a2, alert("r2", Severity.MEDIUM, "discovery", a2));

    List<Incident> incidents = tracker.incidents();
    assertThat(incidents).hasSize(2);
    assertThat(incidents.get(0).evidenceEventIds()).containsExactly("x-1", "x-2");
    assertThat(incidents.get(1).evidenceEventIds()).containsExactly("y-1");
    assertThat(incidents.get(0).uid()).isNotEqualTo(incidents.get(1).uid());
    assertThat(updates).extracting(IncidentUpdate::kind).containsExactly(Kind.OPENED, Kind.OPENED, Kind.UPDATED);
  }

  @Test
  void severityRisesWithEveryStageReached() {
    AuditEvent e1 = call("s-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(e1, alert("r1", Severity.LOW, "initial-access", e1));
    assertThat(tracker.incidents().get(0).severity()).isEqualTo(Severity.LOW);
    AuditEvent e2 = call("s-2", 1, "ListUsers", STOLEN, ATTACKER_A);
    feed(e2, alert("r2", Severity.LOW, "discovery", e2));
    assertThat(tracker.incidents().get(0).severity()).isEqualTo(Severity.MEDIUM);
    AuditEvent e3 = call("s-3", 2, "ListRoles", STOLEN, ATTACKER_A);
    feed(e3, alert("r3", Severity.LOW, "discovery", e3)); // same stage again: no rise, no update
    assertThat(tracker.incidents().get(0).severity()).isEqualTo(Severity.MEDIUM);
    AuditEvent e4 = createAccessKey("s-4", 3, STOLEN, ATTACKER_A, CREATED, "web-admin");
    feed(e4, alert("r4", Severity.MEDIUM, "persistence", e4));
    assertThat(tracker.incidents().get(0).severity()).isEqualTo(Severity.CRITICAL); // MEDIUM raised twice
    assertThat(updates).extracting(u -> u.incident().severity())
        .containsExactly(Severity.LOW, Severity.MEDIUM, Severity.CRITICAL);
  }

  @Test
  void oneAlertTaggedWithTwoTacticsIsOneStep() {
    AuditEvent e1 = call("t-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(e1, alert("r1", Severity.HIGH, List.of("initial-access", "credential-access"), List.of(), List.of(e1),
        Map.of()));
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.killChain()).extracting(Incident.Stage::tactic)
        .containsExactly(Tactic.INITIAL_ACCESS, Tactic.CREDENTIAL_ACCESS);
    assertThat(inc.severity()).isEqualTo(Severity.HIGH);
    AuditEvent e2 = call("t-2", 1, "ListUsers", STOLEN, ATTACKER_A);
    feed(e2, alert("r2", Severity.MEDIUM, "discovery", e2));
    assertThat(tracker.incidents().get(0).severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void exfiltrationAfterAccessIsCriticalWhateverTheAlertSeverities() {
    AuditEvent e1 = call("c-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(e1, alert("r1", Severity.INFORMATIONAL, "initial-access", e1));
    AuditEvent e2 = getObject("c-2", 1, STOLEN, ATTACKER_A, "b", "k", 1);
    feed(e2, alert("r2", Severity.INFORMATIONAL, "exfiltration", e2));
    assertThat(tracker.incidents().get(0).severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void anAlertSpanningTwoIncidentsMergesThemIntoTheOlder() {
    AuditEvent a = call("m-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(a, alert("r1", Severity.HIGH, "initial-access", a));
    AuditEvent b = call("m-2", 1, "GetCallerIdentity", CREATED, ATTACKER_B);
    feed(b, alert("r1", Severity.HIGH, "initial-access", b));
    String older = tracker.incidents().get(0).uid();
    String younger = tracker.incidents().get(1).uid();
    AuditEvent c = call("m-3", 2, "ListUsers", CREATED, ATTACKER_B);
    feed(c, alert("r-multi", Severity.MEDIUM, List.of("discovery"), List.of(), List.of(a, c), Map.of()));

    assertThat(tracker.incidents()).hasSize(1);
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.uid()).isEqualTo(older);
    assertThat(inc.evidenceEventIds()).containsExactlyInAnyOrder("m-1", "m-2", "m-3");
    assertThat(inc.evidenceCount()).isEqualTo(3);
    assertThat(inc.alertCount()).isEqualTo(3);
    IncidentUpdate mergedUpdate = updates.stream().filter(u -> u.kind() == Kind.MERGED).findFirst().orElseThrow();
    assertThat(mergedUpdate.incident().uid()).isEqualTo(younger);
    assertThat(mergedUpdate.mergedInto()).isEqualTo(older);
    assertThat(tracker.merged()).isEqualTo(1);
  }

  @Test
  void readsFlaggedAfterTheFactAreCountedOnceEvenWhenSeenAgain() {
    AuditEvent r1 = getObject("r-1", 0, CREATED, ATTACKER_B, "site-a", "1", 100);
    AuditEvent r2 = getObject("r-2", 1, CREATED, ATTACKER_B, "site-a", "2", 200);
    feed(r1);
    feed(r2);
    assertThat(tracker.incidents()).isEmpty();
    AuditEvent r3 = getObject("r-3", 2, CREATED, ATTACKER_B, "site-b", "3", 400);
    // a windowed detector flags all three reads when the third goes by
    feed(r3, alert("vigil.behaviour.s3-exfiltration", Severity.HIGH, List.of("exfiltration"), List.of(),
        List.of(r1, r2, r3), Map.of()));
    feed(r3); // a duplicate delivery of the same event
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.tenant("site-a").objectsRead()).isEqualTo(2);
    assertThat(inc.tenant("site-a").bytesRead()).isEqualTo(300);
    assertThat(inc.tenant("site-b").bytesRead()).isEqualTo(400);
    assertThat(inc.objectsRead()).isEqualTo(3);
  }

  @Test
  void alertsOfOneRuleAreSummedUpForTheTimeline() {
    for (int i = 0; i < 3; i++) {
      AuditEvent e = call("h-" + i, i, "ListUsers", STOLEN, i < 2 ? ATTACKER_A : ATTACKER_B);
      feed(e, alert("vigil.recon", i == 2 ? Severity.HIGH : Severity.LOW, "discovery", e));
    }
    AuditEvent e = call("h-9", 9, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(e, alert("vigil.tooling", Severity.MEDIUM, "initial-access", e));
    Incident inc = tracker.incidents().get(0);
    assertThat(inc.rules()).hasSize(2);
    Incident.RuleHits recon = inc.rules().get(0);
    assertThat(recon.ruleId()).isEqualTo("vigil.recon");
    assertThat(recon.alerts()).isEqualTo(3);
    assertThat(recon.severity()).isEqualTo(Severity.HIGH);
    assertThat(recon.firstSeen()).isEqualTo(Events.T0);
    assertThat(recon.lastSeen()).isEqualTo(Events.T0.plusSeconds(120));
    assertThat(recon.addresses()).containsExactly(ATTACKER_A, ATTACKER_B);
    assertThat(recon.actors()).containsExactly(STOLEN);
    assertThat(inc.rules().get(1).ruleId()).isEqualTo("vigil.tooling");
    // the streamed form is light: newest alerts only, no evidence
    Incident light = inc.compact(2);
    assertThat(light.alerts()).extracting(Incident.AlertRef::ruleId).containsExactly("vigil.recon", "vigil.tooling");
    assertThat(light.evidence()).isEmpty();
    assertThat(light.evidenceEventIds()).isEmpty();
    assertThat(light.evidenceCount()).isEqualTo(4);
  }

  @Test
  void theSameFirstAlertAlwaysOpensTheSameIncidentUid() {
    AuditEvent a = call("u-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    Alert first = alert("r1", Severity.HIGH, "initial-access", a);
    List<IncidentUpdate> other = new ArrayList<>();
    IncidentTracker again = new IncidentTracker(TenantMap.defaults(), other::add);
    tracker.alert(first);
    again.alert(first);
    assertThat(tracker.incidents().get(0).uid()).isEqualTo(again.incidents().get(0).uid());
  }

  @Test
  void stateIsBoundedTheLeastRecentlyActiveIncidentIsEvicted() {
    IncidentTracker small = new IncidentTracker(TenantMap.defaults(),
        new IncidentTracker.Limits(2, 10, 10, 10, 10, 10, 10, 10), updates::add);
    for (int i = 0; i < 3; i++) {
      AuditEvent e = call("e-" + i, i, "GetCallerIdentity", "AKIAKEY" + i, "192.0.2." + (i + 1));
      small.alert(alert("r", Severity.HIGH, "initial-access", e));
    }
    assertThat(small.incidents()).hasSize(2);
    assertThat(small.evicted()).isEqualTo(1);
    assertThat(updates).extracting(IncidentUpdate::kind)
        .containsExactly(Kind.OPENED, Kind.OPENED, Kind.EVICTED, Kind.OPENED);
    assertThat(updates.get(2).incident().evidenceEventIds()).containsExactly("e-0");
  }

  @Test
  void alertsOnServiceAddressesDoNotLinkUnrelatedChains() {
    AuditEvent a = call("s-1", 0, "ListUsers", STOLEN, "iam.amazonaws.com");
    feed(a, alert("r1", Severity.MEDIUM, "discovery", a));
    AuditEvent b = call("s-2", 1, "ListUsers", "AKIAOTHER00000000007", "iam.amazonaws.com");
    feed(b, alert("r1", Severity.MEDIUM, "discovery", b));
    assertThat(tracker.incidents()).hasSize(2);
  }

  @Test
  void finishEmitsTheFinalFiguresOnlyWhenTheyChanged() {
    AuditEvent a = call("f-1", 0, "GetCallerIdentity", STOLEN, ATTACKER_A);
    feed(a, alert("r1", Severity.HIGH, "initial-access", a));
    feed(getObject("f-2", 1, STOLEN, ATTACKER_A, "site-a", "1", 10));
    feed(getObject("f-3", 2, STOLEN, ATTACKER_A, "site-a", "2", 10)); // no update: same tenant
    int before = updates.size();
    tracker.finish();
    assertThat(updates).hasSize(before + 1);
    assertThat(updates.get(updates.size() - 1).reason()).isEqualTo("final figures");
    assertThat(updates.get(updates.size() - 1).incident().tenant("site-a").bytesRead()).isEqualTo(20);
    tracker.finish();
    assertThat(updates).hasSize(before + 1);
  }
}
