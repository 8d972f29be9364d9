package dev.vigil.server.notify;

import dev.vigil.store.StoredIncident;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Hands new and escalated incidents to every channel, off the ingestion thread: a slow or dead webhook never
 * holds detection up. Each delivery is tried up to {@code attempts} times with doubling back-off; a refusal
 * ({@link NotificationChannel.DeliveryException}) ends it at once. Nothing is dropped without a log line and a
 * count: when more than {@code maxPending} deliveries wait, the new one is refused and counted.
 */
public final class Notifier implements BiConsumer<String, StoredIncident>, AutoCloseable {

  /** Retry policy: attempts in all (first try included), first back-off, back-off ceiling. */
  public record Retry(int attempts, Duration firstDelay, Duration maxDelay) {
    public static final Retry DEFAULT = new Retry(5, Duration.ofSeconds(2), Duration.ofMinutes(2));

    public Retry {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
    }

    Duration delayBefore(int attempt) { // attempt 2 waits firstDelay, 3 waits twice that, ...
      long millis = firstDelay.toMillis() << Math.min(20, attempt - 2);
      return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
  }

  /** Counters since start. */
  public record Stats(long delivered, long retried, long failed, long refused) {}

  private final List<NotificationChannel> channels;
  private final Retry retry;
  private final String dashboardUrl;
  private final Consumer<String> log;
  private final int maxPending;
  private final ScheduledExecutorService worker;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param dashboardUrl the server's public base URL for links in the notices, or null
   * @param log where delivery problems are reported (one line each; no credentials, no secret URL parts)
   */
  public Notifier(List<NotificationChannel> channels, Retry retry, String dashboardUrl, Consumer<String> log,
      int maxPending) {
    this.channels = List.copyOf(channels);
    this.retry = retry;
    this.dashboardUrl = dashboardUrl;
    this.log = log;
    this.maxPending = maxPending;
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-notify");
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.worker = executor;
  }

  public List<NotificationChannel> channels() {
    return channels;
  }

  @Override
  public void accept(String kind, StoredIncident incident) {
    IncidentNotice notice = new IncidentNotice(kind, incident, dashboardUrl);
    for (NotificationChannel channel : channels) {
      if (pending.incrementAndGet() > maxPending) {
        pending.decrementAndGet();
        refused.incrementAndGet();
        log.accept("notification to " + channel.describe() + " for incident " + incident.id() + " (" + kind
            + ") not queued: " + maxPending + " deliveries already waiting");
        continue;
      }
      worker.execute(() -> attempt(channel, notice, 1));
    }
  }

  private void attempt(NotificationChannel channel, IncidentNotice notice, int attempt) {
    String what = "notification to " + channel.describe() + " for incident " + notice.incident().id()
        + " (" + notice.kind() + ")";
    try {
      channel.deliver(notice);
      delivered.incrementAndGet();
      pending.decrementAndGet();
      if (attempt > 1) {
        log.accept(what + " delivered on attempt " + attempt);
      }
    } catch (NotificationChannel.DeliveryException e) {
      failed.incrementAndGet();
      pending.decrementAndGet();
      log.accept(what + " refused: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (attempt >= retry.attempts()) {
        failed.incrementAndGet();
        pending.decrementAndGet();
        log.accept(what + " failed after " + attempt + " attempt(s): " + reason);
        return;
      }
      Duration wait = retry.delayBefore(attempt + 1);
      retried.incrementAndGet();
      log.accept(what + " failed (" + reason + "); retry " + (attempt + 1) + "/" + retry.attempts() + " in "
          + wait.toMillis() + " ms");
      try {
        worker.schedule(() -> attempt(channel, notice, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        failed.incrementAndGet();
        pending.decrementAndGet();
        log.accept(what + " abandoned: the server is stopping");
      }
    }
  }

  public Stats stats() {
    return new Stats(delivered.get(), retried.get(), failed.get(), refused.get());
  }

  /** Deliveries queued or waiting for a retry. */
  public int pending() {
    return pending.get();
  }

  /** Waits up to {@code grace} for the queue to drain, then stops; what is still waiting is reported. */
  public void close(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (pending.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    worker.shutdownNow();
    int left = pending.get();
    if (left > 0) {
      log.accept(left + " notification(s) not delivered: the server stopped");
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
