package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.ArrayList;
import java.util.List;

/** One CI configuration file: its text (for positions and comments) and parsed root. */
public final class CiFile {
  public enum Kind { WORKFLOW, ACTION, GITLAB }

  /** An expression {@code ${{ ... }}} found in a scalar, at its position in the file. */
  public record Expression(String body, int line, int column, int offset) {}

  private final String path;
  private final Kind kind;
  private final String text;
  private final YNode root;
  private final int[] lineStarts;

  public CiFile(String path, Kind kind, String text, YNode root) {
    this.path = path;
    this.kind = kind;
    this.text = text;
    this.root = root;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The path as given to the user (relative to the audited root when possible, '/' separated). */
  public String path() {
    return path;
  }

  public Kind kind() {
    return kind;
  }

  public String text() {
    return text;
  }

  public YNode root() {
    return root;
  }

  public int lineCount() {
    return lineStarts.length;
  }

  /** The text of a 1-based line without its line break, or "" when out of range. */
  public String line(int line) {
    if (line < 1 || line > lineStarts.length) {
      return "";
    }
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') {
      end--;
    }
    return text.substring(start, Math.max(start, end));
  }

  /** Offset in {@link #text()} of a 1-based line and column. */
  public int offset(int line, int column) {
    if (line < 1) {
      return 0;
    }
    if (line > lineStarts.length) {
      return text.length();
    }
    return Math.min(text.length(), lineStarts[line - 1] + Math.max(0, column - 1));
  }

  private int lineOf(int offset) {
    int lo = 0;
    int hi = lineStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  }

  /** Line and column of {@code needle} inside expression {@code e}, or the expression's own position. */
  public int[] positionIn(Expression e, String needle) {
    if (e.offset() >= 0) {
      int end = text.indexOf("}}", e.offset());
      int at = text.indexOf(needle, e.offset());
      if (at >= 0 && (end < 0 || at < end)) {
        int line = lineOf(at);
        return new int[] {line, at - lineStarts[line - 1] + 1};
      }
    }
    return new int[] {e.line(), e.column()};
  }

  /**
   * The {@code ${{ }}} expressions written inside a node, with their positions, read from the source so that
   * block scalars ({@code run: |}) report the line each expression is on.
   */
  public List<Expression> expressions(YNode node) {
    List<Expression> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.origin() != null) {
      for (Expression e : expressions(node.origin())) {
        out.add(new Expression(e.body(), node.line(), node.column(), -1));
      }
      return out;
    }
    int from = offset(node.line(), node.column());
    int to = offset(node.endLine(), node.endColumn());
    if (to <= from) {
      to = Math.min(text.length(), from + (node.text() == null ? 0 : node.text().length() + 2));
    }
    int i = from;
    while (true) {
      int s = text.indexOf("${{", i);
      if (s < 0 || s >= to) {
        break;
      }
      int e = text.indexOf("}}", s + 3);
      if (e < 0 || e > to + 2) {
        break;
      }
      int line = lineOf(s);
      out.add(new Expression(text.substring(s + 3, e).trim(), line, s - lineStarts[line - 1] + 1, s));
      i = e + 2;
    }
    return out;
  }
}
