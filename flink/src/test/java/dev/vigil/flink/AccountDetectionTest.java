package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The account stage without Flink: on the simulated EC breach it finds what {@code vigil detect} finds, and saving
 * every account's changes to its store and loading it back from the store alone (as a checkpoint and restore do)
 * changes nothing.
 */
class AccountDetectionTest {

  /**
   * Runs the account stage over {@code events}; every {@code snapshotEvery} events every account saves what changed to
   * its store (kept across snapshots, as keyed state is) and is loaded back from the store alone.
   */
  static Breach.Run accountStage(List<AuditEvent> events, int snapshotEvery, long[] maxBytes) throws Exception {
    return accountStage(events, snapshotEvery, maxBytes, false);
  }

  /** With {@code restart}, every snapshot also starts a new Sigma rule set, as a task restarted after a failure does. */
  static Breach.Run accountStage(List<AuditEvent> events, int snapshotEvery, long[] maxBytes, boolean restart)
      throws Exception {
    AccountDetection.Shared shared = DetectionSetup.defaults().shared();
    List<IncidentUpdate> updates = new ArrayList<>();
    shared.relay.target = updates::add;
    Detector[] sigma = {SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet()};
    Map<String, AccountDetection> accounts = new LinkedHashMap<>();
    Map<String, MapAccountStore> stores = new LinkedHashMap<>();
    List<Alert> alerts = new ArrayList<>();
    int n = 0;
    for (AuditEvent e : events) {
      accounts.computeIfAbsent(ActorRecord.accountOf(e), k -> AccountDetection.fresh(shared)).event(e, sigma[0], alerts::add);
      // with restart also right after each GetCallerIdentity: it opens the "key checked, then used" correlation
      if (snapshotEvery > 0 && (++n % snapshotEvery == 0 || restart && "GetCallerIdentity".equals(e.action()))) {
        for (Map.Entry<String, AccountDetection> a : accounts.entrySet()) {
          MapAccountStore store = stores.computeIfAbsent(a.getKey(), k -> new MapAccountStore());
          a.getValue().save(store);
          maxBytes[0] = Math.max(maxBytes[0], store.size());
          maxBytes[1] = Math.max(maxBytes[1], store.incidents() == null ? 0 : store.incidents().length);
        }
        if (restart) {
          sigma[0] = SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet();
        }
        accounts.clear();
        for (Map.Entry<String, MapAccountStore> st : stores.entrySet()) {
          accounts.put(st.getKey(), AccountDetection.load(shared, st.getValue()));
        }
        if (restart) {
          accounts.values().forEach(d -> d.restoreSigma(sigma[0]));
        }
      }
    }
    sigma[0].finish(a -> accounts.get(ActorRecord.accountOf(a.trigger())).admit(a, alerts::add));
    List<Incident> incidents = new ArrayList<>();
    for (AccountDetection d : accounts.values()) {
      d.finish(alerts::add);
      incidents.addAll(d.tracker.incidents());
    }
    return new Breach.Run(alerts, updates, incidents);
  }

  static List<String> updates(List<IncidentUpdate> updates) {
    List<String> out = new ArrayList<>();
    for (IncidentUpdate u : updates) {
      out.add(u.incident().uid() + " r" + u.incident().revision() + " " + u.kind() + " " + u.reason()
          + " alerts=" + u.incident().alertCount() + " bytes=" + u.incident().bytesRead());
    }
    return out;
  }

  @Test
  void sameAlertsAndIncidentsAsVigilDetectAndUnchangedBySnapshots() throws Exception {
    List<AuditEvent> events = Breach.events();
    Breach.Run cli = Breach.vigilDetect(events);
    Breach.Run plain = accountStage(events, 0, new long[2]);
    long[] maxBytes = {0, 0};
    Breach.Run restored = accountStage(events, 97, maxBytes);

    System.out.printf("breach: %d events, %d alerts, %d incident updates, %d incidents, largest account state %d bytes"
        + " (incident tracker at most %d)%n", events.size(), cli.alerts().size(), cli.updates().size(),
        cli.incidents().size(), maxBytes[0], maxBytes[1]);
    assertThat(cli.incidents()).hasSize(1);
    assertThat(cli.alerts()).extracting(Alert::source).contains("sigma", "behaviour");
    assertThat(Breach.summaries(plain.alerts())).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
    assertThat(updates(plain.updates())).containsExactlyElementsOf(updates(cli.updates()));
    assertThat(Breach.summaries(restored.alerts())).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
    assertThat(updates(restored.updates())).containsExactlyElementsOf(updates(cli.updates()));
    assertThat(restored.incidents()).isEqualTo(cli.incidents());
  }

