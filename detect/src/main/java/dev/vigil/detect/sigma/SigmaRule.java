package dev.vigil.detect.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A compiled single-event Sigma rule. */
public final class SigmaRule {
  final RuleHeader header;
  final Map<String, EventMatcher> identifiers;
  final Condition condition;
  /** False when only correlations use this rule (Sigma's default for rules a correlation refers to). */
  boolean generate = true;
  /** Load order, for deterministic alert order. */
  int ordinal;
  /** The id alerts carry: the rule id, else its name, else its title. */
  final String alertId;

  SigmaRule(RuleHeader header, Map<String, EventMatcher> identifiers, Condition condition) {
    this.header = header;
    this.identifiers = identifiers;
    this.condition = condition;
    this.alertId = header.id() != null ? header.id() : header.name() != null ? header.name() : header.title();
  }

  public RuleHeader header() {
    return header;
  }

  public boolean generatesAlerts() {
    return generate;
  }

  boolean matches(EventContext ctx) {
    return condition.eval(ctx);
  }

  /** The lower-cased values {@code field} must equal for this rule to match, or null. */
  Set<String> required(String field) {
    return condition.required(field);
  }

  /** field=value pairs of the positive search identifiers that matched, for the explanation. */
  Map<String, String> matchedFields(EventContext ctx) {
    Set<String> positive = new LinkedHashSet<>();
    condition.positive(positive, false);
    Set<String> fields = new LinkedHashSet<>();
    for (String name : positive) {
      EventMatcher m = identifiers.get(name);
      if (m != null && m.matches(ctx)) {
        m.fields(fields);
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String f : fields) {
      if (f.equals("(keywords)")) {
        out.put(f, "matched");
        continue;
      }
      List<JsonNode> nodes = ctx.nodes(FieldPath.of(f));
      List<String> values = EventContext.candidates(nodes);
      String v = values.isEmpty() ? (nodes.isEmpty() ? "(absent)" : "null") : values.get(0);
      out.put(f, v.length() > 80 ? v.substring(0, 77) + "..." : v);
    }
    return out;
  }

  Alert alert(EventContext ctx) {
    AuditEvent e = ctx.event;
    Map<String, String> matched = matchedFields(ctx);
    List<String> parts = new ArrayList<>();
    matched.forEach((k, v) -> parts.add(k + "=" + v));
    String explanation = "Sigma rule '" + header.title() + "' matched " + e.action() + " by " + e.actor().key()
        + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("sigma_matched", matched);
    if (header.status() != null) {
      details.put("sigma_status", header.status());
    }
    details.put("sigma_source", header.source());
    return new Alert(alertId, header.title(), header.severity(), header.techniques(), header.tactics(),
        explanation, e.time(), List.of(e), "sigma", header.references(), details);
  }
}
