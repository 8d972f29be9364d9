package dev.vigil.simulate;

import java.util.SplittableRandom;

/**
 * Deals a fixed number of events out over a known number of episodes, so that the whole dataset has exactly the
 * number of background events asked for. Episode sizes vary around the mean.
 */
final class Budget {
  private long left;
  private long episodesLeft;
  private final long min;

  Budget(long events, long episodes, long min) {
    if (events < episodes * min) {
      throw new IllegalArgumentException("budget " + events + " below " + episodes + " x " + min);
    }
    this.left = events;
    this.episodesLeft = episodes;
    this.min = min;
  }

  /** The size of the next episode; the last episode takes what is left. */
  long take(SplittableRandom rnd, double jitter) {
    if (episodesLeft <= 0) {
      return 0;
    }
    long size;
    if (episodesLeft == 1) {
      size = left;
    } else {
      double mean = (double) left / episodesLeft;
      size = Math.round(mean * (1 + jitter * (2 * rnd.nextDouble() - 1)));
      size = Math.max(min, Math.min(size, left - (episodesLeft - 1) * min));
    }
    left -= size;
    episodesLeft--;
    return size;
  }
}
