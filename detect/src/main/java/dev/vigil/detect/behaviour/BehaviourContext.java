package dev.vigil.detect.behaviour;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.intel.IocFeed;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** What detectors may use besides the event: configuration, shared state, intelligence, and the alert sink. */
public final class BehaviourContext {

  private final BehaviourConfig config;
  private final BehaviourState state;
  private final IocFeed feed;
  private final Set<String> honeytokens;
  private Consumer<Alert> sink = a -> {};
  /** Recent events per principal, kept in memory only (evidence for window alerts); bounded. */
  private final Map<String, Deque<AuditEvent>> recent = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<AuditEvent>> e) {
          return size() > 4096;
        }
      });
  static final int RECENT_PER_PRINCIPAL = 16;

  BehaviourContext(BehaviourConfig config, BehaviourState state, IocFeed feed, Set<String> honeytokens) {
    this.config = config;
    this.state = state;
    this.feed = feed;
    this.honeytokens = honeytokens;
  }

  private boolean marking = true;

  /** Set by the engine before each detector runs: whether its high alerts mark the actor suspicious. */
  void marking(boolean marks) {
    this.marking = marks;
  }

  void sink(Consumer<Alert> sink) {
    this.sink = sink;
  }

  public BehaviourConfig config() {
    return config;
  }

  public IocFeed feed() {
    return feed;
  }

  public Set<String> honeytokens() {
    return honeytokens;
  }

  /** Raises an alert; a high or critical alert makes the actor's key and principal suspicious. */
  public void emit(Observation o, Alert alert) {
    if (alert.severity().compareTo(Severity.HIGH) >= 0 && marking) {
      state.suspect(o.keyId(), alert.ruleId(), config.maxSuspects);
      state.suspect(o.principal(), alert.ruleId(), config.maxSuspects);
    }
    sink.accept(alert);
  }

  /**
   * True the first time {@code subject} is raised by {@code detectorId} for this principal, or again once
   * {@code realertSeconds} passed (0 = only once ever); records it.
   */
  public boolean once(Observation o, String detectorId, String subject, long realertSeconds) {
    String k = detectorId + "|" + subject;
    Long last = o.profile().alerted.get(k);
    if (last != null && (realertSeconds <= 0 || o.now() - last < realertSeconds)) {
      return false;
    }
    if (o.profile().alerted.size() > 1024) {
      o.profile().alerted.clear();
    }
    o.profile().alerted.put(k, o.now());
    return true;
  }

  /** Why this key or principal is suspicious, or null. */
  public String suspicion(Observation o) {
    String k = o.keyId() == null ? null : state.suspects.get(o.keyId());
    if (k != null) {
      return k;
    }
    String t = o.keyId() == null ? null : state.taintedKeys.get(o.keyId());
    return t != null ? "created by suspicious " + t : state.suspects.get(o.principal());
  }

  /** The key or principal that created this (tainted) key, or null. */
  public String taintedBy(String keyId) {
    return keyId == null ? null : state.taintedKeys.get(keyId);
  }

  public void taint(String keyId, String by) {
    state.taint(keyId, by, config.maxSuspects);
  }

  /** The last few events of this principal (oldest first), not including the current one. */
  public List<AuditEvent> recent(String principal) {
    Deque<AuditEvent> d = recent.get(principal);
    return d == null ? List.of() : List.copyOf(d);
  }

  /** The recent events of every principal, least recently used principal first. */
  Map<String, List<AuditEvent>> recentEvents() {
    Map<String, List<AuditEvent>> out = new LinkedHashMap<>();
    synchronized (recent) {
      recent.forEach((p, d) -> out.put(p, List.copyOf(d)));
    }
    return out;
  }

  void restoreRecentEvents(Map<String, List<AuditEvent>> events) {
    recent.clear();
    events.forEach((p, list) -> recent.put(p, new ArrayDeque<>(list)));
  }

  void remember(String principal, AuditEvent e) {
    Deque<AuditEvent> d = recent.computeIfAbsent(principal, p -> new ArrayDeque<>());
    d.addLast(e);
    if (d.size() > RECENT_PER_PRINCIPAL) {
      d.removeFirst();
    }
  }
}
