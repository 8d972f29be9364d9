package dev.vigil.detect.sigma;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compiled Sigma rules and correlations as a {@link Detector}.
 *
 * <p>Rules are indexed by the values their condition requires of {@code eventName}, else of {@code eventSource},
 * else of another field compared for plain equality; an event is only evaluated against the rules filed under its
 * own values, plus the few rules that require no equality at all. The cost per event therefore does not grow with
 * rules written for other actions.
 */
public final class SigmaRuleSet implements Detector {
  /** Index fields, most selective first. */
  static final List<String> PREFERRED_INDEX_FIELDS = List.of("eventName", "eventSource");
  private static final SigmaRule[] NONE = new SigmaRule[0];
  private static final int CACHE_LIMIT = 50_000;

  private final List<SigmaRule> rules;
  private final List<CorrelationRule> correlations;
  private final List<String> indexFields = new ArrayList<>();
  private final List<Map<String, SigmaRule[]>> byValue = new ArrayList<>();
  /** Per index field: the exact event value → rules, so most events skip lower-casing. */
  private final List<Map<String, SigmaRule[]>> cache = new ArrayList<>();
  private final SigmaRule[] unindexed;
  private final CorrelationEngine engine;
  /** Hot-loop copies of the index: per index field, its typed accessor (or -1), path, cache and index. */
  private final int[] typed;
  private final FieldPath[] indexPaths;
  private final Map<String, SigmaRule[]>[] caches;
  private final Map<String, SigmaRule[]>[] indexes;
  /** Per index field, the lengths its values have: most event values are ruled out without hashing them. */
  private final java.util.BitSet[] lengths;
  private long evaluations;

