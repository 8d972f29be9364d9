package dev.vigil.ingest;

/**
 * A record (or the unreadable rest of a file) that was not accepted, with where and why.
 *
 * @param source      file path, or "-" for standard input
 * @param recordIndex 0-based index of the record in its source; -1 when the problem concerns the whole file
 * @param field       the offending field, or null
 * @param reason      what is wrong, in words a user can act on
 */
public record IngestProblem(String source, long recordIndex, String field, String reason) {
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(source);
    if (recordIndex >= 0) {
      b.append(": record ").append(recordIndex);
    }
    b.append(": ").append(reason);
    return b.toString();
  }
}
