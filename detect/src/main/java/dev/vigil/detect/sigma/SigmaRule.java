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

  /** Search identifiers that count positively in the condition, with the fields each tests (for explanations). */
  private final List<Map.Entry<EventMatcher, List<FieldPath>>> explained = new ArrayList<>();

  SigmaRule(RuleHeader header, Map<String, EventMatcher> identifiers, Condition condition) {
    this.header = header;
    this.identifiers = identifiers;
    this.condition = condition;
    this.alertId = header.id() != null ? header.id() : header.name() != null ? header.name() : header.title();
    Set<String> positive = new LinkedHashSet<>();
    condition.positive(positive, false);
    Set<String> certain = new LinkedHashSet<>();
    certainlyTrue(condition, certain);
    for (String name : positive) {
      EventMatcher m = identifiers.get(name);
      Set<String> fields = new LinkedHashSet<>();
      m.fields(fields);
      List<FieldPath> paths = new ArrayList<>();
      fields.forEach(f -> paths.add(FieldPath.of(f)));
      explained.add(Map.entry(m, paths));
      if (!certain.contains(name)) {
        recheck = true;
      }
    }
  }

  /** When false, every positive identifier holds whenever the condition does: no need to evaluate them again. */
  private boolean recheck;

  /** Identifiers that must be true when {@code c} is: the direct parts of a conjunction. */
  private static void certainlyTrue(Condition c, Set<String> out) {
    if (c instanceof Condition.Ref r) {
      out.add(r.name());
    } else if (c instanceof Condition.And a) {
      a.parts().forEach(p -> certainlyTrue(p, out));
    }
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
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<EventMatcher, List<FieldPath>> e : explained) {
      if (recheck && !e.getKey().matches(ctx)) {
        continue;
      }
      for (FieldPath f : e.getValue()) {
        if (out.containsKey(f.dotted())) {
          continue;
        }
        if (f.dotted().equals("(keywords)")) {
          out.put(f.dotted(), "matched");
          continue;
        }
        List<JsonNode> nodes = ctx.nodes(f);
        List<String> values = EventContext.candidates(nodes);
        String v = values.isEmpty() ? (nodes.isEmpty() ? "(absent)" : "null") : values.get(0);
        out.put(f.dotted(), v.length() > 80 ? v.substring(0, 77) + "..." : v);
      }
    }
    return out;
  }

  Alert alert(EventContext ctx) {
    AuditEvent e = ctx.event;
    Map<String, String> matched = matchedFields(ctx);
    StringBuilder explanation = new StringBuilder(128).append("Sigma rule '").append(header.title())
        .append("' matched ").append(e.action()).append(" by ").append(e.actor().key());
    String sep = ": ";
    for (Map.Entry<String, String> m : matched.entrySet()) {
      explanation.append(sep).append(m.getKey()).append('=').append(m.getValue());
      sep = ", ";
    }
    Map<String, Object> details = header.status() == null
        ? Map.of("sigma_matched", matched, "sigma_source", header.source())
        : Map.of("sigma_matched", matched, "sigma_status", header.status(), "sigma_source", header.source());
    return new Alert(alertId, header.title(), header.severity(), header.techniques(), header.tactics(),
        explanation.toString(), e.time(), List.of(e), "sigma", header.references(), details);
  }
}
