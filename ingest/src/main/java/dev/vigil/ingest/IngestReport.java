package dev.vigil.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Exact counts of one ingestion run. {@code read == accepted + quarantined} always holds. */
public final class IngestReport {
  /** How many problems are kept for the summary; all of them are still counted and quarantined. */
  public static final int KEPT_PROBLEMS = 1000;

  private long files;
  private long unreadableFiles;
  private long accepted;
  private long quarantined;
  private long ignoredFiles;
  private final List<IngestProblem> problems = new ArrayList<>();

  void fileOpened() {
    files++;
  }

  void fileUnreadable() {
    unreadableFiles++;
  }

  void fileIgnored() {
    ignoredFiles++;
  }

  void countAccepted() {
    accepted++;
  }

  void countQuarantined(IngestProblem p) {
    quarantined++;
    if (problems.size() < KEPT_PROBLEMS) {
      problems.add(p);
    }
  }

  /** Files opened (including those that turned out unreadable). */
  public long files() {
    return files;
  }

  /** Files that could not be read at all or only in part. */
  public long unreadableFiles() {
    return unreadableFiles;
  }

  /** Files in the given directories that were passed over because they are not logs by name. */
  public long ignoredFiles() {
    return ignoredFiles;
  }

  public long read() {
    return accepted + quarantined;
  }

  public long accepted() {
    return accepted;
  }

  public long quarantined() {
    return quarantined;
  }

  /** The first {@value #KEPT_PROBLEMS} problems. */
  public List<IngestProblem> problems() {
    return Collections.unmodifiableList(problems);
  }

  public boolean clean() {
    return quarantined == 0;
  }

  @Override
  public String toString() {
    return "read " + read() + " records from " + files + " file(s): " + accepted + " accepted, " + quarantined
        + " quarantined";
  }
}
