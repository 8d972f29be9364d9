package dev.vigil.ingest;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Puts events back into event-time order within a bounded lateness, as the Flink job's {@code --order event-time}
 * does: an event is held until an event more than {@code lateness} newer has been seen, then handed on in event-time
 * order; events with the same time leave in the order they came. An event that arrives when events more than
 * {@code lateness} newer have been seen already (its place has passed) is late: handed on at once, out of order,
 * and counted. CloudTrail delivers an account's records up to several minutes out of order; with a bound of that
 * size, detection sees them as they happened. Not thread-safe.
 */
public final class EventTimeBuffer implements Consumer<AuditEvent> {
  private record Held(long time, long arrival, AuditEvent event) {}

  private static final Comparator<Held> ORDER =
      Comparator.comparingLong(Held::time).thenComparingLong(Held::arrival);

  private final long latenessMillis;
  private final Consumer<AuditEvent> next;
  private final PriorityQueue<Held> held = new PriorityQueue<>(1024, ORDER);
  private long newest = Long.MIN_VALUE;
  private long arrivals;
  private long late;

  public EventTimeBuffer(Duration lateness, Consumer<AuditEvent> next) {
    if (lateness.isNegative()) {
      throw new IllegalArgumentException("lateness must not be negative: " + lateness);
    }
    this.latenessMillis = lateness.toMillis();
    this.next = next;
  }

  @Override
  public void accept(AuditEvent e) {
    long t = e.time().toEpochMilli();
    if (t <= watermark()) {
      late++;
      next.accept(e);
      return;
    }
    held.add(new Held(t, arrivals++, e));
    if (t > newest) {
      newest = t;
      long w = watermark();
      while (!held.isEmpty() && held.peek().time() <= w) {
        next.accept(held.poll().event());
      }
    }
  }

  /** Hands on everything still held, in order (the end of the input). */
  public void flush() {
    while (!held.isEmpty()) {
      next.accept(held.poll().event());
    }
  }

  /** Events handed on out of order because they came later than the bound. */
  public long late() {
    return late;
  }

  /** Events held now. */
  public int held() {
    return held.size();
  }

  /** Events at or before this time have had their turn (Flink's bounded-out-of-orderness watermark). */
  private long watermark() {
    return newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - latenessMillis - 1;
  }
}
