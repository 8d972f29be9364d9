package dev.vigil.simulate;

import java.util.SplittableRandom;

/** Start times of an actor's episodes, produced lazily in ascending order. */
abstract class Schedule {
  static final long DONE = Long.MAX_VALUE;

  /** The next start time, or {@link #DONE}. */
  abstract long next();

  /** How many episodes this schedule produces in all (known up front, so that budgets can be dealt out). */
  abstract long count();

  /** Activity profile: relative weight of an hour of the day (UTC), weekdays and weekends. */
  enum Profile {
    /** People at work in Brussels/Luxembourg (UTC+1 in March): 07-17 UTC, little at night, a tenth at weekends. */
    OFFICE,
    /** Machines: always on, with a mild daytime bump. */
    ALWAYS,
    /** Public web traffic: day-heavy, evenings, weekends a bit lower. */
    WEB;

    double weight(int hourUtc, boolean weekend) {
      return switch (this) {
        case OFFICE -> (hourUtc >= 7 && hourUtc <= 16 ? 1.0 : hourUtc == 6 || hourUtc == 17 || hourUtc == 18 ? 0.4
            : hourUtc <= 21 && hourUtc >= 19 ? 0.12 : 0.03) * (weekend ? 0.08 : 1.0);
        case ALWAYS -> 1.0 + (hourUtc >= 7 && hourUtc <= 17 ? 0.35 : 0.0);
        case WEB -> (hourUtc >= 6 && hourUtc <= 20 ? 1.0 : hourUtc >= 21 || hourUtc <= 1 ? 0.55 : 0.25)
            * (weekend ? 0.7 : 1.0);
      };
    }
  }

  /**
   * {@code count} times drawn independently from the profile's density over {@code [from, to)}, returned in
   * ascending order without storing them: the k-th smallest of n uniforms is generated from the (k-1)-th.
   */
  static Schedule random(SplittableRandom rnd, long count, Profile profile, long from, long to) {
    int hours = (int) ((to - from + Times.HOUR - 1) / Times.HOUR);
    double[] cumulative = new double[hours + 1];
    for (int h = 0; h < hours; h++) {
      long t = from + h * Times.HOUR;
      long len = Math.min(Times.HOUR, to - t);
      cumulative[h + 1] = cumulative[h] + profile.weight(Times.hourOfDay(t), Times.weekend(t)) * len;
    }
    double total = cumulative[hours];
    return new Schedule() {
      long left = count;
      double u;

      @Override
      long next() {
        if (left <= 0) {
          return DONE;
        }
        u += (1 - u) * (1 - Math.pow(rnd.nextDouble(), 1.0 / left));
        left--;
        double target = Math.min(u, 0.999999999) * total;
        int lo = 0;
        int hi = hours;
        while (hi - lo > 1) {
          int mid = (lo + hi) >>> 1;
          if (cumulative[mid] <= target) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        double within = (target - cumulative[lo]) / (cumulative[lo + 1] - cumulative[lo]);
        long start = from + lo * Times.HOUR;
        long t = start + (long) (within * Math.min(Times.HOUR, to - start));
        return Math.min(Math.max(t, from), to - 1);
      }

      @Override
      long count() {
        return count;
      }
    };
  }

  /** Every {@code period} from {@code first} (inclusive) while before {@code to}, each shifted by up to +-jitter. */
  static Schedule periodic(SplittableRandom rnd, long first, long period, long jitter, long to) {
    long n = first >= to ? 0 : (to - 1 - first) / period + 1;
    return new Schedule() {
      long i;

      @Override
      long next() {
        if (i >= n) {
          return DONE;
        }
        long base = first + i * period;
        i++;
        long j = jitter == 0 ? 0 : rnd.nextLong(-jitter, jitter + 1);
        // jitter never reorders: it stays within a third of the period
        j = Math.max(-period / 3, Math.min(period / 3, j));
        return Math.max(0, Math.min(to - 1, base + j));
      }

      @Override
      long count() {
        return n;
      }
    };
  }

  /** Fixed times (ascending). */
  static Schedule of(long... times) {
    return new Schedule() {
      int i;

      @Override
      long next() {
        return i < times.length ? times[i++] : DONE;
      }

      @Override
      long count() {
        return times.length;
      }
    };
  }

  /** Both schedules' times, merged in order. */
  static Schedule merge(Schedule a, Schedule b) {
    return new Schedule() {
      long na = a.next();
      long nb = b.next();

      @Override
      long next() {
        long t;
        if (na <= nb) {
          t = na;
          na = a.next();
        } else {
          t = nb;
          nb = b.next();
        }
        return t;
      }

      @Override
      long count() {
        return a.count() + b.count();
      }
    };
  }
}
