package dev.vigil.flink;

import dev.vigil.ingest.LogFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out CloudTrail files in the order {@code vigil detect} reads them (delivery time from the file name, then
 * the path; {@link LogFiles#sortKey}), so that a one-reader file source feeds each account's records in the same
 * order as the CLI and the job finds the same alerts. Flink's default assigners follow directory listing order.
 */
final class DeliveryOrderSplitAssigner implements FileSplitAssigner {
  private static final Comparator<FileSourceSplit> ORDER = Comparator.comparing(DeliveryOrderSplitAssigner::key);
  private final List<FileSourceSplit> splits;

  DeliveryOrderSplitAssigner(Collection<FileSourceSplit> initial) {
    splits = new ArrayList<>(initial);
    splits.sort(ORDER);
  }

  private static String key(FileSourceSplit split) {
    return LogFiles.sortKey(Path.of(split.path().toUri()));
  }

  @Override
  public Optional<FileSourceSplit> getNext(String hostname) {
    return splits.isEmpty() ? Optional.empty() : Optional.of(splits.remove(0));
  }

  @Override
  public void addSplits(Collection<FileSourceSplit> more) {
    splits.addAll(more); // splits given back after a failure go where they belong, before later files
    splits.sort(ORDER);
  }

  @Override
  public Collection<FileSourceSplit> remainingSplits() {
    return new ArrayList<>(splits);
  }
}
