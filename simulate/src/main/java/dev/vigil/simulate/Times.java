package dev.vigil.simulate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Fast formatting of the time stamps CloudTrail writes. */
final class Times {
  static final long SECOND = 1000L;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  private static final DateTimeFormatter IAM_CREATE_DATE =
      DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  private long cachedDay = Long.MIN_VALUE;
  private String cachedPrefix;

  /** {@code 2026-03-19T19:47:13Z}, second precision as CloudTrail writes it. */
  String iso(long millis) {
    long day = Math.floorDiv(millis, DAY);
    if (day != cachedDay) {
      cachedDay = day;
      cachedPrefix = LocalDate.ofEpochDay(day).toString() + "T";
    }
    int secOfDay = (int) (Math.floorMod(millis, DAY) / SECOND);
    char[] c = new char[9];
    two(c, 0, secOfDay / 3600);
    c[2] = ':';
    two(c, 3, secOfDay / 60 % 60);
    c[5] = ':';
    two(c, 6, secOfDay % 60);
    c[8] = 'Z';
    return cachedPrefix.concat(new String(c));
  }

  private static void two(char[] c, int at, int v) {
    c[at] = (char) ('0' + v / 10);
    c[at + 1] = (char) ('0' + v % 10);
  }

  static String isoStatic(long millis) {
    return Instant.ofEpochMilli(millis - Math.floorMod(millis, SECOND)).toString();
  }

  /** IAM's createDate format in CreateAccessKey responses: {@code Mar 19, 2026, 8:31:12 PM}. */
  static String iamDate(long millis) {
    return IAM_CREATE_DATE.format(Instant.ofEpochMilli(millis));
  }

  /** Hour of day (0-23) in UTC. */
  static int hourOfDay(long millis) {
    return (int) (Math.floorMod(millis, DAY) / HOUR);
  }

  /** True on Saturday and Sunday (UTC). */
  static boolean weekend(long millis) {
    int dow = ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC).getDayOfWeek().getValue();
    return dow >= 6;
  }

  static long startOfDay(long millis) {
    return millis - Math.floorMod(millis, DAY);
  }
}
