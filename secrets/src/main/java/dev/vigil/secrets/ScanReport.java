package dev.vigil.secrets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a scan read and what it could not: exact counts, every problem with its path and reason, and the files
 * skipped on purpose (binary, too large, nested archive, allowlisted path) counted by reason. Thread-safe.
 */
public final class ScanReport {
  /** Input that could not be read: the run is still useful, but incomplete (exit code 3). */
  public record Problem(String path, String reason) {
    @Override
    public String toString() {
      return path + ": " + reason;
    }
  }

  final AtomicLong files = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong commits = new AtomicLong();
  final AtomicLong blobs = new AtomicLong();
  final AtomicLong findings = new AtomicLong();
  private final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> skipped = new TreeMap<>();
  private final List<Problem> skippedSamples = new ArrayList<>();

  void problem(String path, String reason) {
    problems.add(new Problem(path, reason));
  }

  synchronized void skip(String path, String reason) {
    skipped.merge(reason, 1L, Long::sum);
    if (skippedSamples.size() < 1000) {
      skippedSamples.add(new Problem(path, reason));
    }
  }

  /** Files (or archive entries, or git blobs) scanned. */
  public long files() {
    return files.get();
  }

  public long bytes() {
    return bytes.get();
  }

  public long commits() {
    return commits.get();
  }

  public long blobs() {
    return blobs.get();
  }

  public long findingsSoFar() {
    return findings.get();
  }

  public List<Problem> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  public synchronized Map<String, Long> skipped() {
    return Map.copyOf(skipped);
  }

  public synchronized List<Problem> skippedSamples() {
    return List.copyOf(skippedSamples);
  }

  public synchronized long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True when every input could be read. */
  public boolean clean() {
    return problems.isEmpty();
  }

  /** One line: "scanned N files (B bytes), S skipped (reasons), U unreadable". */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("scanned ").append(files()).append(commits() > 0 ? " blob(s) in " + commits() + " commit(s)" : " file(s)")
        .append(" (").append(String.format("%,d", bytes())).append(" bytes)");
    Map<String, Long> s = skipped();
    sb.append(", ").append(skippedTotal()).append(" skipped");
    if (!s.isEmpty()) {
      sb.append(" ").append(new TreeMap<>(s).toString().replace('{', '(').replace('}', ')'));
    }
    sb.append(", ").append(problems().size()).append(" unreadable");
    return sb.toString();
  }
}
