package dev.vigil.detect.sigma;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evaluates correlation rules while streaming. State is bounded: at most {@link Limits#maxGroups()} groups per
 * correlation (least recently used evicted first), at most {@link Limits#maxEntriesPerGroup()} matches kept per
 * group (oldest dropped first), and at most {@link Limits#maxEvidence()} events attached to an alert.
 */
final class CorrelationEngine {

  /** Bounds on correlation state. */
  record Limits(int maxGroups, int maxEntriesPerGroup, int maxEvidence) {
    static final Limits DEFAULT = new Limits(10_000, 100_000, 1_000);
  }

  /** A rule or correlation hit that feeds correlations. */
  record Match(Object rule, Instant time, List<AuditEvent> events) {
    AuditEvent last() {
      return events.get(events.size() - 1);
    }
  }

  private final Limits limits;
  private final Map<Object, List<CorrelationRule>> consumers = new IdentityHashMap<>();
  private final Map<CorrelationRule, Map<String, Group>> state = new IdentityHashMap<>();
  private long evictedGroups;
  private long droppedEntries;

  CorrelationEngine(List<CorrelationRule> correlations, Limits limits) {
    this.limits = limits;
    for (CorrelationRule c : correlations) {
      for (Object t : c.targets) {
        consumers.computeIfAbsent(t, k -> new ArrayList<>()).add(c);
      }
      state.put(c, new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Group> eldest) {
          if (size() > CorrelationEngine.this.limits.maxGroups()) {
            evictedGroups++;
            return true;
          }
          return false;
        }
      });
    }
  }

  boolean feeds(Object rule) {
    return consumers.containsKey(rule);
  }

  long evictedGroups() {
    return evictedGroups;
  }

  long droppedEntries() {
    return droppedEntries;
  }

  /** A rule (or correlation) matched: update every correlation that refers to it. */
  void onMatch(Match m, Consumer<Alert> alerts) {
    List<CorrelationRule> cs = consumers.get(m.rule());
    if (cs == null) {
      return;
    }
    for (CorrelationRule c : cs) {
      String key = groupKey(c, m);
      Map<String, Group> groups = state.get(c);
      Group g = groups.get(key);
      if (g == null) {
        g = new Group();
        groups.put(key, g);
      }
      Fired f = add(c, g, m);
      if (f != null) {
        if (!c.decidedAtWindowEnd()) {
          groups.remove(key);
        }
        fire(c, key, f, alerts);
      }
    }
  }

  /** End of input: windows whose condition has an upper bound are decided now. */
  void finish(Consumer<Alert> alerts) {
    for (Map.Entry<CorrelationRule, Map<String, Group>> e : state.entrySet()) {
      CorrelationRule c = e.getKey();
      if (!c.decidedAtWindowEnd()) {
        continue;
      }
      List<Map.Entry<String, Group>> open = new ArrayList<>(e.getValue().entrySet());
      e.getValue().clear();
      for (Map.Entry<String, Group> g : open) {
        Fired f = decide(c, g.getValue());
        if (f != null) {
          fire(c, g.getKey(), f, alerts);
        }
      }
    }
  }

  private String groupKey(CorrelationRule c, Match m) {
    if (c.groupBy.isEmpty()) {
      return "";
    }
    EventContext ctx = new EventContext(m.last());
    StringBuilder b = new StringBuilder();
    for (String g : c.groupBy) {
      List<String> v = EventContext.candidates(ctx.nodes(FieldPath.of(c.groupField(g, m.rule()))));
      b.append(v.isEmpty() ? "" : v.get(0)).append('\u001f');
    }
    return b.toString();
  }

  private static final class Entry {
    final Match match;
    final String distinct;
    final BigDecimal number;

    Entry(Match match, String distinct, BigDecimal number) {
      this.match = match;
      this.distinct = distinct;
      this.number = number;
    }
  }

  private static final class Group {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    final Map<String, Integer> distinct = new HashMap<>();
    BigDecimal sum = BigDecimal.ZERO;
    int numbers;
    boolean truncated;
    /** temporal: matches per referenced rule; temporal_ordered: the best partial chain per step. */
    List<ArrayDeque<Match>> perRule;
    List<List<Match>> chains;
  }

  /** What a correlation fired on. */
  private record Fired(List<Match> matches, BigDecimal value, String what, boolean truncated) {}

  private Fired add(CorrelationRule c, Group g, Match m) {
    long t = m.time().toEpochMilli();
    switch (c.type) {
      case TEMPORAL -> {
        return temporal(c, g, m, t);
      }
      case TEMPORAL_ORDERED -> {
        return ordered(c, g, m, t);
      }
      default -> {
        if (c.decidedAtWindowEnd() && !g.entries.isEmpty()
            && g.entries.peekFirst().match.time().toEpochMilli() + c.timespanMillis < t) {
          // the window anchored at the group's first match has closed: decide it, then open a new one
          Fired closed = decide(c, g);
          clear(g);
          push(c, g, m);
          return closed;
        }
        if (!c.decidedAtWindowEnd()) {
          evictOlderThan(g, t - c.timespanMillis);
        }
        push(c, g, m);
        return c.decidedAtWindowEnd() ? null : decide(c, g);
      }
    }
  }

  private void push(CorrelationRule c, Group g, Match m) {
    String distinct = null;
    BigDecimal number = null;
    if (c.type == CorrelationRule.Type.VALUE_COUNT || c.type == CorrelationRule.Type.VALUE_SUM
        || c.type == CorrelationRule.Type.VALUE_AVG) {
      List<String> v = EventContext.candidates(new EventContext(m.last()).nodes(FieldPath.of(c.field)));
      if (c.type == CorrelationRule.Type.VALUE_COUNT) {
        distinct = v.isEmpty() ? null : v.get(0).toLowerCase(java.util.Locale.ROOT);
      } else {
        number = v.isEmpty() ? null : ValueTest.Numeric.number(v.get(0));
      }
    }
    Entry e = new Entry(m, distinct, number);
    g.entries.addLast(e);
    if (distinct != null) {
      g.distinct.merge(distinct, 1, Integer::sum);
    }
    if (number != null) {
      g.sum = g.sum.add(number);
      g.numbers++;
    }
    if (g.entries.size() > limits.maxEntriesPerGroup()) {
      remove(g, g.entries.pollFirst());
      g.truncated = true;
      droppedEntries++;
    }
  }

  private static void remove(Group g, Entry e) {
    if (e.distinct != null) {
      g.distinct.computeIfPresent(e.distinct, (k, n) -> n == 1 ? null : n - 1);
    }
    if (e.number != null) {
      g.sum = g.sum.subtract(e.number);
      g.numbers--;
    }
  }

  private static void evictOlderThan(Group g, long cutoff) {
    while (!g.entries.isEmpty() && g.entries.peekFirst().match.time().toEpochMilli() < cutoff) {
      remove(g, g.entries.pollFirst());
    }
  }

  private static void clear(Group g) {
    g.entries.clear();
    g.distinct.clear();
    g.sum = BigDecimal.ZERO;
    g.numbers = 0;
    g.truncated = false;
  }

  private Fired decide(CorrelationRule c, Group g) {
    if (g.entries.isEmpty()) {
      return null;
    }
    BigDecimal value;
    String what;
    switch (c.type) {
      case EVENT_COUNT -> {
        long n = 0;
        for (Entry e : g.entries) {
          n += e.match.events().size() > 0 ? 1 : 0;
        }
        value = BigDecimal.valueOf(n);
        what = n + " matching events";
      }
      case VALUE_COUNT -> {
        value = BigDecimal.valueOf(g.distinct.size());
        what = g.distinct.size() + " distinct values of " + c.field;
      }
      case VALUE_SUM -> {
        value = g.sum;
        what = c.field + " summing to " + g.sum.toPlainString();
      }
      case VALUE_AVG -> {
        if (g.numbers == 0) {
          return null;
        }
        value = g.sum.divide(BigDecimal.valueOf(g.numbers), 6, RoundingMode.HALF_UP).stripTrailingZeros();
        what = c.field + " averaging " + value.toPlainString() + " over " + g.numbers + " events";
      }
      default -> throw new IllegalStateException(c.type.name());
    }
    if (!c.conditionHolds(value)) {
      return null;
    }
    List<Match> ms = new ArrayList<>();
    for (Entry e : g.entries) {
      ms.add(e.match);
    }
    return new Fired(ms, value, what, g.truncated);
  }

  private Fired temporal(CorrelationRule c, Group g, Match m, long t) {
    int n = c.targets.size();
    if (g.perRule == null) {
      g.perRule = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        g.perRule.add(new ArrayDeque<>());
      }
    }
    for (int i = 0; i < n; i++) {
      if (c.targets.get(i) == m.rule()) {
        ArrayDeque<Match> q = g.perRule.get(i);
        q.addLast(m);
        if (q.size() > 100) {
          q.pollFirst();
        }
      }
    }
    int present = 0;
    for (ArrayDeque<Match> q : g.perRule) {
      while (!q.isEmpty() && q.peekFirst().time().toEpochMilli() < t - c.timespanMillis) {
        q.pollFirst();
      }
      if (!q.isEmpty()) {
        present++;
      }
    }
    BigDecimal value = BigDecimal.valueOf(present);
    boolean holds = c.condition.isEmpty() ? present == n : c.conditionHolds(value);
    if (!holds) {
      return null;
    }
    List<Match> ms = new ArrayList<>();
    g.perRule.forEach(ms::addAll);
    ms.sort(Comparator.comparing(Match::time));
    return new Fired(ms, value, present + " of " + n + " rules matched", false);
  }

  private Fired ordered(CorrelationRule c, Group g, Match m, long t) {
    int n = c.targets.size();
    if (g.chains == null) {
      g.chains = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        g.chains.add(null);
      }
    }
    // later steps first, so one event never fills two steps of the same chain
    for (int i = n - 1; i >= 0; i--) {
      if (c.targets.get(i) != m.rule()) {
        continue;
      }
      List<Match> candidate;
      if (i == 0) {
        candidate = List.of(m);
      } else {
        List<Match> prev = g.chains.get(i - 1);
        if (prev == null || prev.get(0).time().toEpochMilli() < t - c.timespanMillis) {
          continue;
        }
        candidate = new ArrayList<>(prev);
        candidate.add(m);
      }
      List<Match> existing = g.chains.get(i);
      if (existing == null || !existing.get(0).time().isAfter(candidate.get(0).time())) {
        g.chains.set(i, candidate);
      }
      if (i == n - 1) {
        List<Match> chain = g.chains.get(i);
        return new Fired(chain, BigDecimal.valueOf(n), n + " rules matched in order", false);
      }
    }
    return null;
  }

  private void fire(CorrelationRule c, String groupKey, Fired f, Consumer<Alert> alerts) {
    // each event once, by identity: a record's own hashCode would hash its whole JSON tree
    Set<AuditEvent> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    List<AuditEvent> all = new ArrayList<>();
    for (Match m : f.matches()) {
      for (AuditEvent e : m.events()) {
        if (seen.add(e)) {
          all.add(e);
        }
      }
    }
    all.sort(Comparator.comparing(AuditEvent::time));
    int total = all.size();
    List<AuditEvent> evidence = total > limits.maxEvidence() ? all.subList(total - limits.maxEvidence(), total)
        : all;
    Instant last = all.get(all.size() - 1).time();
    Match out = new Match(c, last, List.copyOf(evidence));
    if (c.generate) {
      alerts.accept(alert(c, groupKey, f, evidence, total));
    }
    onMatch(out, alerts);
  }

  private Alert alert(CorrelationRule c, String groupKey, Fired f, List<AuditEvent> evidence, int total) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("correlation_type", c.type.sigmaName());
    details.put("timespan", c.timespanText);
    Map<String, String> group = new LinkedHashMap<>();
    String[] values = groupKey.split("\u001f", -1);
    for (int i = 0; i < c.groupBy.size(); i++) {
      group.put(c.groupBy.get(i), i < values.length ? values[i] : "");
    }
    details.put("group_by", group);
    details.put("value", f.value().toPlainString());
    if (!c.condition.isEmpty()) {
      details.put("condition", c.conditionText());
    }
    details.put("events_total", total);
    if (total > evidence.size() || f.truncated()) {
      details.put("evidence_truncated", true);
    }
    details.put("sigma_source", c.header.source());
    if (c.convertedFrom != null) {
      details.put("converted_from", c.convertedFrom);
    }
    List<String> groupText = new ArrayList<>();
    group.forEach((k, v) -> groupText.add(k + "=" + (v.isEmpty() ? "(absent)" : v)));
    String explanation = "Sigma correlation '" + c.header.title() + "' (" + c.type.sigmaName() + " within "
        + c.timespanText + (groupText.isEmpty() ? "" : ", per " + String.join(", ", groupText)) + "): " + f.what()
        + (c.condition.isEmpty() ? "" : " (condition " + c.conditionText() + ")") + " across " + total
        + " event(s)";
    List<String> techniques = new ArrayList<>(c.header.techniques());
    List<String> tactics = new ArrayList<>(c.header.tactics());
    Severity severity = c.header.level() != null ? c.header.severity() : null;
    for (Object t : c.targets) {
      RuleHeader h = t instanceof SigmaRule r ? r.header : ((CorrelationRule) t).header;
      if (c.header.techniques().isEmpty()) {
        h.techniques().forEach(x -> {
          if (!techniques.contains(x)) {
            techniques.add(x);
          }
        });
        h.tactics().forEach(x -> {
          if (!tactics.contains(x)) {
            tactics.add(x);
          }
        });
      }
      if (c.header.level() == null && (severity == null || h.severity().compareTo(severity) > 0)) {
        severity = h.severity();
      }
    }
    return new Alert(c.alertId, c.header.title(), severity == null ? Severity.MEDIUM : severity, techniques,
        tactics, explanation, evidence.get(evidence.size() - 1).time(), evidence, "sigma", c.header.references(),
        details);
  }
}
