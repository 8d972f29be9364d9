package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.IncidentReport;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.detect.incident.OcsfIncidents;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.IngestReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One detection run behind {@code vigil detect} and {@code vigil demo}: feeds every event to the detectors and
 * then to the incident tracker, prints alerts and incidents (text or JSON Lines), shows progress on a terminal,
 * and with an output directory writes {@code alerts.jsonl}, {@code incidents.jsonl}, {@code report.html} and
 * {@code report.md}.
 */
final class DetectionRun {
  static final String ALERTS_FILE = "alerts.jsonl";
  static final String INCIDENTS_FILE = "incidents.jsonl";
  static final String HTML_REPORT = "report.html";
  static final String MARKDOWN_REPORT = "report.md";

  /** What a run produced. */
  record Result(long events, long alerts, Alert firstAlert, List<Incident> incidents, Path outDir) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Detector> detectors;
  private final boolean jsonl;
  private final boolean quiet;
  private final Path outDir;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean colour;
  private final IncidentTracker tracker;
  private final Progress progress;
  private final Writer alertsFile;
  private long events;
  private long alerts;
  private Alert firstAlert;
  private java.util.function.Consumer<Alert> alertListener = a -> { };
  private AlertSuppression suppression = AlertSuppression.hourly();

  /**
   * @param jsonl  JSON Lines on {@code out} (alerts and incident changes as they happen) instead of text
   * @param quiet  print nothing per alert on {@code out} (the demo prints its own story)
   * @param outDir where to write the files, or null
   */
  DetectionRun(List<Detector> detectors, TenantMap tenants, boolean jsonl, boolean quiet, Path outDir,
      PrintStream out, PrintStream err) {
    this.detectors = List.copyOf(detectors);
    this.jsonl = jsonl;
    this.quiet = quiet;
    this.outDir = outDir;
    this.out = out;
    this.err = err;
    this.colour = !jsonl && Terminal.colour();
    this.tracker = new IncidentTracker(tenants, this::incidentChanged);
    this.progress = Terminal.interactive() ? new Progress(err) : null;
    if (outDir != null) {
      try {
        Files.createDirectories(outDir);
        alertsFile = Files.newBufferedWriter(outDir.resolve(ALERTS_FILE), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserException("cannot write to " + outDir + ": " + e.getMessage());
      }
    } else {
      alertsFile = null;
    }
  }

  /** How repeats are folded (default: one finding per rule, key and address per hour). */
  void suppression(AlertSuppression s) {
    this.suppression = s;
  }

  /** Also hands every alert to {@code listener} as it is raised (the demo follows the attacker's alerts). */
  void onAlert(java.util.function.Consumer<Alert> listener) {
    this.alertListener = listener;
  }

  /** The tenant map of {@code --tenants FILE}, or the default naming when none is given. */
  static TenantMap tenants(Path file) {
    if (file == null) {
      return TenantMap.defaults();
    }
    try {
      return TenantMap.load(file);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
  }

  /** One event: the detectors first (their alerts reach the tracker), then the tracker sees the event itself. */
  void event(AuditEvent e) {
    events++;
    for (Detector d : detectors) {
      d.accept(e, this::alert);
    }
    tracker.observe(e);
    if (progress != null) {
      progress.tick(events, alerts);
    }
  }

  private void alert(Alert a) {
    if (!suppression.admit(a)) {
      return; // a repeat: its rule, key, address and tactics are in the incident already; the count is reported
    }
    alerts++;
    if (firstAlert == null) {
      firstAlert = a;
    }
    alertListener.accept(a);
    ObjectNode finding = OcsfFindings.detectionFinding(a);
    try {
      if (alertsFile != null) {
        alertsFile.write(JSON.writeValueAsString(finding));
        alertsFile.write('\n');
      }
      if (!quiet) {
        if (progress != null) {
          progress.clear();
        }
        out.println(jsonl ? JSON.writeValueAsString(finding) : TextAlerts.line(a, colour));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tracker.alert(a);
  }

  private void incidentChanged(IncidentUpdate u) {
    if (jsonl && !quiet) {
      try {
        out.println(JSON.writeValueAsString(OcsfIncidents.incidentFinding(u)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (u.kind() == IncidentUpdate.Kind.EVICTED) {
      err.println("vigil: incident " + u.incident().uid() + " dropped from memory (too many open incidents); "
          + "its last state was streamed");
    }
  }

  /** Alerts raised so far. */
  long alertsSoFar() {
    return alerts;
  }

  /** End of input: flushes the detectors and the tracker, prints summaries, writes the files. */
  Result finish(List<Path> inputs, IngestReport report) {
    for (Detector d : detectors) {
      d.finish(this::alert);
    }
    tracker.finish();
    if (progress != null) {
      progress.done(events, alerts);
    }
    List<Incident> incidents = tracker.incidents();
    if (!jsonl && !quiet) {
      for (Incident inc : incidents) {
        out.print(TextIncidents.summary(inc, colour));
      }
    }
    out.flush();
    if (outDir != null) {
      write(inputs, report, incidents);
    }
    err.println("vigil: " + events + " events, " + alerts + " alert(s)"
        + (suppression.folded() > 0 ? " (" + suppression.folded() + " repeats folded into them)" : "")
        + ", " + incidents.size() + " incident(s)"
        + (tracker.merged() > 0 ? " (" + tracker.merged() + " merged)" : "")
        + (outDir != null ? "; report in " + outDir.resolve(HTML_REPORT) : ""));
    return new Result(events, alerts, firstAlert, incidents, outDir);
  }

  private void write(List<Path> inputs, IngestReport report, List<Incident> incidents) {
    try {
      alertsFile.close();
      try (BufferedWriter w = Files.newBufferedWriter(outDir.resolve(INCIDENTS_FILE), StandardCharsets.UTF_8)) {
        for (Incident inc : incidents) {
          w.write(JSON.writeValueAsString(OcsfIncidents.incidentFinding(inc)));
          w.write('\n');
        }
      }
      List<String> names = new ArrayList<>();
      inputs.forEach(p -> names.add(p.toString()));
      IncidentReport.Run run = new IncidentReport.Run(names, report.accepted(), report.quarantined(), alerts);
      Files.writeString(outDir.resolve(HTML_REPORT), IncidentReport.html(incidents, run), StandardCharsets.UTF_8);
      Files.writeString(outDir.resolve(MARKDOWN_REPORT), IncidentReport.markdown(incidents, run),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot write to " + outDir + ": " + e.getMessage());
    }
  }
}
