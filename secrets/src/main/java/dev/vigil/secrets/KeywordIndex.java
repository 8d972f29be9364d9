package dev.vigil.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds every occurrence of a set of lower-cased ASCII keywords, case-insensitively (ASCII letters only). Text as
 * bytes goes through a three-byte hash filter and a trie check (see {@link #scan(byte[], int, int, Hits)}); text as
 * characters through an Aho-Corasick automaton compiled to a dense transition table. Non-ASCII characters match no
 * keyword character (keywords are ASCII), which keeps the table at 128 columns. Both report the same occurrences in
 * the same order.
 */
public final class KeywordIndex {
  /** Receives each keyword occurrence: the keyword's index and the position just after its last character. */
  @FunctionalInterface
  public interface Hits {
    void hit(int keyword, int end);
  }

  private final String[] keywords;
  private final byte[][] keywordBytes;
  // bytes map to classes (each keyword character, case-folded, and "any other", including bytes >= 128)
  private final int classes;
  private final int[] byteClass = new int[256];
  // the byte scan's filter: a table (1: a keyword may hold these three bytes at its window) over hashes of one
  // three-character window of each keyword (case-folded with OR 0x20); see rarestWindow
  private static final int FILTER_BITS = 16;
  private final byte[] filter = new byte[1 << FILTER_BITS];
  // the keyword trie, for the last positions of a text: state * classes + class -> child state (0: none); terminal:
  // the keywords a state spells, or null
  private final int[] trie;
  private final int[][] terminal;
  // the check of a window that passed the filter: the keywords whose window hashes there (a bucket), each as its
  // first eight bytes (or fewer) and a mask, compared with the text's eight bytes at the keyword's start at once
  private final char[] slotBucket = new char[1 << FILTER_BITS];
  private final int[] bucketStart;
  private final long[] prefixValue;
  private final long[] prefixMask;
  private final int[] entryKeyword;
  private final int[] entryOffset; // where the window hashed lies in the keyword
  private static final long FOLD = 0x2020202020202020L;
  private static final int HASH = 0x9E3779B1;
  private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
      .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  public KeywordIndex(List<String> words) {
    if (words.size() > 0x10000) {
      throw new IllegalArgumentException("more than 65536 distinct keywords");
    }
    keywords = new String[words.size()];
    keywordBytes = new byte[words.size()][];
    List<int[]> next = new ArrayList<>();
    next.add(newRow());
    for (int k = 0; k < words.size(); k++) {
      String w = words.get(k).toLowerCase(Locale.ROOT);
      if (w.isEmpty()) {
        throw new IllegalArgumentException("empty keyword");
      }
      if (w.length() >= 0xFFFF) {
        throw new IllegalArgumentException("keyword of 65535 characters or more");
      }
      keywords[k] = w;
      keywordBytes[k] = w.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      int s = 0;
      for (int i = 0; i < w.length(); i++) {
        char c = w.charAt(i);
        if (c >= 128) {
          throw new IllegalArgumentException("keyword '" + w + "' is not ASCII");
        }
        if (next.get(s)[c] < 0) {
          next.get(s)[c] = next.size();
          next.add(newRow());
        }
        s = next.get(s)[c];
      }
    }
    int n = next.size();
    int[] classOfChar = new int[128];
    int c = 1; // class 0: every character no keyword holds (including bytes >= 128)
    for (String w : keywords) {
      for (int i = 0; i < w.length(); i++) {
        if (classOfChar[w.charAt(i)] == 0) {
          classOfChar[w.charAt(i)] = c++;
        }
      }
    }
    classes = c;
    for (int b = 0; b < 128; b++) {
      int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
      byteClass[b] = classOfChar[lower];
    }
    trie = new int[n * classes];
    terminal = new int[n][];
    @SuppressWarnings("unchecked")
    List<Integer>[] slots = new List[filter.length];
    for (int s = 0; s < n; s++) {
      for (int ch = 0; ch < 128; ch++) {
        int t = next.get(s)[ch];
        if (t > 0) {
          trie[s * classes + classOfChar[ch]] = t;
        }
      }
    }
    for (int k = 0; k < keywords.length; k++) {
      String w = keywords[k];
      int s = 0;
      for (int i = 0; i < w.length(); i++) {
        s = next.get(s)[w.charAt(i)];
      }
      terminal[s] = terminal[s] == null ? new int[] {k} : append(terminal[s], k); // the same word twice: both
      if (w.length() >= 3) {
        int off = rarestWindow(w);
        addToFilter(w.charAt(off) | 0x20 | (w.charAt(off + 1) | 0x20) << 8 | (w.charAt(off + 2) | 0x20) << 16,
            k << 8 | off, slots);
      } else if (w.length() == 2) {
        for (int v = 0; v < 256; v++) { // any byte may follow
          addToFilter(w.charAt(0) | 0x20 | (w.charAt(1) | 0x20) << 8 | (v | 0x20) << 16, k << 8, slots);
        }
      } else {
        for (int v = 0; v < 0x10000; v++) {
          addToFilter(w.charAt(0) | 0x20 | (v | 0x2020) << 8, k << 8, slots);
        }
      }
    }
    // slots holding the same entries share a bucket
    java.util.Map<List<Integer>, Integer> ids = new java.util.LinkedHashMap<>();
    ids.put(List.of(), 0);
    for (int h = 0; h < slots.length; h++) {
      if (slots[h] != null) {
        int id = ids.computeIfAbsent(slots[h], x -> ids.size());
        if (id > 0xFFFF) {
          throw new IllegalArgumentException("too many distinct keyword windows");
        }
        slotBucket[h] = (char) id;
      }
    }
    bucketStart = new int[ids.size() + 1];
    int entries = 0;
    for (List<Integer> b : ids.keySet()) {
      entries += b.size();
    }
    prefixValue = new long[entries];
    prefixMask = new long[entries];
    entryKeyword = new int[entries];
    entryOffset = new int[entries];
    int e = 0;
    int b = 0;
    for (List<Integer> bucket : ids.keySet()) {
      bucketStart[b++] = e;
      for (int entry : bucket) {
        String w = keywords[entry >>> 8];
        for (int i = 0; i < Math.min(8, w.length()); i++) {
          prefixValue[e] |= (long) w.charAt(i) << (i << 3);
          prefixMask[e] |= 0xFFL << (i << 3);
        }
        entryKeyword[e] = entry >>> 8;
        entryOffset[e++] = entry & 0xFF;
      }
    }
    bucketStart[b] = e;
  }

  /**
   * The offset of the keyword's three characters least likely in ordinary text (by single-character frequencies
   * of English and code), so that the filter lets few positions through: {@code sessiontoken} is looked for by
   * {@code nto}, not by the {@code ses} of every {@code session}.
   */
  static int rarestWindow(String w) {
    int best = 0;
    double bestScore = Double.MAX_VALUE;
    for (int off = 0; off + 3 <= w.length() && off < 256; off++) {
      double score = commonness(w.charAt(off)) * commonness(w.charAt(off + 1)) * commonness(w.charAt(off + 2))
          * (COMMON_TRIGRAMS.contains(w.substring(off, off + 3)) ? 20 : 1);
      if (score <= bestScore) { // of equals the later: a keyword's start is often a common word's
        bestScore = score;
        best = off;
      }
    }
    return best;
  }

  /** Trigrams frequent in English, code and configuration (words, identifiers, separators), for the choice above. */
  private static final java.util.Set<String> COMMON_TRIGRAMS = java.util.Set.copyOf(Arrays.asList(("the and ing ion tio ent for ate"
      + " ter con ver res ect ess acc cce ces che eck ass pas tok oke ken sec ecr cre ret ser set get str int"
      + " nt_ le_ on_ er_ ed_ _se _ac _id _to _pa _ke key ey_ ey- ss_ nt- er- on- _au aut uth tho ora"
      + " ode pro tor ist ame nam ers ive all per ine ure ata dat ost log use ses ssi sio cli lie ien")
      .split(" ")));

  private static double commonness(char c) {
    if ("etaoinsr".indexOf(c) >= 0) {
      return 10;
    }
    if ("hldcumpfgyw".indexOf(c) >= 0) {
      return 5;
    }
    if (c >= 'a' && c <= 'z') {
      return 2;
    }
    return c == ' ' ? 15 : 1; // digits and punctuation: keywords hold them where tokens begin
  }

  /** The Aho-Corasick automaton of the character scan, built on its first use (the byte scan needs none). */
  private record Automaton(int[] delta, int[][] outputs) {}

  private volatile Automaton automaton;

  private Automaton automaton() {
    Automaton a = automaton;
    if (a == null) {
      a = buildAutomaton(keywords);
      automaton = a;
    }
    return a;
  }

  private static Automaton buildAutomaton(String[] keywords) {
    List<int[]> next = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    next.add(newRow());
    out.add(new ArrayList<>());
    for (int k = 0; k < keywords.length; k++) {
      String w = keywords[k];
      int s = 0;
      for (int i = 0; i < w.length(); i++) {
        char c = w.charAt(i);
        if (next.get(s)[c] < 0) {
          next.get(s)[c] = next.size();
          next.add(newRow());
          out.add(new ArrayList<>());
        }
        s = next.get(s)[c];
      }
      out.get(s).add(k);
    }
    int n = next.size();
    int[] fail = new int[n];
    int[] delta = new int[n * 128];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < 128; c++) {
      int t = next.get(0)[c];
      if (t < 0) {
        delta[c] = 0;
      } else {
        delta[c] = t;
        fail[t] = 0;
        queue.add(t);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      out.get(s).addAll(out.get(fail[s]));
      for (int c = 0; c < 128; c++) {
        int t = next.get(s)[c];
        if (t < 0) {
          delta[s * 128 + c] = delta[fail[s] * 128 + c];
        } else {
          delta[s * 128 + c] = t;
          fail[t] = delta[fail[s] * 128 + c];
          queue.add(t);
        }
      }
    }
    int[][] outputs = new int[n][];
    for (int s = 0; s < n; s++) {
      List<Integer> o = out.get(s);
      outputs[s] = o.isEmpty() ? null : o.stream().distinct().mapToInt(Integer::intValue).toArray();
    }
    return new Automaton(delta, outputs);
  }

  private static int[] append(int[] a, int v) {
    int[] r = Arrays.copyOf(a, a.length + 1);
    r[a.length] = v;
    return r;
  }

  private void addToFilter(int threeBytes, int keyword, List<Integer>[] slots) {
    int h = hash(threeBytes);
    filter[h] = 1;
    if (slots[h] == null) {
      slots[h] = new ArrayList<>();
    }
    if (!slots[h].contains(keyword)) {
      slots[h].add(keyword);
    }
  }

  /** Hash of the low three bytes, an index into {@link #filter}. */
  private static int hash(int bytes) {
    return (bytes & 0xFFFFFF) * HASH >>> (32 - FILTER_BITS);
  }

  private static int[] newRow() {
    int[] r = new int[128];
    Arrays.fill(r, -1);
    return r;
  }

  public int size() {
    return keywords.length;
  }

  public String keyword(int k) {
    return keywords[k];
  }

  /**
   * Reports every keyword occurrence in {@code bytes[from, to)}, in order of end position (of two occurrences that
   * end together, the longer first), exactly as a pass of the automaton would.
   *
   * <p>The pass is a filter and a check rather than the automaton itself, because a transition table too large for
   * the first-level cache costs a dependent load per byte: each position's next three bytes, case-folded loosely
   * (OR 0x20, so the filter only ever lets too much through), are hashed into a table of one three-character window
   * of each keyword, with no dependency from one position to the next (six positions are tested at once); the rare
   * window that passes is checked exactly against the keywords that hash there, at their start. The last positions
   * of the text, too short for a window, are checked against the keyword trie.
   */
  public void scan(byte[] bytes, int from, int to, Hits hits) {
    Found found = new Found();
    int[] windows = new int[CANDIDATES];
    int i = from;
    int last = to - 8; // windows whose three bytes lie in one eight-byte word read at i
    boolean tail = false;
    while (!tail) {
      // the filter, kept small (it is the hot loop and is compiled on its own): windows that pass, into a buffer
      int n = 0;
      byte[] t = filter;
      for (; i <= last && n <= CANDIDATES - 8; i += 6) {
        long w = (long) LONGS.get(bytes, i) | FOLD;
        int m = t[hash((int) w)] | t[hash((int) (w >>> 8))] << 1 | t[hash((int) (w >>> 16))] << 2
            | t[hash((int) (w >>> 24))] << 3 | t[hash((int) (w >>> 32))] << 4 | t[hash((int) (w >>> 40))] << 5;
        while (m != 0) { // rare: six windows, one test
          windows[n++] = i + Integer.numberOfTrailingZeros(m);
          m &= m - 1;
        }
      }
      if (i > last) { // the last windows, one at a time (fewer than eight)
        tail = true;
        for (; i + 3 <= to; i++) {
          if (t[hash(bytes[i] & 0xff | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff) << 16 | 0x202020)] != 0) {
            windows[n++] = i;
          }
        }
      }
      for (int c = 0; c < n; c++) {
        int p = windows[c];
        check(bytes, p, from, to, slotBucket[hash(bytes[p] & 0xff | (bytes[p + 1] & 0xff) << 8
            | (bytes[p + 2] & 0xff) << 16 | 0x202020)], found);
      }
    }
    for (i = Math.max(from, to - 2); i < to; i++) { // keywords too short for a window (with what follows them)
      verify(bytes, i, to, found);
    }
    found.report(hits);
  }

  /** Windows a filter pass collects before they are checked. */
  private static final int CANDIDATES = 256;

  /**
   * Occurrences found, each as (end << 32 | (65535 - length) << 16 | keyword), so that sorting orders them as the
   * automaton reports them: by end, then the longer first.
   */
  private static final class Found {
    private long[] found = new long[16];
    private int count;

    void add(int end, int length, int keyword) {
      if (count == found.length) {
        found = Arrays.copyOf(found, count * 2);
      }
      found[count++] = ((long) end << 32) | ((long) (0xFFFF - length) << 16) | keyword;
    }

    void report(Hits hits) {
      boolean sorted = true;
      for (int k = 1; k < count && sorted; k++) {
        sorted = found[k - 1] < found[k];
      }
      if (!sorted) {
        Arrays.sort(found, 0, count);
      }
      for (int k = 0; k < count; k++) {
        long f = found[k];
        hits.hit((int) f & 0xFFFF, (int) (f >>> 32));
      }
    }
  }

  /**
   * Adds the keywords that occur with their filter window at {@code p}, of the bucket that window hashes to: the
   * text's eight bytes at the keyword's start, case-folded exactly (A-Z only), against its first eight at once; a
   * longer keyword is compared on.
   */
  private void check(byte[] bytes, int p, int from, int to, int bucket, Found found) {
    for (int e = bucketStart[bucket], end = bucketStart[bucket + 1]; e < end; e++) {
      int start = p - entryOffset[e];
      int k = entryKeyword[e];
      byte[] w = keywordBytes[k];
      int len = w.length;
      if (start < from || start + len > to) {
        continue;
      }
      int q = 0;
      if (start + 8 <= to) {
        long x = (long) LONGS.get(bytes, start);
        long seven = x & 0x7F7F7F7F7F7F7F7FL;
        long upper = (seven + 0x3F3F3F3F3F3F3F3FL) & ~(seven + 0x2525252525252525L) & ~x & 0x8080808080808080L;
        long lower = x | (upper >>> 2); // 'A'..'Z' (0x41..0x5A, high bit clear) get 0x20
        if ((lower & prefixMask[e]) != prefixValue[e]) {
          continue;
        }
        q = 8;
      }
      boolean same = true;
      for (; q < len && same; q++) {
        int ch = bytes[start + q] & 0xff;
        same = (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) == w[q];
      }
      if (same) {
        found.add(start + len, len, k);
      }
    }
  }

  /** Adds the keywords that start at {@code p} (and end by {@code to}), by the trie. */
  private void verify(byte[] bytes, int p, int to, Found found) {
    int s = 0;
    int[] t = trie;
    int[] cls = byteClass;
    int width = classes;
    for (int q = p; q < to; q++) {
      s = t[s * width + cls[bytes[q] & 0xff]];
      if (s <= 0) {
        return;
      }
      int[] ks = terminal[s];
      if (ks != null) {
        for (int k : ks) {
          found.add(q + 1, q + 1 - p, k);
        }
      }
    }
  }

  /** Reports every keyword occurrence in {@code text[from, to)}, in order of end position. */
  public void scan(CharSequence text, int from, int to, Hits hits) {
    int s = 0;
    Automaton a = automaton();
    int[] d = a.delta(); // state * 128 + char -> next state
    int[][] o = a.outputs(); // state -> keyword indexes ending here (including via suffix links)
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= 128) {
        s = 0;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      s = d[(s << 7) | c];
      int[] found = o[s];
      if (found != null) {
        for (int k : found) {
          hits.hit(k, i + 1);
        }
      }
    }
  }

  /** True when any keyword occurs in the text (case-insensitive). */
  public boolean any(CharSequence text) {
    boolean[] seen = {false};
    scan(text, 0, text.length(), (k, e) -> seen[0] = true);
    return seen[0];
  }
}
