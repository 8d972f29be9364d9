package dev.vigil.secrets;

/**
 * A rule's regular expression. RE2/J (linear time, no back-tracking) is the default, so a hostile line cannot make
 * a scan take exponential time; {@code engine: java} is available for the rare rule that needs look-around, and is
 * then only ever run on a bounded window.
 */
public interface RuleRegex {
  /** Receives each match: the match span and the secret group span, as absolute offsets in the text. */
  @FunctionalInterface
  interface Sink {
    void match(int start, int end, int secretStart, int secretEnd);
  }

  String pattern();

  int groupCount();

  /** Finds every match in {@code text[from, to)}; {@code group} is the secret group (0 = whole match). */
  void findAll(String text, int from, int to, int group, Sink sink);

  static RuleRegex compile(String pattern, String engine) {
    if (engine == null || engine.equals("re2")) {
      return new Re2(com.google.re2j.Pattern.compile(pattern));
    }
    if (engine.equals("java")) {
      return new Jdk(java.util.regex.Pattern.compile(pattern));
    }
    throw new IllegalArgumentException("unknown regex engine '" + engine + "' (re2 or java)");
  }

  /** RE2/J on a substring (RE2/J has no regions; windows are short, so the copy is cheap). */
  record Re2(com.google.re2j.Pattern p) implements RuleRegex {
    @Override
    public String pattern() {
      return p.pattern();
    }

    @Override
    public int groupCount() {
      return p.groupCount();
    }

    @Override
    public void findAll(String text, int from, int to, int group, Sink sink) {
      String part = from == 0 && to == text.length() ? text : text.substring(from, to);
      com.google.re2j.Matcher m = p.matcher(part);
      while (m.find()) {
        int gs = m.start(group);
        if (gs < 0) {
          continue;
        }
        sink.match(from + m.start(), from + m.end(), from + gs, from + m.end(group));
        if (m.end() == m.start() && m.end() >= part.length()) {
          break;
        }
      }
    }
  }

  /** java.util.regex with a region: no copy. */
  record Jdk(java.util.regex.Pattern p) implements RuleRegex {
    @Override
    public String pattern() {
      return p.pattern();
    }

    @Override
    public int groupCount() {
      return p.matcher("").groupCount();
    }

    @Override
    public void findAll(String text, int from, int to, int group, Sink sink) {
      java.util.regex.Matcher m = p.matcher(text).region(from, to);
      while (m.find()) {
        int gs = m.start(group);
        if (gs >= 0) {
          sink.match(m.start(), m.end(), gs, m.end(group));
        }
      }
    }
  }
}
