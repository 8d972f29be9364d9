package dev.vigil.secrets;

/**
 * A rule's regular expression, run on a bounded window of text (a line, or a few KB for multi-line rules).
 *
 * <p>By default a rule is compiled twice: java.util.regex runs first because it is several times faster on the
 * short windows a scan produces, but only under a budget of character reads proportional to the window; a window
 * that exhausts the budget (pathological back-tracking) is searched again with RE2/J, which is linear-time. So the
 * scan keeps the JDK's speed in practice and RE2's worst case. {@code engine: re2} forces RE2/J only;
 * {@code engine: java} (for look-around, which RE2 lacks) uses the JDK only, with the same budget: a window over
 * budget then yields no match for that rule.
 */
public interface RuleRegex {
  /** Receives each match: the match span and the secret group span, as offsets in the window's text. */
  @FunctionalInterface
  interface Sink {
    void match(int start, int end, int secretStart, int secretEnd);
  }

  String pattern();

  int groupCount();

  /** Finds every match in {@code window}; {@code group} is the secret group (0 = whole match). */
  void findAll(String window, int group, Sink sink);

  /** Character reads allowed per window character before the JDK engine gives way to RE2/J. */
  int BUDGET_PER_CHAR = 64;

  static RuleRegex compile(String pattern, String engine) {
    if (engine == null || engine.equals("auto")) {
      com.google.re2j.Pattern.compile(pattern); // fail early: the pattern must also be valid RE2
      java.util.regex.Pattern jdk;
      try {
        jdk = java.util.regex.Pattern.compile(pattern);
      } catch (java.util.regex.PatternSyntaxException e) {
        return new Re2(com.google.re2j.Pattern.compile(pattern));
      }
      return new Budgeted(jdk, true);
    }
    if (engine.equals("re2")) {
      return new Re2(com.google.re2j.Pattern.compile(pattern));
    }
    if (engine.equals("java")) {
      return new Budgeted(java.util.regex.Pattern.compile(pattern), false);
    }
    throw new IllegalArgumentException("unknown regex engine '" + engine + "' (auto, re2 or java)");
  }

  /** RE2/J only. */
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
    public void findAll(String window, int group, Sink sink) {
      com.google.re2j.Matcher m = p.matcher(window);
      while (m.find()) {
        int gs = m.start(group);
        if (gs >= 0) {
          sink.match(m.start(), m.end(), gs, m.end(group));
        }
      }
    }
  }

  /**
   * The JDK engine under a read budget, falling back to RE2/J (when allowed) on the rare window over it; the RE2/J
   * program is compiled on first need, which keeps start-up short.
   */
  final class Budgeted implements RuleRegex {
    private final java.util.regex.Pattern jdk;
    private final boolean fallback;
    private volatile com.google.re2j.Pattern re2;

    Budgeted(java.util.regex.Pattern jdk, boolean fallback) {
      this.jdk = jdk;
      this.fallback = fallback;
    }

    @Override
    public String pattern() {
      return jdk.pattern();
    }

    @Override
    public int groupCount() {
      return jdk.matcher("").groupCount();
    }

    @Override
    public void findAll(String window, int group, Sink sink) {
      BudgetedText text = new BudgetedText(window, (long) BUDGET_PER_CHAR * window.length() + 4096);
      java.util.List<int[]> found = new java.util.ArrayList<>(2);
      try {
        java.util.regex.Matcher m = jdk.matcher(text);
        while (m.find()) {
          int gs = m.start(group);
          if (gs >= 0) {
            found.add(new int[] {m.start(), m.end(), gs, m.end(group)});
          }
        }
      } catch (BudgetedText.OverBudget e) {
        if (fallback) {
          if (re2 == null) {
            re2 = com.google.re2j.Pattern.compile(jdk.pattern());
          }
          new Re2(re2).findAll(window, group, sink);
        }
        return;
      }
      for (int[] f : found) {
        sink.match(f[0], f[1], f[2], f[3]);
      }
    }
  }

  /** A CharSequence that counts reads and stops a runaway back-tracking search. */
  final class BudgetedText implements CharSequence {
    static final class OverBudget extends RuntimeException {
      private static final long serialVersionUID = 1L;

      OverBudget() {
        super(null, null, false, false);
      }
    }

    private final String s;
    private long budget;

    BudgetedText(String s, long budget) {
      this.s = s;
      this.budget = budget;
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public char charAt(int index) {
      if (--budget < 0) {
        throw new OverBudget();
      }
      return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.subSequence(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
