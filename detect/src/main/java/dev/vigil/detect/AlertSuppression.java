package dev.vigil.detect;

import dev.vigil.ingest.AuditEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds repeats of an alert: once a rule has fired for an actor key from a source address, further matches of the
 * same rule, key and address within the window are not separate findings. A Sigma rule matches event by event, so
 * one attacker on a Kali build of the AWS CLI makes one match per call (tens of thousands); the first tells the
 * analyst everything, the rest only bury it. Nothing the incident needs is lost: a repeat brings no new rule, key,
 * address or tactic, and the incident follows every call of a flagged key by itself (objects and bytes per tenant
 * come from those calls, not from alerts). A new address, a new key or a new window raises a new finding; the
 * number of folded repeats is reported.
 *
 * <p>Event time, not wall time: a replay of old logs folds the same way as a live stream. Memory is bounded: the
 * least recently alerted keys are forgotten first (forgetting only means a repeat may be reported again).
 */
public final class AlertSuppression {
  private final long windowSeconds;
  private final Map<String, Long> lastReported;
  private long folded;

  /** @param window 0 reports every match */
  public AlertSuppression(Duration window, int maxKeys) {
    this.windowSeconds = window.toSeconds();
    this.lastReported = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** The default of {@code vigil detect}: one finding per rule, key and address per hour. */
  public static AlertSuppression hourly() {
    return new AlertSuppression(Duration.ofHours(1), 100_000);
  }

  /** True when {@code a} is to be reported; false when it repeats one reported within the window. */
  public boolean admit(Alert a) {
    if (windowSeconds <= 0) {
      return true;
    }
    AuditEvent trigger = a.trigger();
    String key = a.ruleId() + '\u0000' + trigger.actor().key() + '\u0000' + trigger.sourceIp();
    long now = trigger.time().getEpochSecond();
    Long last = lastReported.get(key);
    if (last != null && Math.abs(now - last) < windowSeconds) { // CloudTrail delivers slightly out of order
      folded++;
      return false;
    }
    lastReported.put(key, last == null ? now : Math.max(now, last));
    return true;
  }

  /**
   * What it remembers, for a stream processor's checkpoint: (rule, key, address) → epoch second last reported,
   * least recently alerted first. Restore with {@link #restore}.
   */
  public Map<String, Long> remembered() {
    return new LinkedHashMap<>(lastReported);
  }

  /** Continues from what {@link #remembered()} and {@link #folded()} of an earlier instance returned. */
  public void restore(Map<String, Long> remembered, long foldedSoFar) {
    lastReported.clear();
    lastReported.putAll(remembered);
    this.folded = foldedSoFar;
  }

  /** Matches folded into an earlier finding so far. */
  public long folded() {
    return folded;
  }
}
