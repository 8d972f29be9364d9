package dev.vigil.ingest;

/**
 * Safety limits for reading untrusted input.
 *
 * @param maxLineBytes        longest JSON Lines line accepted; longer lines are skipped and quarantined
 * @param maxInflatedBytes    most bytes one gzip file may inflate to
 * @param bombRatio           inflated/compressed ratio above which a file is treated as a decompression bomb...
 * @param bombRatioAfterBytes ...once it has inflated at least this many bytes (small files compress well too)
 * @param maxStringChars      longest JSON string value accepted inside a record
 */
public record IngestLimits(
    int maxLineBytes, long maxInflatedBytes, long bombRatio, long bombRatioAfterBytes, int maxStringChars) {

  /** CloudTrail records are at most a few hundred KB; these leave ample room and still stop abuse. */
  public static final IngestLimits DEFAULT =
      new IngestLimits(16 << 20, 16L << 30, 200, 256L << 20, 16 << 20);
}
