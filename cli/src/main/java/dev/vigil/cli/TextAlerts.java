package dev.vigil.cli;

import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;

/** One line per alert for people: time, severity, title, actor, address, evidence. */
final class TextAlerts {
  private TextAlerts() {}

  static String line(Alert a, boolean colour) {
    AuditEvent t = a.trigger();
    String sev = String.format("%-8s", a.severity().name());
    String colourCode = switch (a.severity()) {
      case CRITICAL -> "1;31";
      case HIGH -> "31";
      case MEDIUM -> "33";
      default -> "36";
    };
    return t.time() + " " + Terminal.paint(colourCode, sev, colour) + " " + a.title() + " [" + a.ruleId() + "]"
        + " actor=" + t.actor().key() + (t.sourceIp() != null ? " ip=" + t.sourceIp() : "")
        + " event=" + t.eventId() + (a.events().size() > 1 ? " (+" + (a.events().size() - 1) + " more)" : "");
  }
}
