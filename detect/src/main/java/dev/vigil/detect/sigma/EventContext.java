package dev.vigil.detect.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One event under evaluation, with what several rules may need computed once: the candidate strings of the whole
 * event for keyword search.
 *
 * <p>Field values follow these rules (documented in docs/SIGMA.md):
 * <ul>
 *   <li>a dotted path walks nested objects; when it meets an array it continues into every element;</li>
 *   <li>an array value contributes each of its elements;</li>
 *   <li>an object value contributes its compact JSON text and every scalar value nested inside it;</li>
 *   <li>JSON null and a missing path contribute nothing (that is what {@code field: null} tests).</li>
 * </ul>
 */
final class EventContext {
  final AuditEvent event;
  private List<String> keywordCandidates;

  EventContext(AuditEvent event) {
    this.event = event;
  }

  // many rules test the same value (the user agent) with case-insensitive contains: lower-case it once per event
  private String lowerSource;
  private String lowerValue;
  private String lowerSource2;
  private String lowerValue2;

  /** {@code s.toLowerCase(Locale.ROOT)}, remembered for the last two strings of this event (by identity). */
  String lowerCase(String s) {
    if (s == lowerSource) {
      return lowerValue;
    }
    if (s == lowerSource2) {
      return lowerValue2;
    }
    lowerSource2 = lowerSource;
    lowerValue2 = lowerValue;
    lowerSource = s;
    lowerValue = s.toLowerCase(java.util.Locale.ROOT);
    return lowerValue;
  }

  /** The nodes at a path: empty when missing; JSON nulls included (they exist, but hold no value). */
  List<JsonNode> nodes(FieldPath path) {
    // AuditEvent.field's lookup (the nested path, or a top-level key containing dots), with the path split once
    // at compile time, continuing into arrays where AuditEvent.field stops
    String[] parts = path.parts();
    JsonNode node = event.raw();
    for (int i = 0; i < parts.length; i++) {
      if (node.isArray()) {
        List<JsonNode> out = new ArrayList<>(2);
        walk(node, parts, i, out);
        return out;
      }
      node = node.get(parts[i]);
      if (node == null) {
        if (parts.length == 1) {
          return List.of();
        }
        JsonNode literal = event.raw().get(path.dotted());
        return literal == null ? List.of() : List.of(literal);
      }
    }
    return List.of(node);
  }

  private static void walk(JsonNode node, String[] parts, int i, List<JsonNode> out) {
    if (i == parts.length) {
      out.add(node);
      return;
    }
    if (node.isArray()) {
      for (JsonNode el : node) {
        walk(el, parts, i, out);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode child = node.get(parts[i]);
    if (child != null) {
      walk(child, parts, i + 1, out);
      return;
    }
    // a key that itself contains dots ("a.b") is matched against the rest of the path
    StringBuilder joined = new StringBuilder(parts[i]);
    for (int j = i + 1; j < parts.length; j++) {
      joined.append('.').append(parts[j]);
      JsonNode c = node.get(joined.toString());
      if (c != null) {
        walk(c, parts, j + 1, out);
        return;
      }
    }
  }

  /** The strings a value test compares against, from the nodes at a path (see the class comment). */
  static List<String> candidates(List<JsonNode> nodes) {
    if (nodes.size() == 1) {
      JsonNode n = nodes.get(0);
      if (n.isValueNode()) {
        return n.isNull() ? List.of() : List.of(n.asText());
      }
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      addCandidates(n, out, true);
    }
    return out;
  }

  private static void addCandidates(JsonNode n, List<String> out, boolean top) {
    if (n.isNull() || n.isMissingNode()) {
      return;
    }
    if (n.isValueNode()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      for (JsonNode el : n) {
        addCandidates(el, out, top);
      }
    } else {
      if (top) {
        out.add(n.toString());
      }
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        addCandidates(it.next().getValue(), out, false);
      }
    }
  }

  /** Keyword search looks at the whole event as an object value: its JSON text and all its scalar values. */
  List<String> keywordCandidates() {
    if (keywordCandidates == null) {
      List<String> out = new ArrayList<>();
      addCandidates(event.raw(), out, true);
      keywordCandidates = out;
    }
    return keywordCandidates;
  }
}
