package dev.vigil.pipeline.yaml;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Parses YAML 1.2 into {@link YNode}s with positions; errors carry the line and column of the problem. */
public final class YamlLoader {
  /** Files above this size are refused: CI configuration is never this large, and parsing would be slow. */
  public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
  /** Guards against alias bombs ("billion laughs"). */
  public static final int MAX_ALIASES = 200;

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

  /** The root node of the single document in {@code text}, or null when the document is empty. */
  public static YNode parse(String text, String label) {
    LoadSettings settings = LoadSettings.builder().setLabel(label).setCodePointLimit(MAX_CODE_POINTS)
        .setMaxAliasesForCollections(MAX_ALIASES).setAllowRecursiveKeys(false).build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      if (e.getContext() != null && !e.getContext().isBlank()) {
        problem = e.getContext() + ": " + problem;
      }
      throw new YamlError(oneLine(problem), m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1);
    } catch (YamlEngineException e) {
      throw new YamlError(oneLine(e.getMessage()), 0, 0);
    } catch (StackOverflowError e) {
      throw new YamlError("nesting too deep", 0, 0);
    }
    if (root.isEmpty()) {
      return null;
    }
    return new Converter().convert(root.get());
  }

  private static String oneLine(String s) {
    return s == null ? "invalid YAML" : s.replaceAll("\\s+", " ").trim();
  }

  private static final class Converter {
    private final Map<Node, YNode> done = new IdentityHashMap<>();

    YNode convert(Node n) {
      YNode seen = done.get(n);
      if (seen != null) {
        return seen;
      }
      Mark s = n.getStartMark().orElse(null);
      Mark e = n.getEndMark().orElse(s);
      int line = s == null ? 0 : s.getLine() + 1;
      int col = s == null ? 0 : s.getColumn() + 1;
      int endLine = e == null ? line : e.getLine() + 1;
      int endCol = e == null ? col : e.getColumn() + 1;
      if (n instanceof ScalarNode sc) {
        YNode y = new YNode(YNode.Kind.SCALAR, sc.getValue(), sc.isPlain(), line, col, endLine, endCol);
        done.put(n, y);
        return y;
      }
      if (n instanceof SequenceNode sq) {
        YNode y = new YNode(YNode.Kind.SEQ, null, false, line, col, endLine, endCol);
        done.put(n, y);
        for (Node i : sq.getValue()) {
          y.items.add(convert(i));
        }
        return y;
      }
      MappingNode mp = (MappingNode) n;
      YNode y = new YNode(YNode.Kind.MAP, null, false, line, col, endLine, endCol);
      done.put(n, y);
      java.util.List<YNode.Entry> merged = new java.util.ArrayList<>();
      for (NodeTuple t : mp.getValue()) {
        YNode k = convert(t.getKeyNode());
        YNode v = convert(t.getValueNode());
        if (k.isScalar() && "<<".equals(k.text()) && k.isNull() == false) {
          // YAML 1.1 merge keys are common in CI files; the explicit keys of this mapping take precedence.
          if (v.isMap()) {
            merged.addAll(v.entries);
          } else if (v.isSeq()) {
            v.items.stream().filter(YNode::isMap).forEach(m -> merged.addAll(m.entries));
          }
          continue;
        }
        y.entries.add(new YNode.Entry(k, v));
      }
      for (YNode.Entry m : merged) {
        if (y.get(m.key().text()) == null) {
          y.entries.add(m);
        }
      }
      return y;
    }
  }
}
