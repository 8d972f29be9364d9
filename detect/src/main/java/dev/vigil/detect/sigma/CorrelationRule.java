package dev.vigil.detect.sigma;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A compiled Sigma v2.1 correlation rule (or an old-style aggregation converted to one). */
public final class CorrelationRule {
  /** The correlation types Vigil evaluates. */
  public enum Type {
    EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED, VALUE_SUM, VALUE_AVG;

    String sigmaName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  final RuleHeader header;
  final Type type;
  final List<String> ruleRefs;
  final List<Object> targets = new ArrayList<>();
  final List<String> groupBy;
  final long timespanMillis;
  final String timespanText;
  /** gt/gte/lt/lte/eq/neq → threshold. */
  final Map<String, BigDecimal> condition;
  final String field;
  /** alias → (rule name or id → field). */
  final Map<String, Map<String, String>> aliases;
  final boolean generateReferenced;
  boolean generate = true;
  int ordinal;
  final String alertId;
  /** Set when converted from an old-style aggregation: the original condition text. */
  String convertedFrom;

  CorrelationRule(RuleHeader header, Type type, List<String> ruleRefs, List<String> groupBy, long timespanMillis,
      String timespanText, Map<String, BigDecimal> condition, String field, Map<String, Map<String, String>> aliases,
      boolean generateReferenced) {
    this.header = header;
    this.type = type;
    this.ruleRefs = ruleRefs;
    this.groupBy = groupBy;
    this.timespanMillis = timespanMillis;
    this.timespanText = timespanText;
    this.condition = condition;
    this.field = field;
    this.aliases = aliases;
    this.generateReferenced = generateReferenced;
    this.alertId = header.id() != null ? header.id() : header.name() != null ? header.name() : header.title();
  }

  public RuleHeader header() {
    return header;
  }

  public Type type() {
    return type;
  }

  public boolean generatesAlerts() {
    return generate;
  }

  /** Whether the condition can only be decided when a window closes (it has an upper bound). */
  boolean decidedAtWindowEnd() {
    if (type == Type.VALUE_AVG || type == Type.TEMPORAL || type == Type.TEMPORAL_ORDERED) {
      return false;
    }
    for (String op : condition.keySet()) {
      if (!op.equals("gt") && !op.equals("gte")) {
        return true;
      }
    }
    return false;
  }

  boolean conditionHolds(BigDecimal value) {
    for (Map.Entry<String, BigDecimal> c : condition.entrySet()) {
      int cmp = value.compareTo(c.getValue());
      boolean ok = switch (c.getKey()) {
        case "gt" -> cmp > 0;
        case "gte" -> cmp >= 0;
        case "lt" -> cmp < 0;
        case "lte" -> cmp <= 0;
        case "eq" -> cmp == 0;
        case "neq" -> cmp != 0;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  String conditionText() {
    List<String> parts = new ArrayList<>();
    condition.forEach((k, v) -> parts.add(k + " " + v.toPlainString()));
    return String.join(" and ", parts);
  }

  /** The field to read {@code groupField} from for events of the referenced rule {@code target}. */
  String groupField(String groupField, Object target) {
    Map<String, String> alias = aliases.get(groupField);
    if (alias == null) {
      return groupField;
    }
    String name = target instanceof SigmaRule r ? r.header.name() : ((CorrelationRule) target).header.name();
    String id = target instanceof SigmaRule r ? r.header.id() : ((CorrelationRule) target).header.id();
    String f = name != null ? alias.get(name) : null;
    if (f == null && id != null) {
      f = alias.get(id);
    }
    return f != null ? f : groupField;
  }
}
