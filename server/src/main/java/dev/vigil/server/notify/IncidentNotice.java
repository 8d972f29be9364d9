package dev.vigil.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.Touch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one notification says: an incident opened ({@code new}) or its severity rose ({@code escalated}).
 * Built once and rendered per channel: JSON for webhooks, plain text for e-mail.
 *
 * @param dashboardUrl the server's base URL, for a link to the incident page (null when unknown)
 */
public record IncidentNotice(String kind, StoredIncident incident, String dashboardUrl) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public IncidentNotice {
    if (!kind.equals("new") && !kind.equals("escalated")) {
      throw new IllegalArgumentException("kind must be new or escalated: " + kind);
    }
  }

  /** A link to the incident's page in the dashboard, or null. */
  public String link() {
    if (dashboardUrl == null) {
      return null;
    }
    String base = dashboardUrl.endsWith("/") ? dashboardUrl : dashboardUrl + "/";
    return base + "#incident/" + java.net.URLEncoder.encode(incident.id(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The webhook body: a small, stable JSON document (the full incident stays behind the API). */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("event", "incident." + kind);
    root.put("sent_at", Instant.now().toString());
    ObjectNode inc = root.putObject("incident");
    inc.put("id", incident.id());
    inc.put("title", incident.title());
    inc.put("severity", incident.severity());
    inc.put("status", incident.status());
    inc.put("opened_at", Instant.ofEpochMilli(incident.openedAt()).toString());
    inc.put("updated_at", Instant.ofEpochMilli(incident.updatedAt()).toString());
    for (String kindOfTouch : List.of("tenant", "account", "key", "address")) {
      ArrayNode values = inc.putArray(kindOfTouch + "s");
      touches(kindOfTouch).forEach(values::add);
    }
    if (link() != null) {
      root.put("link", link());
    }
    return root.toString();
  }

  /** One line for a subject or a chat message. */
  public String subject() {
    return "[Vigil] " + (kind.equals("new") ? "New" : "Escalated") + " " + incident.severity() + " incident: "
        + incident.title();
  }

  /** The e-mail body, for people. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append(kind.equals("new") ? "Vigil opened an incident." : "An incident's severity rose.").append("\n\n");
    b.append("Incident:  ").append(incident.id()).append('\n');
    b.append("Title:     ").append(incident.title()).append('\n');
    b.append("Severity:  ").append(incident.severity()).append('\n');
    b.append("Status:    ").append(incident.status()).append('\n');
    b.append("Opened:    ").append(Instant.ofEpochMilli(incident.openedAt())).append('\n');
    b.append("Updated:   ").append(Instant.ofEpochMilli(incident.updatedAt())).append('\n');
    for (String kindOfTouch : List.of("tenant", "account", "key", "address")) {
      List<String> values = touches(kindOfTouch);
      if (!values.isEmpty()) {
        String label = (kindOfTouch.substring(0, 1).toUpperCase() + kindOfTouch.substring(1) + "s:");
        b.append(String.format("%-11s", label)).append(String.join(", ", values)).append('\n');
      }
    }
    if (link() != null) {
      b.append("\nOpen it: ").append(link()).append('\n');
    }
    b.append("\n-- \nSent by vigil serve. The incident's evidence stays on the server; this message holds no secrets.\n");
    return b.toString();
  }

  private List<String> touches(String kindOfTouch) {
    List<String> out = new ArrayList<>();
    if (incident.touches() != null) {
      for (Touch t : incident.touches()) {
        if (t.kind().equals(kindOfTouch) && !out.contains(t.value())) {
          out.add(t.value());
        }
      }
    }
    return out;
  }
}
