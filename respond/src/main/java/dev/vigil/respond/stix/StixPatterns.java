package dev.vigil.respond.stix;

import java.util.Set;

/**
 * Checks STIX 2.1 patterning syntax (section 9): observation expressions in brackets joined by AND / OR /
 * FOLLOWEDBY, comparisons {@code object-type:property.path OPERATOR value} joined by AND / OR inside them,
 * parentheses, and qualifiers (WITHIN, REPEATS, START ... STOP). Returns null when valid, else the reason.
 */
public final class StixPatterns {
  private static final Set<String> OPERATORS =
      Set.of("=", "!=", ">", "<", ">=", "<=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET");

  private final String s;
  private int pos;

  private StixPatterns(String s) {
    this.s = s;
  }

  /** Null when {@code pattern} is valid STIX patterning, else a description of the first error. */
  public static String check(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return "empty pattern";
    }
    StixPatterns p = new StixPatterns(pattern);
    try {
      p.pattern();
      p.skipSpace();
      if (p.pos != p.s.length()) {
        return "unexpected '" + p.s.substring(p.pos) + "' at " + p.pos;
      }
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private void pattern() {
    observation();
    while (true) {
      skipSpace();
      if (keyword("AND") || keyword("OR") || keyword("FOLLOWEDBY")) {
        observation();
      } else {
        return;
      }
    }
  }

  private void observation() {
    skipSpace();
    if (peek('(')) {
      pos++;
      pattern();
      expect(')');
    } else {
      expect('[');
      comparison();
      while (true) {
        skipSpace();
        if (keyword("AND") || keyword("OR")) {
          comparison();
        } else {
          break;
        }
      }
      expect(']');
    }
    qualifiers();
  }

  private void qualifiers() {
    while (true) {
      skipSpace();
      if (keyword("WITHIN")) {
        number();
        skipSpace();
        if (!keyword("SECONDS")) {
          throw error("WITHIN needs SECONDS");
        }
      } else if (keyword("REPEATS")) {
        number();
        skipSpace();
        if (!keyword("TIMES")) {
          throw error("REPEATS needs TIMES");
        }
      } else if (keyword("START")) {
        timestamp();
        skipSpace();
        if (!keyword("STOP")) {
          throw error("START needs STOP");
        }
        timestamp();
      } else {
        return;
      }
    }
  }

  private void comparison() {
    skipSpace();
    if (peek('(')) {
      pos++;
      comparison();
      while (true) {
        skipSpace();
        if (keyword("AND") || keyword("OR")) {
          comparison();
        } else {
          break;
        }
      }
      expect(')');
      return;
    }
    objectPath();
    skipSpace();
    keyword("NOT");
    skipSpace();
    String op = operator();
    if (!OPERATORS.contains(op)) {
      throw error("unknown operator '" + op + "'");
    }
    skipSpace();
    if (op.equals("IN")) {
      expect('(');
      value();
      while (true) {
        skipSpace();
        if (peek(',')) {
          pos++;
          value();
        } else {
          break;
        }
      }
      expect(')');
    } else {
      value();
    }
  }

  private void objectPath() {
    int start = pos;
    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-'
        || s.charAt(pos) == '_')) {
      pos++;
    }
    String type = s.substring(start, pos);
    if (type.isEmpty() || !type.matches("[a-z0-9-]+|x-[a-z0-9-]+")) {
      throw error("expected an object type at " + start);
    }
    expect(':');
    pathComponent();
    while (pos < s.length()) {
      if (s.charAt(pos) == '.') {
        pos++;
        pathComponent();
      } else if (s.charAt(pos) == '[') {
        pos++;
        if (peek('*')) {
          pos++;
        } else {
          number();
        }
        expect(']');
      } else {
        break;
      }
    }
  }

  private void pathComponent() {
    if (peek('\'')) {
      string();
      return;
    }
    int start = pos;
    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
        || s.charAt(pos) == '-')) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a property name at " + start);
    }
  }

  private String operator() {
    int start = pos;
    if (pos < s.length() && "=!<>".indexOf(s.charAt(pos)) >= 0) {
      while (pos < s.length() && "=!<>".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    } else {
      while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
    }
    return s.substring(start, pos);
  }

  private void value() {
    skipSpace();
    if (peek('\'')) {
      string();
    } else if (s.startsWith("t'", pos)) {
      timestamp();
    } else if (s.startsWith("h'", pos) || s.startsWith("b'", pos)) {
      pos++;
      string();
    } else if (keyword("true") || keyword("false")) {
      return;
    } else {
      number();
    }
  }

  private void timestamp() {
    skipSpace();
    if (!s.startsWith("t'", pos)) {
      throw error("expected a t'...' timestamp at " + pos);
    }
    pos++;
    int start = pos + 1;
    string();
    String ts = s.substring(start, pos - 1);
    if (!StixValidator.TIMESTAMP.matcher(ts).matches()) {
      throw error("invalid timestamp '" + ts + "'");
    }
  }

  private void string() {
    expect('\'');
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '\\') {
        if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '\\')) {
          throw error("invalid escape in string at " + (pos - 1));
        }
        pos++;
      } else if (c == '\'') {
        return;
      }
    }
    throw error("unterminated string");
  }

  private void number() {
    skipSpace();
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a value at " + start);
    }
  }

  private boolean keyword(String k) {
    if (s.startsWith(k, pos) && (pos + k.length() == s.length()
        || !Character.isLetterOrDigit(s.charAt(pos + k.length())))) {
      pos += k.length();
      return true;
    }
    return false;
  }

  private boolean peek(char c) {
    return pos < s.length() && s.charAt(pos) == c;
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw error("expected '" + c + "' at " + pos);
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message);
  }
}
