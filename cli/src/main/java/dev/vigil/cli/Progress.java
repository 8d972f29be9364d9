package dev.vigil.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress display on stderr (only used on a terminal): events read, events/s, alerts. */
final class Progress {
  private static final long INTERVAL_NANOS = 250_000_000L;
  private final PrintStream err;
  private final long start = System.nanoTime();
  private long lastDraw = start;
  private boolean drawn;

  Progress(PrintStream err) {
    this.err = err;
  }

  void tick(long events, long alerts) {
    if ((events & 1023) != 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < INTERVAL_NANOS) {
      return;
    }
    lastDraw = now;
    draw(events, alerts, now);
  }

  private void draw(long events, long alerts, long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    err.print(String.format(Locale.ROOT, "\r\u001b[2K%s %,d events read  %,.0f events/s  %,d alerts  %.0fs",
        spinner(now), events, events / seconds, alerts, seconds));
    err.flush();
    drawn = true;
  }

  private static char spinner(long now) {
    return "|/-\\".charAt((int) ((now / INTERVAL_NANOS) & 3));
  }

  /** Erases the line so that other output starts clean. */
  void clear() {
    if (drawn) {
      err.print("\r\u001b[2K");
      err.flush();
      drawn = false;
    }
  }

  void done(long events, long alerts) {
    clear();
  }
}
