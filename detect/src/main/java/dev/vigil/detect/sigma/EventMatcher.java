package dev.vigil.detect.sigma;

import java.util.List;
import java.util.Set;

/** A compiled search identifier (or part of one): a test of one event. */
interface EventMatcher {
  boolean matches(EventContext ctx);

  /** Adds the fields this matcher tests to {@code out}, for explanations. */
  void fields(Set<String> out);

  /**
   * The lower-cased values {@code field} must equal for this matcher to match, or null when it does not require any
   * (used to index rules by eventName/eventSource).
   */
  Set<String> required(String field);

  /** A map: every item must match. */
  record AllOf(List<EventMatcher> items) implements EventMatcher {
    @Override
    public boolean matches(EventContext ctx) {
      for (EventMatcher m : items) {
        if (!m.matches(ctx)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void fields(Set<String> out) {
      items.forEach(i -> i.fields(out));
    }

    @Override
    public Set<String> required(String field) {
      Set<String> best = null;
      for (EventMatcher m : items) {
        Set<String> r = m.required(field);
        if (r != null && (best == null || r.size() < best.size())) {
          best = r;
        }
      }
      return best;
    }
  }

  /** A list of maps or keywords: one must match. */
  record AnyOf(List<EventMatcher> items) implements EventMatcher {
    @Override
    public boolean matches(EventContext ctx) {
      for (EventMatcher m : items) {
        if (m.matches(ctx)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void fields(Set<String> out) {
      items.forEach(i -> i.fields(out));
    }

    @Override
    public Set<String> required(String field) {
      Set<String> union = new java.util.HashSet<>();
      for (EventMatcher m : items) {
        Set<String> r = m.required(field);
        if (r == null) {
          return null;
        }
        union.addAll(r);
      }
      return union;
    }
  }

  /**
   * One {@code field|modifiers: values} item. Values are groups (one per value written in the rule; a group holds
   * the variants a modifier such as windash or base64offset made of it): any group must match, or every group with
   * {@code all}; with {@code neq} no group may match.
   */
  record FieldItem(FieldPath field, List<List<ValueTest>> groups, boolean all, boolean negate, ValueTest.Text[] texts)
      implements EventMatcher {

    FieldItem(FieldPath field, List<List<ValueTest>> groups, boolean all, boolean negate) {
      this(field, groups, all, negate, plainTexts(groups, all, negate));
    }

    /** The string tests of an item that is only "any of these strings", for the one-scalar fast path; else null. */
    private static ValueTest.Text[] plainTexts(List<List<ValueTest>> groups, boolean all, boolean negate) {
      if (all || negate) {
        return null;
      }
      List<ValueTest.Text> out = new java.util.ArrayList<>();
      for (List<ValueTest> g : groups) {
        for (ValueTest t : g) {
          if (!(t instanceof ValueTest.Text text)) {
            return null;
          }
          out.add(text);
        }
      }
      return out.toArray(new ValueTest.Text[0]);
    }

    @Override
    public boolean matches(EventContext ctx) {
      List<com.fasterxml.jackson.databind.JsonNode> nodes = ctx.nodes(field);
      if (texts != null) {
        if (nodes.isEmpty()) {
          return false;
        }
        if (nodes.size() == 1 && nodes.get(0).isValueNode()) {
          // the common case, one scalar value and plain string tests: no candidate list needed
          com.fasterxml.jackson.databind.JsonNode n = nodes.get(0);
          if (n.isNull()) {
            return false;
          }
          String s = n.asText();
          for (ValueTest.Text t : texts) {
            if (t.matches(s, ctx)) {
              return true;
            }
          }
          return false;
        }
      }
      ValueTest.Found found = new ValueTest.Found(nodes);
      if (negate) {
        for (List<ValueTest> g : groups) {
          if (anyMatch(g, found, ctx)) {
            return false;
          }
        }
        return true;
      }
      if (all) {
        for (List<ValueTest> g : groups) {
          if (!anyMatch(g, found, ctx)) {
            return false;
          }
        }
        return true;
      }
      for (List<ValueTest> g : groups) {
        if (anyMatch(g, found, ctx)) {
          return true;
        }
      }
      return false;
    }

    private static boolean anyMatch(List<ValueTest> g, ValueTest.Found found, EventContext ctx) {
      for (ValueTest t : g) {
        if (t.test(found, ctx)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void fields(Set<String> out) {
      out.add(field.dotted());
    }

    @Override
    public Set<String> required(String f) {
      if (negate || !field.dotted().equalsIgnoreCase(f) || (all && groups.size() > 1)) {
        return null;
      }
      Set<String> values = new java.util.HashSet<>();
      for (List<ValueTest> g : groups) {
        for (ValueTest t : g) {
          if (!(t instanceof ValueTest.Text text) || text.mode != ValueTest.Text.Mode.EXACT) {
            return null;
          }
          values.add(text.value.toLowerCase(java.util.Locale.ROOT));
        }
      }
      return values;
    }
  }

  /** Keyword search: values looked for anywhere in the event. */
  record Keywords(List<List<ValueTest>> groups, boolean all) implements EventMatcher {
    @Override
    public boolean matches(EventContext ctx) {
      return matchKeywords(ctx);
    }

    private boolean matchKeywords(EventContext ctx) {
      KeywordFound found = new KeywordFound(ctx);
      for (List<ValueTest> g : groups) {
        boolean hit = false;
        for (ValueTest t : g) {
          if (t.test(found, ctx)) {
            hit = true;
            break;
          }
        }
        if (all && !hit) {
          return false;
        }
        if (!all && hit) {
          return true;
        }
      }
      return all;
    }

    @Override
    public void fields(Set<String> out) {
      out.add("(keywords)");
    }

    @Override
    public Set<String> required(String field) {
      return null;
    }
  }

  /** The whole event seen as one value, for keyword search. */
  final class KeywordFound extends ValueTest.Found {
    private final EventContext ctx;

    KeywordFound(EventContext ctx) {
      super(List.of(ctx.event.raw()));
      this.ctx = ctx;
    }

    @Override
    List<String> strings() {
      return ctx.keywordCandidates();
    }
  }
}
