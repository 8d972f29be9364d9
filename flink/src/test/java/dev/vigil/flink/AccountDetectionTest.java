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
    AccountDetection.Shared shared = DetectionSetup.defaults().shared();
    List<IncidentUpdate> updates = new ArrayList<>();
    shared.relay.target = updates::add;
    Detector sigma = SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet();
    Map<String, AccountDetection> accounts = new LinkedHashMap<>();
    List<Alert> alerts = new ArrayList<>();
    int n = 0;
    for (AuditEvent e : events) {
      accounts.computeIfAbsent(ActorRecord.accountOf(e), k -> AccountDetection.fresh(shared)).event(e, sigma, alerts::add);
      if (snapshotEvery > 0 && ++n % snapshotEvery == 0) {
        accounts.replaceAll((k, d) -> {
          byte[] b = d.write();
          maxBytes[0] = Math.max(maxBytes[0], b.length);
          return AccountDetection.read(shared, b);
        });
      }
    }
    sigma.finish(a -> {
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
}
