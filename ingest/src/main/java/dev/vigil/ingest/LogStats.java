package dev.vigil.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A first look at a log set: counts, time range and the most frequent values of the fields analysts ask about
 * first. Memory is bounded: each field keeps at most {@link TopCounter#CAPACITY} candidates (Space-Saving), so
 * the top entries are exact for skewed data and approximate (flagged) only when the field has more distinct values.
 */
public final class LogStats implements Consumer<AuditEvent> {

  /** Bounded heavy-hitter counter (Metwally et al., Space-Saving). */
  public static final class TopCounter {
    static final int CAPACITY = 10_000;
    private final Map<String, long[]> counts = new HashMap<>();
    private boolean evicted;

    void add(String value) {
      if (value == null) {
        value = "(none)";
      }
      long[] c = counts.get(value);
      if (c != null) {
        c[0]++;
        return;
      }
      if (counts.size() < CAPACITY) {
        counts.put(value, new long[] {1});
        return;
      }
      // replace the smallest entry; its count carries over as the newcomer's possible overestimate
      String minKey = null;
      long min = Long.MAX_VALUE;
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        if (e.getValue()[0] < min) {
          min = e.getValue()[0];
          minKey = e.getKey();
        }
      }
      counts.remove(minKey);
      counts.put(value, new long[] {min + 1});
      evicted = true;
    }

    /** The n most frequent values, most frequent first, ties by value. */
    public List<Map.Entry<String, Long>> top(int n) {
      List<Map.Entry<String, Long>> all = new ArrayList<>(counts.size());
      counts.forEach((k, v) -> all.add(Map.entry(k, v[0])));
      all.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
          .thenComparing(Map.Entry::getKey));
      return all.subList(0, Math.min(n, all.size()));
    }

    /** Distinct values seen, exact unless {@link #approximate()}. */
    public int distinct() {
      return counts.size();
    }

    /** True when more distinct values were seen than the counter keeps. */
    public boolean approximate() {
      return evicted;
    }
  }

  private long events;
  private Instant first;
  private Instant last;
  private long errors;
  private long bytesOut;
  private final Map<String, TopCounter> fields = new java.util.LinkedHashMap<>();

  public LogStats() {
    for (String f : new String[] {"accounts", "regions", "services", "actions", "actors", "source_ips",
        "user_agents", "error_codes"}) {
      fields.put(f, new TopCounter());
    }
  }

  @Override
  public void accept(AuditEvent e) {
    events++;
    if (first == null || e.time().isBefore(first)) {
      first = e.time();
    }
    if (last == null || e.time().isAfter(last)) {
      last = e.time();
    }
    if (e.failed()) {
      errors++;
      fields.get("error_codes").add(e.errorCode());
    }
    bytesOut += e.bytesOut();
    fields.get("accounts").add(e.account());
    fields.get("regions").add(e.region());
    fields.get("services").add(e.service());
    fields.get("actions").add(e.service() == null ? e.action() : shortService(e.service()) + ":" + e.action());
    fields.get("actors").add(actorLabel(e.actor()));
    fields.get("source_ips").add(e.sourceIp());
    fields.get("user_agents").add(e.userAgent());
  }

  static String shortService(String service) {
    int dot = service.indexOf('.');
    return dot > 0 ? service.substring(0, dot) : service;
  }

  /** The principal's ARN, with the access key id when there is one. */
  public static String actorLabel(AuditEvent.Actor a) {
    String who = a.principalArn() != null ? a.principalArn() : a.invokedBy() != null ? a.invokedBy() : a.type();
    return a.accessKeyId() != null ? who + " (" + a.accessKeyId() + ")" : String.valueOf(who);
  }

  public long events() {
    return events;
  }

  public Instant first() {
    return first;
  }

  public Instant last() {
    return last;
  }

  public long errors() {
    return errors;
  }

  public long bytesOut() {
    return bytesOut;
  }

  /** Field name to counter, in display order. */
  public Map<String, TopCounter> fields() {
    return fields;
  }
}
