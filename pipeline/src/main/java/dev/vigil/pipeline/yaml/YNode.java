package dev.vigil.pipeline.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A YAML node with its position (1-based line and column of its start and end), anchors and aliases resolved and
 * merge keys ({@code <<}) expanded. An aliased node keeps the position of its anchor.
 */
public final class YNode {
  public enum Kind { MAP, SEQ, SCALAR }

  /** A mapping entry: the key node (for its position) and the value. */
  public record Entry(YNode key, YNode value) {}

  private final Kind kind;
  private final String text;
  private final boolean plain;
  private final int line;
  private final int column;
  private int endLine;
  private int endColumn;
  final List<Entry> entries;
  final List<YNode> items;
  /** For an alias ({@code *name}): the anchored node it stands for; null otherwise. */
  YNode origin;

  YNode(Kind kind, String text, boolean plain, int line, int column, int endLine, int endColumn) {
    this.kind = kind;
    this.text = text;
    this.plain = plain;
    this.line = line;
    this.column = column;
    this.endLine = endLine;
    this.endColumn = endColumn;
    this.entries = kind == Kind.MAP ? new ArrayList<>() : List.of();
    this.items = kind == Kind.SEQ ? new ArrayList<>() : List.of();
  }

  /** An alias occurrence: same content as {@code anchored}, positioned where the alias is written. */
  static YNode alias(YNode anchored, int line, int column, int endLine, int endColumn) {
    YNode base = anchored.origin != null ? anchored.origin : anchored;
    if (base.kind == Kind.SCALAR) {
      return base; // a finding about an aliased scalar points at its text
    }
    YNode y = new YNode(base.kind, base.text, base.plain, line, column, endLine, endColumn);
    if (base.kind == Kind.MAP) {
      y.entries.addAll(base.entries);
    } else if (base.kind == Kind.SEQ) {
      y.items.addAll(base.items);
    }
    y.origin = base;
    return y;
  }

  /** Sets the end position of a collection once its end event is read. */
  YNode withEnd(int line, int column) {
    endLine = line;
    endColumn = column;
    return this;
  }

  /** True for a plain (unquoted) scalar. */
  public boolean isPlainText() {
    return plain;
  }

  /** The anchored node when this is an alias, else null. */
  public YNode origin() {
    return origin;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isMap() {
    return kind == Kind.MAP;
  }

  public boolean isSeq() {
    return kind == Kind.SEQ;
  }

  public boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  /** The scalar's text (null for collections; YAML null is the empty string with {@link #isNull()}). */
  public String text() {
    return text;
  }

  /** True for a plain (unquoted) {@code null}, {@code ~} or empty scalar. */
  public boolean isNull() {
    return kind == Kind.SCALAR && plain && (text.isEmpty() || text.equals("~") || text.equals("null"));
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public int endLine() {
    return endLine;
  }

  public int endColumn() {
    return endColumn;
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  public List<YNode> items() {
    return Collections.unmodifiableList(items);
  }

  /** The value under {@code key} in a mapping, or null (also null when this is not a mapping). */
  public YNode get(String key) {
    for (Entry e : entries) {
      if (key.equals(e.key.text)) {
        return e.value;
      }
    }
    return null;
  }

  /** The key node of {@code key}, for pointing at "key: value" lines. */
  public YNode keyNode(String key) {
    for (Entry e : entries) {
      if (key.equals(e.key.text)) {
        return e.key;
      }
    }
    return null;
  }

  public Entry entry(String key) {
    for (Entry e : entries) {
      if (key.equals(e.key.text)) {
        return e;
      }
    }
    return null;
  }

  /** The scalar text under {@code key}, or null when absent or not a scalar. */
  public String str(String key) {
    YNode v = get(key);
    return v != null && v.isScalar() && !v.isNull() ? v.text : null;
  }

  /** Scalars of a string-or-list value: {@code runs-on: x} and {@code runs-on: [x, y]} alike. */
  public List<String> strings() {
    if (kind == Kind.SCALAR) {
      return isNull() ? List.of() : List.of(text);
    }
    List<String> out = new ArrayList<>();
    for (YNode i : items) {
      if (i.isScalar()) {
        out.add(i.text);
      }
    }
    if (kind == Kind.MAP) {
      for (Entry e : entries) {
        out.add(e.key.text);
      }
    }
    return out;
  }

  /** Every scalar below this node (values only, not keys), depth first. */
  public void scalars(java.util.function.Consumer<YNode> sink) {
    scalars(sink, Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
  }

  private void scalars(java.util.function.Consumer<YNode> sink, java.util.Set<YNode> seen) {
    if (!seen.add(this)) {
      return;
    }
    switch (kind) {
      case SCALAR -> sink.accept(this);
      case SEQ -> items.forEach(i -> i.scalars(sink, seen));
      case MAP -> entries.forEach(e -> e.value.scalars(sink, seen));
    }
  }

  /** Mapping as key text to value, in order (first key wins on duplicates). */
  public Map<String, YNode> asMap() {
    Map<String, YNode> m = new java.util.LinkedHashMap<>();
    for (Entry e : entries) {
      m.putIfAbsent(e.key.text == null ? "" : e.key.text, e.value);
    }
    return m;
  }

  @Override
  public String toString() {
    return kind == Kind.SCALAR ? text : kind + "@" + line + ":" + column;
  }
}
