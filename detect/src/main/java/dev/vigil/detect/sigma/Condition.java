package dev.vigil.detect.sigma;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled Sigma condition: {@code and}, {@code or}, {@code not}, parentheses, {@code 1 of x*}, {@code all of x*},
 * {@code 1 of them}, {@code all of them}. Precedence from loosest: or, and, not, x of, parentheses.
 */
interface Condition {
  boolean eval(EventContext ctx);

  /** Lower-cased values {@code field} must have for the condition to hold, or null when unconstrained. */
  Set<String> required(String field);

  /** Names of the search identifiers that count positively (not under an odd number of {@code not}). */
  void positive(Set<String> out, boolean negated);

  record Ref(String name, EventMatcher matcher) implements Condition {
    @Override
    public boolean eval(EventContext ctx) {
      return matcher.matches(ctx);
    }

    @Override
    public Set<String> required(String field) {
      return matcher.required(field);
    }

    @Override
    public void positive(Set<String> out, boolean negated) {
      if (!negated) {
        out.add(name);
      }
    }
  }

  record And(List<Condition> parts) implements Condition {
    @Override
    public boolean eval(EventContext ctx) {
      for (Condition c : parts) {
        if (!c.eval(ctx)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Set<String> required(String field) {
      Set<String> best = null;
      for (Condition c : parts) {
        Set<String> r = c.required(field);
        if (r != null) {
          if (best == null) {
            best = new HashSet<>(r);
          } else {
            best.retainAll(r);
          }
        }
      }
      return best;
    }

    @Override
    public void positive(Set<String> out, boolean negated) {
      parts.forEach(p -> p.positive(out, negated));
    }
  }

  record Or(List<Condition> parts) implements Condition {
    @Override
    public boolean eval(EventContext ctx) {
      for (Condition c : parts) {
        if (c.eval(ctx)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Set<String> required(String field) {
      Set<String> union = new HashSet<>();
      for (Condition c : parts) {
        Set<String> r = c.required(field);
        if (r == null) {
          return null;
        }
        union.addAll(r);
      }
      return union;
    }

    @Override
    public void positive(Set<String> out, boolean negated) {
      parts.forEach(p -> p.positive(out, negated));
    }
  }

  record Not(Condition inner) implements Condition {
    @Override
    public boolean eval(EventContext ctx) {
      return !inner.eval(ctx);
    }

    @Override
    public Set<String> required(String field) {
      return null;
    }

    @Override
    public void positive(Set<String> out, boolean negated) {
      inner.positive(out, !negated);
    }
  }

  /** Parses condition text against the rule's search identifiers. */
  final class Parser {
    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[^\\s()]+)");
    private final Map<String, EventMatcher> identifiers;
    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    Parser(String text, Map<String, EventMatcher> identifiers) {
      this.text = text;
      this.identifiers = identifiers;
      java.util.regex.Matcher m = TOKEN.matcher(text);
      int end = 0;
      while (m.lookingAt()) {
        tokens.add(m.group(1));
        end = m.end();
        m.region(end, text.length());
      }
    }

    Condition parse() throws RuleError {
      if (tokens.isEmpty()) {
        throw error("the condition is empty");
      }
      Condition c = or();
      if (pos < tokens.size()) {
        throw error("unexpected '" + tokens.get(pos) + "' at token " + (pos + 1));
      }
      return c;
    }

    private RuleError error(String message) {
      return new RuleError("detection/condition", "condition '" + text + "': " + message);
    }

    private String peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean isWord(String token, String word) {
      return token != null && token.toLowerCase(Locale.ROOT).equals(word);
    }

    private Condition or() throws RuleError {
      List<Condition> parts = new ArrayList<>();
      parts.add(and());
      while (isWord(peek(), "or")) {
        pos++;
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Or(parts);
    }

    private Condition and() throws RuleError {
      List<Condition> parts = new ArrayList<>();
      parts.add(not());
      while (isWord(peek(), "and")) {
        pos++;
        parts.add(not());
      }
      return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    private Condition not() throws RuleError {
      if (isWord(peek(), "not")) {
        pos++;
        return new Not(not());
      }
      return primary();
    }

    private Condition primary() throws RuleError {
      String t = peek();
      if (t == null) {
        throw error("ends where a search identifier, 'not', 'x of' or '(' was expected");
      }
      if (t.equals("(")) {
        pos++;
        Condition inner = or();
        if (!")".equals(peek())) {
          throw error("missing ')'");
        }
        pos++;
        return inner;
      }
      if (t.equals(")") || isWord(t, "and") || isWord(t, "or")) {
        throw error("unexpected '" + t + "' at token " + (pos + 1));
      }
      if (pos + 1 < tokens.size() && isWord(tokens.get(pos + 1), "of")) {
        return quantified();
      }
      pos++;
      EventMatcher m = identifiers.get(t);
      if (m == null) {
        throw error("unknown search identifier '" + t + "' (defined: " + String.join(", ", identifiers.keySet())
            + ")");
      }
      return new Ref(t, m);
    }

    private Condition quantified() throws RuleError {
      String q = tokens.get(pos).toLowerCase(Locale.ROOT);
      if (!q.equals("1") && !q.equals("all") && !q.equals("any")) {
        throw error("'" + tokens.get(pos) + " of' is not Sigma: only '1 of' and 'all of' are defined");
      }
      pos += 2;
      String target = peek();
      if (target == null || target.equals("(") || target.equals(")")) {
        throw error("'" + q + " of' must be followed by 'them' or a search identifier pattern");
      }
      pos++;
      Map<String, EventMatcher> chosen = new LinkedHashMap<>();
      if (isWord(target, "them")) {
        identifiers.forEach((name, m) -> {
          if (!name.startsWith("_")) {
            chosen.put(name, m);
          }
        });
      } else {
        Pattern p = Pattern.compile(Pattern.quote(target).replace("*", "\\E.*\\Q"));
        identifiers.forEach((name, m) -> {
          if (p.matcher(name).matches()) {
            chosen.put(name, m);
          }
        });
      }
      if (chosen.isEmpty()) {
        throw error("'" + q + " of " + target + "' matches no search identifier");
      }
      List<Condition> refs = new ArrayList<>();
      chosen.forEach((n, m) -> refs.add(new Ref(n, m)));
      if (refs.size() == 1) {
        return refs.get(0);
      }
      return q.equals("all") ? new And(refs) : new Or(refs);
    }
  }
}
