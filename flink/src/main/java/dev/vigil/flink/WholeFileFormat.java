package dev.vigil.flink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;
import org.apache.flink.core.fs.Path;

/**
 * Reads a CloudTrail delivery file (one {@code {"Records":[...]}} document, inflated when its name ends in
 * {@code .gz}) as one element: {@link #FILE_PREFIX}, the file's path, a newline, then the document, so that
 * {@link RecordParser} can name the file in its dead letters. Files are not split, so a document is never cut in
 * half. A file that cannot be read whole (truncated or corrupt gzip, larger than {@link #MAX_BYTES}) becomes the
 * element {@link #FILE_PREFIX} path newline {@link #UNREADABLE} reason: a dead letter naming the file; the job goes on
 * with the other files instead of failing and restarting on the same file forever.
 */
public class WholeFileFormat implements BulkFormat<String, FileSourceSplit> {
  /** CloudTrail delivery files are a few MB; refuse absurd ones instead of exhausting the heap. */
  static final int MAX_BYTES = 256 * 1024 * 1024;
  /** Starts an element that names its file (a Kafka message, JSON, never does). */
  static final String FILE_PREFIX = "#file:";
  /** Follows the path line when the file could not be read. */
  static final String UNREADABLE = "#unreadable:";

  @Override
  public Reader<String> createReader(Configuration config, FileSourceSplit split) {
    return new WholeFileReader(split.path(), false);
  }

  @Override
  public Reader<String> restoreReader(Configuration config, FileSourceSplit split) {
    // the file's one element was emitted before the checkpoint when the position says one record is done
    boolean done = split.getReaderPosition().map(p -> p.getRecordsAfterOffset() >= 1).orElse(false);
    return new WholeFileReader(split.path(), done);
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<String> getProducedType() {
    return Types.STRING;
  }

  /** The whole file, or why it could not be read, as the element described on the class. */
  static String read(Path path) {
    String head = FILE_PREFIX + path + "\n";
    try (InputStream raw = path.getFileSystem().open(path);
        InputStream in = path.getName().endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        return head + UNREADABLE + "larger than " + MAX_BYTES + " bytes (inflated)";
      }
      return head + new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      String why = e instanceof java.io.EOFException ? "truncated file: " : "unreadable file: ";
      return head + UNREADABLE + why + e.getMessage();
    }
  }

  private static final class WholeFileReader implements BulkFormat.Reader<String> {
    private final Path path;
    private boolean done;

    WholeFileReader(Path path, boolean done) {
      this.path = path;
      this.done = done;
    }

    @Override
    public BulkFormat.RecordIterator<String> readBatch() {
      if (done) {
        return null;
      }
      done = true;
      SingletonResultIterator<String> one = new SingletonResultIterator<>();
      one.set(read(path), CheckpointedPosition.NO_OFFSET, 1);
      return one;
    }

    @Override
    public void close() {
    }
  }
}
