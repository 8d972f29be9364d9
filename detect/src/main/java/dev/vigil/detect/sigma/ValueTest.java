package dev.vigil.detect.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** One compiled value of a detection item, tested against the values found at the item's field. */
interface ValueTest {

  /** What is found at a field: the nodes (JSON nulls included) and, computed once, their candidate strings. */
  class Found {
    final List<JsonNode> nodes;
    private List<String> strings;

    Found(List<JsonNode> nodes) {
      this.nodes = nodes;
    }

    List<String> strings() {
      if (strings == null) {
        strings = EventContext.candidates(nodes);
      }
      return strings;
    }
  }

  boolean test(Found found, EventContext ctx);

  /** A string comparison: exact, prefix, suffix, substring, or a wildcard pattern; case-insensitive unless cased. */
  final class Text implements ValueTest {
    enum Mode { EXACT, PREFIX, SUFFIX, CONTAINS, PATTERN, ANY }

    final Mode mode;
    final String value;
    final boolean cased;
    private final java.util.regex.Pattern pattern;

    Text(Mode mode, String value, boolean cased, java.util.regex.Pattern pattern) {
      this.mode = mode;
      this.value = cased ? value : value.toLowerCase(Locale.ROOT);
      this.cased = cased;
      this.pattern = pattern;
    }

    @Override
    public boolean test(Found found, EventContext ctx) {
      for (String s : found.strings()) {
        if (matches(s, ctx)) {
          return true;
        }
      }
      return false;
    }

    /**
     * {@link #matches(String)} with the event's cache: a case-insensitive substring test lower-cases the value once
     * per event (many rules look into the same user agent) and then uses the JDK's vectorised {@code indexOf}.
     */
    boolean matches(String s, EventContext ctx) {
      return mode == Mode.CONTAINS && !cased ? ctx.lowerCase(s).contains(value) : matches(s);
    }

    /**
     * {@code s.toLowerCase(ROOT).contains(lowerValue)} without building the lower-case copy (the hot path: user
     * agents against many rules). Strings with non-ASCII characters take the exact path, since a few of those
     * lower-case to more than one character.
     */
    static boolean containsIgnoreCase(String s, String lowerValue) {
      int m = lowerValue.length();
      int last = s.length() - m;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) >= 0x80) {
          return s.toLowerCase(Locale.ROOT).contains(lowerValue);
        }
      }
      if (m == 0) {
        return true;
      }
      char first = lowerValue.charAt(0);
      char firstUpper = Character.toUpperCase(first);
      for (int i = 0; i <= last; i++) {
        char c = s.charAt(i);
        if ((c == first || c == firstUpper) && s.regionMatches(true, i, lowerValue, 0, m)) {
          return true;
        }
      }
      return false;
    }

    boolean matches(String s) {
      switch (mode) {
        case ANY:
          return true;
        case EXACT:
          return cased ? s.equals(value) : s.equalsIgnoreCase(value);
        case PREFIX:
          return s.regionMatches(!cased, 0, value, 0, value.length());
        case SUFFIX:
          return s.length() >= value.length()
              && s.regionMatches(!cased, s.length() - value.length(), value, 0, value.length());
        case CONTAINS:
          return cased ? s.contains(value) : containsIgnoreCase(s, value);
        case PATTERN:
          return pattern.matcher(s).matches();
        default:
          throw new IllegalStateException(mode.name());
      }
    }
  }

  /** {@code re}: a regular expression searched anywhere in the value. */
  final class Regex implements ValueTest {
    final Predicate<String> find;

    Regex(Predicate<String> find) {
      this.find = find;
    }

    @Override
    public boolean test(Found found, EventContext ctx) {
      for (String s : found.strings()) {
        if (find.test(s)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code field: null}: the field is missing or JSON null. */
  final class IsNull implements ValueTest {
    @Override
    public boolean test(Found found, EventContext ctx) {
      for (JsonNode n : found.nodes) {
        if (!n.isNull()) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code exists: true|false}: presence of the field, whatever its value (null included). */
  record Exists(boolean expected) implements ValueTest {
    @Override
    public boolean test(Found found, EventContext ctx) {
      return !found.nodes.isEmpty() == expected;
    }
  }

  /** {@code lt}, {@code lte}, {@code gt}, {@code gte}, numeric equality; optionally on a part of a date. */
  final class Numeric implements ValueTest {
    enum Op { LT, LTE, GT, GTE, EQ }

    final Op op;
    final BigDecimal value;
    final String datePart;

    Numeric(Op op, BigDecimal value, String datePart) {
      this.op = op;
      this.value = value;
      this.datePart = datePart;
    }

    @Override
    public boolean test(Found found, EventContext ctx) {
      for (String s : found.strings()) {
        BigDecimal n = datePart == null ? number(s) : datePart(s, datePart);
        if (n == null) {
          continue;
        }
        int c = n.compareTo(value);
        boolean ok = switch (op) {
          case LT -> c < 0;
          case LTE -> c <= 0;
          case GT -> c > 0;
          case GTE -> c >= 0;
          case EQ -> c == 0;
        };
        if (ok) {
          return true;
        }
      }
      return false;
    }

    static BigDecimal number(String s) {
      if (s.isEmpty() || s.length() > 64) {
        return null;
      }
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }

    static BigDecimal datePart(String s, String part) {
      OffsetDateTime t;
      try {
        t = OffsetDateTime.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        try {
          t = Instant.parse(s).atOffset(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e2) {
          try {
            t = LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
          } catch (java.time.format.DateTimeParseException e3) {
            return null;
          }
        }
      }
      int v = switch (part) {
        case "minute" -> t.getMinute();
        case "hour" -> t.getHour();
        case "day" -> t.getDayOfMonth();
        case "week" -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        case "month" -> t.getMonthValue();
        case "year" -> t.getYear();
        default -> throw new IllegalArgumentException(part);
      };
      return BigDecimal.valueOf(v);
    }
  }

  /** {@code cidr}: the value is an IPv4 or IPv6 address inside a network. */
  final class Cidr implements ValueTest {
    final byte[] network;
    final int prefix;

    Cidr(byte[] network, int prefix) {
      this.network = network;
      this.prefix = prefix;
    }

    @Override
    public boolean test(Found found, EventContext ctx) {
      for (String s : found.strings()) {
        byte[] a = IpAddresses.parse(s);
        if (a != null && IpAddresses.inNetwork(a, network, prefix)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code fieldref}: compares the field with another field of the same event. */
  final class FieldRef implements ValueTest {
    final FieldPath other;
    final Text.Mode mode;
    final boolean cased;

    FieldRef(FieldPath other, Text.Mode mode, boolean cased) {
      this.other = other;
      this.mode = mode;
      this.cased = cased;
    }

    @Override
    public boolean test(Found found, EventContext ctx) {
      List<String> refs = EventContext.candidates(ctx.nodes(other));
      for (String ref : refs) {
        Text t = new Text(mode, ref, cased, null);
        for (String s : found.strings()) {
          if (t.matches(s)) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
