package dev.vigil.detect.sigma;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads YAML documents into plain Java values (maps, lists, strings, numbers, booleans, null) while remembering
 * where each key was written, so that a rule error can name its line and column.
 */
final class SigmaYaml {

  /** One YAML document: its value and the position of every key path ({@code detection/selection/eventName}). */
  record Doc(Object root, Map<String, String> positions, int index) {
    /** "line L column C" of a key path, or of its nearest ancestor that has one. */
    String where(String path) {
      String p = path;
      while (true) {
        String at = positions.get(p);
        if (at != null) {
          return at;
        }
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
          return positions.getOrDefault("", "line 1");
        }
        p = p.substring(0, slash);
      }
    }
  }

  /** A document that is not valid YAML; the message names the line and column. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  private SigmaYaml() {}

  static List<Doc> read(Reader reader, String label) throws SyntaxError, IOException {
    LoadSettings settings = LoadSettings.builder().setLabel(label).setMaxAliasesForCollections(50)
        .setCodePointLimit(8 * 1024 * 1024).build();
    List<Doc> docs = new ArrayList<>();
    try {
      int i = 0;
      for (Node node : new Compose(settings).composeAllFromReader(reader)) {
        Map<String, String> positions = new HashMap<>();
        positions.put("", at(node.getStartMark()));
        docs.add(new Doc(convert(node, "", positions), positions, i++));
      }
    } catch (MarkedYamlEngineException e) {
      String where = at(e.getProblemMark());
      throw new SyntaxError("invalid YAML" + (where.isEmpty() ? "" : " at " + where) + ": " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new SyntaxError("invalid YAML: " + e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return docs;
  }

  static List<Doc> read(String text, String label) throws SyntaxError {
    try {
      return read(new StringReader(text), label);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String at(Optional<Mark> mark) {
    return mark.map(m -> "line " + (m.getLine() + 1) + " column " + (m.getColumn() + 1)).orElse("");
  }

  private static Object convert(Node node, String path, Map<String, String> positions) throws SyntaxError {
    if (node instanceof MappingNode map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : map.getValue()) {
        Node k = t.getKeyNode();
        if (!(k instanceof ScalarNode ks)) {
          throw new SyntaxError("a map key at " + at(k.getStartMark()) + " is not a plain value");
        }
        String key = ks.getValue();
        String childPath = path.isEmpty() ? key : path + "/" + key;
        if (out.containsKey(key)) {
          throw new SyntaxError("duplicate key '" + key + "' at " + at(k.getStartMark()));
        }
        positions.put(childPath, at(k.getStartMark()));
        out.put(key, convert(t.getValueNode(), childPath, positions));
      }
      return out;
    }
    if (node instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>(seq.getValue().size());
      int i = 0;
      for (Node item : seq.getValue()) {
        String childPath = path + "/" + i++;
        positions.put(childPath, at(item.getStartMark()));
        out.add(convert(item, childPath, positions));
      }
      return out;
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    String v = s.getValue();
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    if (tag.equals(Tag.BOOL)) {
      return Boolean.valueOf(v.toLowerCase(java.util.Locale.ROOT));
    }
    if (tag.equals(Tag.INT)) {
      try {
        BigInteger b = v.startsWith("0x") ? new BigInteger(v.substring(2), 16)
            : v.startsWith("0o") ? new BigInteger(v.substring(2), 8) : new BigInteger(v);
        return b.bitLength() < 63 ? (Object) b.longValue() : b;
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (tag.equals(Tag.FLOAT)) {
      try {
        return Double.valueOf(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    return v;
  }
}
