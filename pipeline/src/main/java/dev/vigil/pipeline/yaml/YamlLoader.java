package dev.vigil.pipeline.yaml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Parses YAML 1.2 into {@link YNode}s with positions; errors carry the line and column of the problem. Built on
 * the event parser so that an alias ({@code *name}) keeps the position where it is written, which is where a
 * finding about it belongs.
 */
public final class YamlLoader {
  /** Files above this size are refused: CI configuration is never this large, and parsing would be slow. */
  public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
  /** Guards against alias bombs ("billion laughs"): aliases to collections per document. */
  public static final int MAX_ALIASES = 200;
  /** Nesting deeper than this is refused (stack safety). */
  public static final int MAX_DEPTH = 200;

  private YamlLoader() {}

  /** A YAML syntax error at a position (line and column 1-based, 0 when unknown). */
  public static final class YamlError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int line;
    public final int column;

    public YamlError(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /** The root node of the first document in {@code text}, or null when there is none. */
  public static YNode parse(String text, String label) {
    LoadSettings settings = LoadSettings.builder().setLabel(label).setCodePointLimit(MAX_CODE_POINTS).build();
    try {
      return build(new Parse(settings).parseString(text).iterator());
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      if (e.getContext() != null && !e.getContext().isBlank()) {
        problem = e.getContext() + ": " + problem;
      }
      throw new YamlError(oneLine(problem), m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1);
    } catch (YamlEngineException e) {
      throw new YamlError(oneLine(e.getMessage()), 0, 0);
    }
  }

  private static String oneLine(String s) {
    return s == null ? "invalid YAML" : s.replaceAll("\\s+", " ").trim();
  }

  private static int line(Event e, boolean end) {
    return (end ? e.getEndMark() : e.getStartMark()).map(m -> m.getLine() + 1).orElse(0);
  }

  private static int col(Event e, boolean end) {
    return (end ? e.getEndMark() : e.getStartMark()).map(m -> m.getColumn() + 1).orElse(0);
  }

  /** A collection being filled: its node and, for mappings, the pending key. */
  private static final class Frame {
    final YNode node;
    final String anchor;
    YNode pendingKey;
    final List<YNode.Entry> merges = new ArrayList<>();

    Frame(YNode node, String anchor) {
      this.node = node;
      this.anchor = anchor;
    }
  }

  private static YNode build(Iterator<Event> events) {
    Map<String, YNode> anchors = new HashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
    YNode root = null;
    int aliases = 0;
    while (events.hasNext()) {
      Event e = events.next();
      YNode done = null;
      switch (e.getEventId()) {
        case Scalar -> {
          ScalarEvent s = (ScalarEvent) e;
          done = new YNode(YNode.Kind.SCALAR, s.getValue(), s.isPlain(), line(e, false), col(e, false),
              line(e, true), col(e, true));
          final YNode d = done;
          s.getAnchor().ifPresent(a -> anchors.put(a.getValue(), d));
        }
        case MappingStart, SequenceStart -> {
          if (stack.size() >= MAX_DEPTH) {
            throw new YamlError("nesting deeper than " + MAX_DEPTH + " levels", line(e, false), col(e, false));
          }
          YNode.Kind kind = e.getEventId() == Event.ID.MappingStart ? YNode.Kind.MAP : YNode.Kind.SEQ;
          YNode n = new YNode(kind, null, false, line(e, false), col(e, false), line(e, false), col(e, false));
          String anchor = ((NodeEvent) e).getAnchor().map(a -> a.getValue()).orElse(null);
          stack.push(new Frame(n, anchor));
          continue;
        }
        case MappingEnd, SequenceEnd -> {
          Frame f = stack.pop();
          done = f.node.withEnd(line(e, true), col(e, true));
          for (YNode.Entry m : f.merges) {
            if (done.get(m.key().text()) == null) {
              done.entries.add(m);
            }
          }
          if (f.anchor != null) {
            anchors.put(f.anchor, done);
          }
        }
        case Alias -> {
          String name = ((AliasEvent) e).getAlias().getValue();
          YNode target = anchors.get(name);
          if (target == null) {
            throw new YamlError("unknown or recursive alias *" + name, line(e, false), col(e, false));
          }
          if (!target.isScalar() && ++aliases > MAX_ALIASES) {
            throw new YamlError("more than " + MAX_ALIASES + " aliases to collections (alias bomb?)",
                line(e, false), col(e, false));
          }
          done = YNode.alias(target, line(e, false), col(e, false), line(e, true), col(e, true));
        }
        case DocumentEnd -> {
          if (root != null) {
            return root;
          }
          continue;
        }
        default -> {
          continue;
        }
      }
      if (stack.isEmpty()) {
        root = done;
        continue;
      }
      Frame parent = stack.peek();
      if (parent.node.isSeq()) {
        parent.node.items.add(done);
      } else if (parent.pendingKey == null) {
        parent.pendingKey = done;
      } else {
        YNode key = parent.pendingKey;
        parent.pendingKey = null;
        if (key.isScalar() && "<<".equals(key.text()) && key.isPlainText()) {
          // merge keys (YAML 1.1, common in CI files): explicit keys of this mapping take precedence
          if (done.isMap()) {
            parent.merges.addAll(done.entries);
          } else if (done.isSeq()) {
            done.items.stream().filter(YNode::isMap).forEach(m -> parent.merges.addAll(m.entries));
          }
        } else {
          if (key.isScalar() && parent.node.get(key.text()) != null) {
            throw new YamlError("duplicate key '" + key.text() + "' (GitHub rejects such files)", key.line(),
                key.column());
          }
          parent.node.entries.add(new YNode.Entry(key, done));
        }
      }
    }
    return root;
  }
}
