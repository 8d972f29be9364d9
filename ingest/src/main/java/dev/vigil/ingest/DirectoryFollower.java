package dev.vigil.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads what is in a set of directories, then keeps picking up new files as they land ({@code --follow}).
 *
 * <p>A new file is read once its size and modification time are unchanged between two polls, so a file that is
 * still being written (or uploaded by a sync job) is not read half-way. Each file is read once.
 */
public final class DirectoryFollower {
  private final EventReader reader;
  private final Set<Path> done = new HashSet<>();
  private final Map<Path, String> pending = new HashMap<>();

  public DirectoryFollower(EventReader reader) {
    this.reader = reader;
  }

  /**
   * Reads existing files, then polls every {@code interval} until {@code keepGoing} says stop or the thread is
   * interrupted. Returns the report of everything read.
   */
  public IngestReport follow(List<Path> inputs, Consumer<AuditEvent> sink, Duration interval,
      BooleanSupplier keepGoing) throws IOException {
    IngestReport report = new IngestReport();
    for (Path file : LogFiles.expand(inputs).files()) {
      done.add(file);
      reader.readFile(file, sink, report);
    }
    while (keepGoing.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      poll(inputs, sink, report);
    }
    return report;
  }

  /** One poll: reads the files that appeared and have settled since the previous poll. */
  void poll(List<Path> inputs, Consumer<AuditEvent> sink, IngestReport report) throws IOException {
    for (Path file : LogFiles.expand(inputs).files()) {
      if (done.contains(file)) {
        continue;
      }
      String signature = signature(file);
      if (signature != null && signature.equals(pending.get(file))) {
        pending.remove(file);
        done.add(file);
        reader.readFile(file, sink, report);
      } else if (signature != null) {
        pending.put(file, signature);
      }
    }
  }

  private static String signature(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.size() + "@" + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return null; // vanished between listing and reading: not ours to report
    }
  }
}
