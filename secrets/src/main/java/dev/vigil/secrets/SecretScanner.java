package dev.vigil.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection core, which knows no rule by name: keyword prefilter (Aho-Corasick over the whole text) -> the
 * regular expressions of the rules whose keywords occur, each on a bounded window around the occurrence (its line,
 * or more for multi-line rules) -> entropy and validator -> allowlists -> de-duplication (one finding per secret
 * span, the earliest rule in the file wins, so specific rules go before generic ones) -> required neighbours and
 * pairing. Immutable and thread-safe: one instance serves every worker thread.
 */
public final class SecretScanner {
  /** Longest stretch searched backwards or forwards for a line break; longer lines are scanned in windows. */
  static final int LINE_LIMIT = 4096;
  /** Half-width of the window used around a keyword on a line longer than {@link #LINE_LIMIT}. */
  static final int LONG_LINE_HALF_WINDOW = 2048;

  private final RuleSet rules;
  private final Rule[] byIndex;
  private final KeywordIndex keywords;
  private final int[][] rulesByKeyword;
  private final Map<String, Integer> indexById = new HashMap<>();

  public SecretScanner(RuleSet rules) {
    this.rules = rules;
    this.byIndex = rules.rules().toArray(new Rule[0]);
    LinkedHashMap<String, List<Integer>> kw = new LinkedHashMap<>();
    for (int i = 0; i < byIndex.length; i++) {
      indexById.put(byIndex[i].id(), i);
      for (String k : byIndex[i].keywords()) {
        kw.computeIfAbsent(k.toLowerCase(java.util.Locale.ROOT), x -> new ArrayList<>()).add(i);
      }
    }
    keywords = new KeywordIndex(new ArrayList<>(kw.keySet()));
    rulesByKeyword = new int[kw.size()][];
    int k = 0;
    for (List<Integer> r : kw.values()) {
      rulesByKeyword[k++] = r.stream().distinct().mapToInt(Integer::intValue).toArray();
    }
  }

  private static volatile SecretScanner last;

  /** A scanner for the rules: the one made last if it was for the same rule set, else a new one. */
  public static SecretScanner forRules(RuleSet rules) {
    SecretScanner s = last;
    if (s == null || s.rules != rules) {
      s = new SecretScanner(rules);
      last = s;
    }
    return s;
  }

  public RuleSet ruleSet() {
    return rules;
  }

  /** A candidate that passed the regex, before validation. */
  private record Candidate(int rule, int start, int end) {}

  /** Scans one text; see {@link #scan(byte[], String)}. */
  public List<Finding> scan(String text, String path) {
    return scan(text.getBytes(StandardCharsets.ISO_8859_1), path);
  }

  /**
   * Scans one file, archive entry or blob, as bytes (credentials are ASCII; other bytes are carried through
   * ISO-8859-1, one char per byte, so offsets are byte offsets); {@code path} names it in findings and for
   * allowlists.
   */
  public List<Finding> scan(byte[] text, String path) {
    return scan(text, text.length, path);
  }

