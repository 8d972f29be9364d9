package dev.vigil.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Reads on a second thread while the caller's thread consumes: inflating, parsing and normalizing CloudTrail costs
 * about as much as detecting on it, so on two cores the two halves overlap. Events reach the sink in the reader's
 * order, on the calling thread (detectors need no locking). Memory stays bounded: a few batches are in flight.
 */
public final class ReadAhead {
  private static final int BATCH = 512;
  private static final List<AuditEvent> END = List.of();

  private ReadAhead() {}

  /** Like {@link EventReader#read}, with the reading done on a background thread. */
  public static IngestReport read(EventReader reader, List<Path> inputs, Consumer<AuditEvent> sink)
      throws IOException {
    BlockingQueue<List<AuditEvent>> queue = new ArrayBlockingQueue<>(8);
    IngestReport[] report = {null};
    Throwable[] failure = {null};
    Thread producer = new Thread(() -> {
      List<AuditEvent> batch = new ArrayList<>(BATCH);
      try {
        report[0] = reader.read(inputs, e -> {
          batch.add(e);
          if (batch.size() == BATCH) {
            put(queue, List.copyOf(batch));
            batch.clear();
          }
        });
        if (!batch.isEmpty()) {
          put(queue, List.copyOf(batch));
        }
      } catch (Stopped t) {
        // the consumer failed and rethrows its own error
      } catch (Throwable t) {
        failure[0] = t;
      } finally {
        try {
          queue.put(END);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "vigil-read-ahead");
    producer.setDaemon(true);
    producer.start();
    try {
      for (List<AuditEvent> batch = take(queue); batch != END; batch = take(queue)) {
        for (AuditEvent e : batch) {
          sink.accept(e);
        }
      }
    } catch (RuntimeException | Error e) {
      producer.interrupt(); // the reader stops at its next hand-over
      throw e;
    }
    join(producer);
    if (failure[0] instanceof IOException io) {
      throw io;
    }
    if (failure[0] instanceof RuntimeException r) {
      throw r;
    }
    if (failure[0] instanceof Error err) {
      throw err;
    }
    return report[0];
  }

  private static void put(BlockingQueue<List<AuditEvent>> queue, List<AuditEvent> batch) {
    try {
      queue.put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped(); // not an I/O error: the reader must not report the rest of the file as unreadable
    }
  }

  /** The consumer gave up; the reader unwinds without reporting anything. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super("reading stopped", null, false, false);
    }
  }

  private static List<AuditEvent> take(BlockingQueue<List<AuditEvent>> queue) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading", e);
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
