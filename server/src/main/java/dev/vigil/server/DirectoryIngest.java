package dev.vigil.server;

import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.DirectoryFollower;
import dev.vigil.ingest.EventReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a directory in the S3 delivery layout and feeds new events to the pipeline in batches. After a restart
 * the directory is read again from the start; the store's event-id de-duplication makes that replay silent
 * (at-least-once delivery, exactly-once alerts).
 */
final class DirectoryIngest implements AutoCloseable {
  private static final int BATCH = 2000;

  private final IngestPipeline pipeline;
  private final Path dir;
  private final Thread thread;
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-ingest-flush");
    t.setDaemon(true);
    return t;
  });
  private final List<AuditEvent> buffer = new ArrayList<>();
  private volatile boolean running = true;
  private volatile Exception failure;

  DirectoryIngest(IngestPipeline pipeline, Path dir, Duration poll) {
    this.pipeline = pipeline;
    this.dir = dir;
    this.thread = new Thread(() -> {
      try {
        new DirectoryFollower(new EventReader()).follow(List.of(dir), this::add, poll, () -> running);
        flush();
      } catch (Exception e) {
        failure = e;
        System.err.println("vigil serve: watching " + dir + " stopped: " + e.getMessage());
      }
    }, "vigil-watch");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
    flusher.scheduleWithFixedDelay(() -> {
      try {
        flush();
      } catch (Exception e) {
        System.err.println("vigil serve: ingesting from " + dir + " failed: " + e.getMessage());
      }
    }, 500, 500, TimeUnit.MILLISECONDS);
  }

  private void add(AuditEvent e) {
    List<AuditEvent> full = null;
    synchronized (buffer) {
      buffer.add(e);
      if (buffer.size() >= BATCH) {
        full = new ArrayList<>(buffer);
        buffer.clear();
      }
    }
    if (full != null) {
      try {
        pipeline.ingest(full);
      } catch (java.sql.SQLException | RuntimeException ex) {
        synchronized (buffer) {
          buffer.addAll(0, full); // kept for the flusher's next attempt rather than dropped
        }
        System.err.println("vigil serve: storing a batch from " + dir + " failed, will retry: " + ex.getMessage());
      }
    }
  }

  void flush() throws java.sql.SQLException {
    List<AuditEvent> batch;
    synchronized (buffer) {
      batch = new ArrayList<>(buffer);
      buffer.clear();
    }
    if (!batch.isEmpty()) {
      try {
        pipeline.ingest(batch);
      } catch (java.sql.SQLException | RuntimeException e) {
        synchronized (buffer) {
          buffer.addAll(0, batch); // not lost: the next flush tries again (events are de-duplicated by id)
        }
        throw e;
      }
    }
  }

  Exception failure() {
    return failure;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    flusher.shutdownNow();
  }
}
