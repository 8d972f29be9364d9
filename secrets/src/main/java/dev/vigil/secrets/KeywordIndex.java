package dev.vigil.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Aho-Corasick automaton over lower-cased ASCII keywords, compiled to a dense transition table so one pass over a
 * file finds every keyword occurrence in linear time, case-insensitively. Non-ASCII characters reset the automaton
 * (keywords are ASCII), which keeps the table at 128 columns.
 */
public final class KeywordIndex {
  /** Receives each keyword occurrence: the keyword's index and the position just after its last character. */
  @FunctionalInterface
  public interface Hits {
    void hit(int keyword, int end);
  }

  private final String[] keywords;
  private final int[] delta; // state * 128 + char -> next state (used by the CharSequence scan)
  private final int[][] outputs; // state -> keyword indexes ending here (including via suffix links)
  // the byte scan's compact automaton: bytes map to classes (each keyword character, and "any other"), states are
  // pre-multiplied by the class count, and the sign bit marks states with output, so the hot loop is one load
  private final int classes;
  private final int[] byteClass = new int[256];
  private final int[] compact;

  public KeywordIndex(List<String> words) {
    keywords = new String[words.size()];
    List<int[]> next = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    next.add(newRow());
    out.add(new ArrayList<>());
    for (int k = 0; k < words.size(); k++) {
      String w = words.get(k).toLowerCase(Locale.ROOT);
      if (w.isEmpty()) {
        throw new IllegalArgumentException("empty keyword");
      }
      keywords[k] = w;
      int s = 0;
      for (int i = 0; i < w.length(); i++) {
        char c = w.charAt(i);
        if (c >= 128) {
          throw new IllegalArgumentException("keyword '" + w + "' is not ASCII");
        }
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
    delta = new int[n * 128];
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
    outputs = new int[n][];
    for (int s = 0; s < n; s++) {
      List<Integer> o = out.get(s);
      outputs[s] = o.isEmpty() ? null : o.stream().distinct().mapToInt(Integer::intValue).toArray();
    }
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
    int[] representative = new int[classes];
    for (int ch = 127; ch >= 0; ch--) {
      representative[classOfChar[ch]] = ch;
    }
    compact = new int[n * classes];
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < classes; k++) {
        int t = delta[s * 128 + representative[k]];
        compact[s * classes + k] = outputs[t] != null ? ~(t * classes) : t * classes;
      }
    }
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

  /** Reports every keyword occurrence in {@code bytes[from, to)}, in order of end position. */
  public void scan(byte[] bytes, int from, int to, Hits hits) {
    int s = 0;
    int[] d = compact;
    int[] cls = byteClass;
    for (int i = from; i < to; i++) {
      s = d[s + cls[bytes[i] & 0xff]];
      if (s < 0) {
        s = ~s;
        for (int k : outputs[s / classes]) {
          hits.hit(k, i + 1);
        }
      }
    }
  }

  /** Reports every keyword occurrence in {@code text[from, to)}, in order of end position. */
  public void scan(CharSequence text, int from, int to, Hits hits) {
    int s = 0;
    int[] d = delta;
    int[][] o = outputs;
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