  SigmaRuleSet(List<SigmaRule> rules, List<CorrelationRule> correlations, CorrelationEngine.Limits limits) {
    this.rules = List.copyOf(rules);
    this.correlations = List.copyOf(correlations);
    this.engine = new CorrelationEngine(correlations, limits);
    Map<String, Map<String, List<SigmaRule>>> index = new java.util.LinkedHashMap<>();
    List<SigmaRule> rest = new ArrayList<>();
    for (SigmaRule r : rules) {
      if (!r.generate && !engine.feeds(r)) {
        continue;
      }
      String field = null;
      Set<String> values = null;
      for (String f : PREFERRED_INDEX_FIELDS) {
        values = r.required(f);
        if (values != null) {
          field = f;
          break;
        }
      }
      if (field == null) {
        Set<String> fields = new java.util.LinkedHashSet<>();
        r.identifiers.values().forEach(m -> m.fields(fields));
        for (String f : fields) {
          Set<String> v = r.required(f);
          if (v != null && (values == null || v.size() < values.size())) {
            field = f;
            values = v;
          }
        }
      }
      if (field == null) {
        rest.add(r);
        continue;
      }
      Map<String, List<SigmaRule>> m = index.computeIfAbsent(field, k -> new HashMap<>());
      for (String v : values) {
        m.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
      }
    }
    // eventName and eventSource first, then the others, so lookups go from the most selective field
    List<String> order = new ArrayList<>(index.keySet());
    order.sort((a, b) -> Integer.compare(rank(a), rank(b)));
    for (String f : order) {
      indexFields.add(f);
      Map<String, SigmaRule[]> arrays = new HashMap<>();
      index.get(f).forEach((k, v) -> arrays.put(k, v.toArray(NONE)));
      byValue.add(arrays);
      cache.add(new HashMap<>());
    }
    this.unindexed = rest.toArray(NONE);
    int n = indexFields.size();
    typed = new int[n];
    indexPaths = new FieldPath[n];
    caches = newMaps(n);
    indexes = newMaps(n);
    lengths = new java.util.BitSet[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = new java.util.BitSet();
      for (String k : byValue.get(i).keySet()) {
        lengths[i].set(k.length());
        // lower-casing lengthens only U+0130 (to i + U+0307): keep the unlowered length too
        lengths[i].set(k.replace("\u0307", "").length());
      }
      typed[i] = TYPED.indexOf(indexFields.get(i));
      indexPaths[i] = FieldPath.of(indexFields.get(i));
      caches[i] = cache.get(i);
      indexes[i] = byValue.get(i);
    }
    for (SigmaRule r : rules) {
      r.feedsCorrelation = engine.feeds(r);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, SigmaRule[]>[] newMaps(int n) {
    return (Map<String, SigmaRule[]>[]) new Map<?, ?>[n];
  }

  private static int rank(String field) {
    int i = PREFERRED_INDEX_FIELDS.indexOf(field);
    return i < 0 ? PREFERRED_INDEX_FIELDS.size() : i;
  }

  public List<SigmaRule> rules() {
    return rules;
  }

  public List<CorrelationRule> correlations() {
    return correlations;
  }

  /** How many rule evaluations were made so far (what the index saves shows here). */
  public long evaluations() {
    return evaluations;
  }

  /** The fields rules are indexed by, most selective first. */
  public List<String> indexFields() {
    return List.copyOf(indexFields);
  }

  /** Rules that no equality index can narrow down: every event is evaluated against them. */
  public int unindexedRules() {
    return unindexed.length;
  }

  private Consumer<AuditEvent> correlationInputs;

  /**
   * Hands every event that matched a rule feeding a correlation to {@code listener} (once per matching rule), before
   * the correlation sees it; null for none. A stream processor keeps these events and, after a restore, feeds them
   * again through a new rule set to rebuild the open correlation windows, which are not part of any saved state.
   */
  public void onCorrelationInput(Consumer<AuditEvent> listener) {
    this.correlationInputs = listener;
  }

  /** The longest correlation timespan: how far back an event can still take part in a correlation window. */
  public java.time.Duration correlationHorizon() {
    long max = 0;
    for (CorrelationRule c : correlations) {
      max = Math.max(max, c.timespanMillis);
    }
    return java.time.Duration.ofMillis(max);
  }

  @Override
  public void accept(AuditEvent event, Consumer<Alert> alerts) {
    EventContext ctx = null;
    for (int i = 0; i < typed.length; i++) {
      String value = value(event, i);
      if (value == null || !lengths[i].get(value.length())) {
        continue;
      }
      Map<String, SigmaRule[]> c = caches[i];
      SigmaRule[] rs = c.get(value);
      if (rs == null) {
        rs = indexes[i].getOrDefault(value.toLowerCase(Locale.ROOT), NONE);
        if (c.size() >= CACHE_LIMIT) {
          c.clear();
        }
        c.put(value, rs);
      }
      for (SigmaRule r : rs) {
        ctx = evaluate(r, event, ctx, alerts);
      }
    }
    for (SigmaRule r : unindexed) {
      ctx = evaluate(r, event, ctx, alerts);
    }
  }

  /** The event's value of index field i: from the typed accessors when the ingest layer already read it. */
  private static final List<String> TYPED = List.of("eventName", "eventSource", "userIdentity.type", "userAgent",
      "sourceIPAddress", "errorCode", "awsRegion");

  private String value(AuditEvent event, int i) {
    switch (typed[i]) {
      case 0:
        return event.action();
      case 1:
        return event.service();
      case 2:
        return event.actor().type();
      case 3:
        return event.userAgent();
      case 4:
        return event.sourceIp();
      case 5:
        return event.errorCode();
      case 6:
        return event.region();
      default:
        List<String> v = EventContext.candidates(new EventContext(event).nodes(indexPaths[i]));
        return v.isEmpty() ? null : v.get(0);
    }
  }

  private EventContext evaluate(SigmaRule r, AuditEvent event, EventContext ctx, Consumer<Alert> alerts) {
    if (ctx == null) {
      ctx = new EventContext(event);
    }
    evaluations++;
    if (r.matches(ctx)) {
      if (r.generate) {
        alerts.accept(r.alert(ctx));
      }
      if (r.feedsCorrelation) {
        if (correlationInputs != null) {
          correlationInputs.accept(event);
        }
        engine.onMatch(new CorrelationEngine.Match(r, event.time(), Collections.singletonList(event)), alerts);
      }
    }
    return ctx;
  }

  @Override
  public void finish(Consumer<Alert> alerts) {
    engine.finish(alerts);
  }
}