  /**
   * Snapshots as above and after every GetCallerIdentity, and after each one a new Sigma rule set, as after a task failure: the Sigma correlation
   * windows open at the snapshot are rebuilt from the correlation inputs kept in the account state.
   */
  @Test
  void sigmaCorrelationWindowsSurviveARestart() throws Exception {
    List<AuditEvent> events = Breach.events();
    Breach.Run cli = Breach.vigilDetect(events);
    assertThat(cli.alerts()).extracting(Alert::ruleId).contains("e4e5bba0-56b9-4a4b-9037-005937942aef");
    Breach.Run restarted = accountStage(events, 97, new long[2], true);
    assertThat(Breach.summaries(restarted.alerts())).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
    assertThat(updates(restarted.updates())).containsExactlyElementsOf(updates(cli.updates()));
  }

  /**
   * A save writes what changed since the previous one and no more: after one more event of one principal, that
   * principal's entry and the account-wide value; the folding and the incidents only once an alert changed them; and
   * expired correlation inputs leave the store.
   */
  @Test
  void aSaveWritesOnlyWhatChanged() throws Exception {
    AccountDetection.Shared shared = DetectionSetup.defaults().shared();
    Detector sigma = SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet();
    AccountDetection d = AccountDetection.fresh(shared);
    MapAccountStore store = new MapAccountStore();
    List<Alert> alerts = new ArrayList<>();
    java.time.Instant t0 = java.time.Instant.parse("2026-03-01T08:00:00Z");
    // 50 principals, one quiet read each: the first save writes all of them
    for (int i = 0; i < 50; i++) {
      d.event(Breach.event(t0.plusSeconds(i), "user" + i, "ListBuckets", "s3.amazonaws.com", "10.0.0." + i), sigma,
          alerts::add);
    }
    d.save(store);
    assertThat(alerts).isEmpty();
    assertThat(store.principals).hasSize(50);
    assertThat(store.folding()).isNotNull();
    assertThat(store.incidents()).isNotNull();

    store.resetCounters();
    d.event(Breach.event(t0.plusSeconds(100), "user7", "ListBuckets", "s3.amazonaws.com", "10.0.0.7"), sigma,
        alerts::add);
    d.save(store);
    assertThat(alerts).isEmpty();
    assertThat(store.writes).as("user7's entry and the account-wide value").isEqualTo(2);

    store.resetCounters();
    d.save(store);
    assertThat(store.writes).as("nothing changed but the account-wide value is rewritten").isEqualTo(1);

    // an alert (logging stopped) changes the folding and the tracker as well
    store.resetCounters();
    d.event(Breach.event(t0.plusSeconds(200), "user9", "StopLogging", "cloudtrail.amazonaws.com", "203.0.113.9"), sigma,
        alerts::add);
    d.save(store);
    assertThat(alerts).isNotEmpty();
    assertThat(store.writes).as("user9, folding, incidents, account").isEqualTo(4);

    // a key checked with GetCallerIdentity feeds a Sigma correlation: 300 checks are 300 correlation inputs, stored
    // in chunks of 128; each save writes the new ones and rewrites the chunk it left unfinished
    for (int i = 0; i < 300; i++) {
      store.resetCounters();
      d.event(Breach.event(t0.plusSeconds(300 + i), "user9", "GetCallerIdentity", "sts.amazonaws.com", "203.0.113.9"),
          sigma, alerts::add);
      d.save(store);
      assertThat(store.principalWrites).as("user9's entry").isEqualTo(1);
      assertThat(store.chunkWrites).as("the chunk of the new input").isEqualTo(1);
    }
    assertThat(store.correlationInputs.keySet()).containsExactlyInAnyOrder(0L, 1L, 2L);

    // two days later they have expired: the chunks left behind leave the store
    store.resetCounters();
    d.event(Breach.event(t0.plus(java.time.Duration.ofDays(2)), "user1", "ListBuckets", "s3.amazonaws.com",
        "10.0.0.1"), sigma, alerts::add);
    d.event(Breach.event(t0.plus(java.time.Duration.ofDays(2)).plusSeconds(1), "user9", "GetCallerIdentity",
        "sts.amazonaws.com", "203.0.113.9"), sigma, alerts::add);
    d.save(store);
    assertThat(store.correlationInputs.keySet()).as("input 300 only, in chunk 2").containsExactly(2L);
    assertThat(AccountDetection.load(shared, store).correlationInputs()).hasSize(1);

    // loaded back from the store alone, the account goes on exactly as the original
    AccountDetection loaded = AccountDetection.load(shared, store);
    List<Alert> a1 = new ArrayList<>();
    List<Alert> a2 = new ArrayList<>();
    AuditEvent next = Breach.event(t0.plus(java.time.Duration.ofDays(2)).plusSeconds(60), "user9", "CreateAccessKey",
        "iam.amazonaws.com", "203.0.113.9", "{\"userName\":\"backup-admin\"}");
    d.event(next, sigma, a1::add);
    Detector restarted = SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet();
    loaded.restoreSigma(restarted);
    loaded.event(next, restarted, a2::add);
    assertThat(a1).as("the key-checked-then-used correlation and more").isNotEmpty();
    assertThat(Breach.summaries(a2)).isEqualTo(Breach.summaries(a1));
    assertThat(loaded.engine.state().actors.keySet()).containsExactlyElementsOf(d.engine.state().actors.keySet());
  }
}
