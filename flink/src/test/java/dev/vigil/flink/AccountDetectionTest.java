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
 * The account stage without Flink: on the simulated EC breach it finds what {@code vigil detect} finds, and writing
 * every account's state to bytes and reading it back (as a checkpoint and restore do) changes nothing.
 */
class AccountDetectionTest {

  /** Runs the account stage over {@code events}; every {@code snapshotEvery} events all accounts go through bytes. */
  static Breach.Run accountStage(List<AuditEvent> events, int snapshotEvery, long[] maxBytes) {
    return accountStage(events, snapshotEvery, maxBytes, false);
  }

  /** With {@code restart}, every snapshot also starts a new Sigma rule set, as a task restarted after a failure does. */
  static Breach.Run accountStage(List<AuditEvent> events, int snapshotEvery, long[] maxBytes, boolean restart) {
    AccountDetection.Shared shared = DetectionSetup.defaults().shared();
    List<IncidentUpdate> updates = new ArrayList<>();
    shared.relay.target = updates::add;
    Detector[] sigma = {SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet()};
    Map<String, AccountDetection> accounts = new LinkedHashMap<>();
    List<Alert> alerts = new ArrayList<>();
    int n = 0;
    for (AuditEvent e : events) {
      accounts.computeIfAbsent(ActorRecord.accountOf(e), k -> AccountDetection.fresh(shared)).event(e, sigma[0], alerts::add);
      // with restart also right after each GetCallerIdentity: it opens the "key checked, then used" correlation
      if (snapshotEvery > 0 && (++n % snapshotEvery == 0 || restart && "GetCallerIdentity".equals(e.action()))) {
        Map<String, byte[]> saved = new LinkedHashMap<>();
        accounts.forEach((k, d) -> saved.put(k, d.write()));
        saved.values().forEach(b -> maxBytes[0] = Math.max(maxBytes[0], b.length));
        if (restart) {
          sigma[0] = SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet();
        }
        accounts.clear();
        saved.forEach((k, b) -> accounts.put(k, AccountDetection.read(shared, b)));
        if (restart) {
          accounts.values().forEach(d -> d.restoreSigma(sigma[0]));
        }
      }
    }
    sigma[0].finish(a -> {
      AccountDetection d = accounts.get(ActorRecord.accountOf(a.trigger()));
      if (d.suppression.admit(a)) {
        alerts.add(a);
        d.tracker.alert(a);
      }
    });
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
    Breach.Run plain = accountStage(events, 0, new long[1]);
    long[] maxBytes = {0};
    Breach.Run restored = accountStage(events, 97, maxBytes);

    System.out.printf("breach: %d events, %d alerts, %d incident updates, %d incidents, largest account state %d bytes%n",
        events.size(), cli.alerts().size(), cli.updates().size(), cli.incidents().size(), maxBytes[0]);
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
    Breach.Run restarted = accountStage(events, 97, new long[1], true);
    assertThat(Breach.summaries(restarted.alerts())).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
    assertThat(updates(restarted.updates())).containsExactlyElementsOf(updates(cli.updates()));
  }
}
