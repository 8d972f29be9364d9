package dev.vigil.cli;

import dev.vigil.detect.incident.Bytes;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.Incident.Credential;
import dev.vigil.detect.incident.Incident.Stage;
import dev.vigil.detect.incident.Incident.TenantImpact;
import java.util.List;

/** Incident summaries for people, printed after the alert lines. */
final class TextIncidents {
  static final int TOP_TENANTS = 5;

  private TextIncidents() {}

  private static String n(long v) {
    return String.format(java.util.Locale.ROOT, "%,d", v);
  }

  static String summary(Incident inc, boolean colour) {
    StringBuilder b = new StringBuilder();
    String sevColour = switch (inc.severity()) {
      case CRITICAL -> "1;31";
      case HIGH -> "31";
      case MEDIUM -> "33";
      default -> "36";
    };
    b.append('\n').append(Terminal.paint("1", "INCIDENT", colour)).append(' ')
        .append(Terminal.paint(sevColour, inc.severity().name(), colour)).append("  ").append(inc.title()).append('\n');
    b.append("  id ").append(inc.uid()).append("  ").append(inc.firstSeen()).append(" → ").append(inc.lastSeen())
        .append("  ").append(n(inc.alertCount())).append(inc.alertCount() == 1 ? " alert on " : " alerts on ")
        .append(n(inc.evidenceCount())).append(" events; ").append(n(inc.eventsObserved()))
        .append(" calls of its credentials followed\n");
    b.append("  kill chain: ");
    List<Stage> chain = inc.killChain();
    for (int i = 0; i < chain.size(); i++) {
      if (i > 0) {
        b.append(" → ");
      }
      b.append(chain.get(i).tactic().title()).append(" (").append(chain.get(i).firstSeen()).append(')');
    }
    b.append('\n');
    for (Credential c : inc.credentials()) {
      b.append("  ").append(switch (c.role()) {
        case COMPROMISED -> "compromised key ";
        case CREATED -> "created key     ";
        case SESSION -> "session         ";
      }).append(Terminal.paint("1", c.accessKeyId(), colour));
      if (c.principal() != null) {
        b.append("  ").append(c.principal());
      }
      if (c.createdBy() != null) {
        b.append("  (created by ").append(c.createdBy()).append(" at ").append(c.createdAt()).append(')');
      }
      b.append('\n');
    }
    b.append("  addresses: ").append(String.join(", ", inc.addresses())).append('\n');
    if (inc.objectsRead() > 0) {
      b.append("  read: ").append(n(inc.objectsRead())).append(" objects, ").append(Bytes.human(inc.bytesRead()))
          .append(" from ").append(inc.tenants().size()).append(" tenants; most: ");
      List<TenantImpact> top = inc.tenants().subList(0, Math.min(TOP_TENANTS, inc.tenants().size()));
      for (int i = 0; i < top.size(); i++) {
        TenantImpact t = top.get(i);
        b.append(i > 0 ? ", " : "").append(t.tenant()).append(' ').append(Bytes.human(t.bytesRead()));
      }
      b.append(inc.tenants().size() > TOP_TENANTS ? ", ..." : "").append('\n');
    }
    return b.toString();
  }
}
