package dev.vigil.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts inflated bytes against the compressed bytes read, and stops a decompression bomb early. */
final class InflationGuard extends FilterInputStream {

  /** Thrown when a gzip file inflates beyond the limits. */
  static final class BombException extends IOException {
    BombException(String message) {
      super(message);
    }
  }

  /** Counts the compressed bytes pulled from the file. */
  static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private final Counting compressed;
  private final IngestLimits limits;
  private long inflated;

  InflationGuard(InputStream inflating, Counting compressed, IngestLimits limits) {
    super(inflating);
    this.compressed = compressed;
    this.limits = limits;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      check(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      check(n);
    }
    return n;
  }

  private void check(int n) throws BombException {
    inflated += n;
    if (inflated > limits.maxInflatedBytes()) {
      throw new BombException("gzip inflates beyond the limit of " + limits.maxInflatedBytes() + " bytes");
    }
    if (inflated > limits.bombRatioAfterBytes() && inflated > limits.bombRatio() * Math.max(1, compressed.count)) {
      throw new BombException("looks like a decompression bomb: " + inflated + " bytes inflated from "
          + compressed.count + " compressed bytes (ratio over " + limits.bombRatio() + ":1)");
    }
  }
}