  /**
   * Scans {@code text[0, length)} (a reused read buffer may be longer); nothing of the array is kept after the call.
   */
  public List<Finding> scan(byte[] text, int length, String path) {
    if (rules.allowlist().allowsPath(path)) {
      return List.of();
    }
    int n = length;
    // per rule, the window last searched, so several keywords on one line cost one regex run
    int[] coveredFrom = new int[byIndex.length];
    int[] coveredUntil = new int[byIndex.length];
    boolean[] exactEnd = new boolean[byIndex.length];
    Arrays.fill(coveredUntil, -1);
    Map<Long, Candidate> candidates = new LinkedHashMap<>();
    int[] cur = {-1, -1}; // bounds of the line last looked up (-1: none yet), shared by every rule and keyword on it
    keywords.scan(text, 0, n, (k, end) -> {
      int kwStart = end - keywords.keyword(k).length();
      if (!(kwStart >= cur[0] && end <= cur[1] && cur[0] >= 0)) {
        cur[0] = lineStart(text, kwStart);
        cur[1] = lineEnd(text, n, end);
        if (cur[0] < 0 || cur[1] < 0) {
          cur[0] = -1; // a long line: not cached
        }
      }
      for (int ri : rulesByKeyword[k]) {
        if (kwStart >= coveredFrom[ri] && end <= coveredUntil[ri]
            && (exactEnd[ri] || end + 512 <= coveredUntil[ri])) {
          continue; // a window that holds this keyword (and what a token around it could span) was searched
        }
        Rule r = byIndex[ri];
        int[] w = window(text, n, kwStart, end, r, cur[0] >= 0 ? cur[0] : lineStart(text, kwStart),
            cur[0] >= 0 ? cur[1] : lineEnd(text, n, end));
        coveredFrom[ri] = w[0];
        coveredUntil[ri] = w[1];
        exactEnd[ri] = w[2] == 1;
        int base = w[0];
        String window = new String(text, base, w[1] - base, StandardCharsets.ISO_8859_1);
        r.regex().findAll(window, r.secretGroup(), (ms, me, ss, se) -> {
          if (se > ss) {
            candidates.putIfAbsent(((long) ri << 32) | (base + ss), new Candidate(ri, base + ss, base + se));
          }
        });
      }
    });
    if (candidates.isEmpty()) {
      return List.of();
    }
    // validation and allowlists
    List<Candidate> accepted = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      Rule r = byIndex[c.rule()];
      String secret = new String(text, c.start(), c.end() - c.start(), StandardCharsets.ISO_8859_1);
      if (r.entropy() > 0 && Entropy.shannon(secret) < r.entropy()) {
        continue;
      }
      if (r.validator() != null && !Validators.valid(r.validator(), secret)) {
        continue;
      }
      if (r.allowlist().allowsSecret(secret) != null || rules.allowlist().allowsSecret(secret) != null
          || r.allowlist().allowsPath(path)) {
        continue;
      }
      if (!rules.allowlist().lineMarkers().isEmpty() || !r.allowlist().lineMarkers().isEmpty()) {
        int ls = Math.max(0, lineStart(text, c.start()));
        int le = lineEnd(text, n, c.end());
        int e = le < 0 ? Math.min(n, c.end() + LINE_LIMIT) : le;
        String line = new String(text, ls, e - ls, StandardCharsets.ISO_8859_1);
        if (rules.allowlist().allowsLine(line) || r.allowlist().allowsLine(line)) {
          continue;
        }
      }
      accepted.add(c);
    }
    // one finding per secret: of overlapping spans, the earliest rule in the file wins
    accepted.sort(Comparator.comparingInt(Candidate::rule).thenComparingInt(Candidate::start));
    java.util.TreeMap<Integer, Integer> taken = new java.util.TreeMap<>();
    List<Candidate> unique = new ArrayList<>();
    for (Candidate c : accepted) {
      Map.Entry<Integer, Integer> before = taken.floorEntry(c.start());
      Map.Entry<Integer, Integer> after = taken.ceilingEntry(c.start());
      boolean overlaps = before != null && before.getValue() > c.start() || after != null && after.getKey() < c.end();
      if (!overlaps) {
        taken.put(c.start(), c.end());
        unique.add(c);
      }
    }
    unique.sort(Comparator.comparingInt(Candidate::start));
    Lines lines = new Lines(text);
    List<Finding> out = new ArrayList<>();
    for (Candidate c : unique) {
      Rule r = byIndex[c.rule()];
      int line = lines.line(c.start());
      int column = lines.column(c.start(), line);
      int last = Math.max(c.start(), c.end() - 1);
      int endLine = lines.line(last);
      int endColumn = lines.column(last, endLine) + 1; // exclusive, as SARIF wants
      out.add(new Finding(r, path, line, column, endLine, endColumn,
          new String(text, c.start(), c.end() - c.start(), StandardCharsets.ISO_8859_1), null, null, null));
    }
    out = dropUnsatisfiedRequirements(out);
    out = pair(out);
    return fingerprint(out, path);
  }

  /** The part of the text the rule's regex sees for a keyword at [kwStart, kwEnd). */
  private static int[] window(byte[] text, int n, int kwStart, int kwEnd, Rule r, int lineStart, int lineEnd) {
    int ls = lineStart;
    int le = lineEnd;
    boolean longLine = ls < 0 || le < 0;
    if (longLine) {
      ls = Math.max(ls < 0 ? 0 : ls, kwStart - LONG_LINE_HALF_WINDOW);
      le = Math.min(le < 0 ? n : le, kwEnd + LONG_LINE_HALF_WINDOW);
      if (r.window() <= 0 && r.contextLines() <= 0) {
        return new int[] {ls, le, le == n ? 1 : 0};
      }
    }
    if (r.window() > 0) {
      int e = Math.min(n, ls + r.window());
      return new int[] {ls, e, e == n ? 1 : 0};
    }
    for (int i = 0; i < r.contextLines(); i++) {
      if (ls > 0) {
        int p = lineStart(text, ls - 1);
        ls = p < 0 ? Math.max(0, ls - LINE_LIMIT) : p;
      }
      if (le < n) {
        int p = lineEnd(text, n, le + 1);
        le = p < 0 ? Math.min(n, le + LINE_LIMIT) : p;
      }
    }
    return new int[] {ls, le, 1};
  }

  /** Start of the line holding {@code pos}, or -1 when it is more than LINE_LIMIT back. */
  private static int lineStart(byte[] text, int pos) {
    int stop = Math.max(0, pos - LINE_LIMIT);
    for (int i = pos - 1; i >= stop; i--) {
      if (text[i] == '\n') {
        return i + 1;
      }
    }
    return stop == 0 ? 0 : -1;
  }

  /** End (exclusive, before the line break) of the line holding {@code pos}, or -1 when too far. */
  private static int lineEnd(byte[] text, int n, int pos) {
    int stop = Math.min(n, pos + LINE_LIMIT);
    for (int i = pos; i < stop; i++) {
      if (text[i] == '\n') {
        return i;
      }
    }
    return stop == n ? n : -1;
  }

  private List<Finding> dropUnsatisfiedRequirements(List<Finding> in) {
    List<Finding> out = new ArrayList<>(in.size());
    for (Finding f : in) {
      String req = f.rule().requires();
      if (req == null) {
        out.add(f);
        continue;
      }
      int reach = Math.max(f.rule().contextLines(), 1);
      boolean near = in.stream().anyMatch(o -> o.ruleId().equals(req) && Math.abs(o.line() - f.line()) <= reach);
      if (near) {
        out.add(f);
      }
    }
    return out;
  }

  private static List<Finding> pair(List<Finding> in) {
    List<Finding> out = new ArrayList<>(in.size());
    for (Finding f : in) {
      Rule r = f.rule();
      if (r.pairGroup() == null) {
        out.add(f);
        continue;
      }
      boolean paired = in.stream().anyMatch(o -> o != f && r.pairGroup().equals(o.rule().pairGroup())
          && o.rule().pairRole() != null && !o.rule().pairRole().equals(r.pairRole())
          && Math.abs(o.line() - f.line()) <= Rule.PAIR_LINES);
      out.add(f.withPaired(paired));
    }
    return out;
  }

  /** Stable fingerprints: hash of rule, path and secret; repeats of the same secret in a file are numbered. */
  static List<Finding> fingerprint(List<Finding> in, String path) {
    Map<String, Integer> seen = new HashMap<>();
    List<Finding> out = new ArrayList<>(in.size());
    for (Finding f : in) {
      String base = fingerprint(f.ruleId(), path, f.secret());
      int k = seen.merge(base, 1, Integer::sum);
      out.add(f.withFingerprint(k == 1 ? base : base + ":" + k));
    }
    return out;
  }

  public static String fingerprint(String ruleId, String path, String secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(("vigil-secrets/v1\0" + ruleId + "\0" + path + "\0").getBytes(StandardCharsets.UTF_8));
      byte[] h = md.digest(secret.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Line and column of offsets, counting line breaks forward on demand (offsets come in increasing order). */
  static final class Lines {
    private final byte[] text;
    private int pos; // breaks before pos are counted
    private int line = 1;
    private int lineStart;

    Lines(byte[] text) {
      this.text = text;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
        .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    private void advance(int to) {
      if (to < pos) { // rare: restart from the top
        pos = 0;
        line = 1;
        lineStart = 0;
      }
      int i = pos;
      int breaks = 0;
      // eight bytes at a time, without a branch: an exact count of the bytes equal to '\n' in each word
      for (; i + 8 <= to; i += 8) {
        long x = (long) LONGS.get(text, i) ^ NEWLINES;
        breaks += Long.bitCount(~(((x & LOW7) + LOW7) | x | LOW7));
      }
      for (; i < to; i++) {
        if (text[i] == '\n') {
          breaks++;
        }
      }
      if (breaks > 0) {
        line += breaks;
        int b = to - 1;
        while (text[b] != '\n') { // the last break before 'to', which exists: it was counted
          b--;
        }
        lineStart = b + 1;
      }
      pos = to;
    }

    /** 1-based line of an offset. */
    int line(int offset) {
      advance(offset);
      return line;
    }

    /** 1-based column of an offset (on the line last returned by {@link #line}). */
    int column(int offset, int ignoredLine) {
      advance(offset);
      return offset - lineStart + 1;
    }
  }
}
