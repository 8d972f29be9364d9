package dev.vigil.detect.sigma;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Compiles a rule's {@code detection} section: search identifiers with their value modifiers, and the condition.
 * Everything that can be checked is checked here, once, so that evaluation never meets a malformed rule.
 */
final class DetectionCompiler {

  static final Set<String> MODIFIERS = Set.of("contains", "startswith", "endswith", "all", "re", "i", "m", "s",
      "cidr", "exists", "cased", "neq", "lt", "lte", "gt", "gte", "base64", "base64offset", "utf16le", "utf16be",
      "utf16", "wide", "windash", "fieldref", "expand", "minute", "hour", "day", "week", "month", "year");
  private static final Set<String> DATE_PARTS = Set.of("minute", "hour", "day", "week", "month", "year");
  private static final int MAX_WINDASH_VARIANTS = 625;

  /** The compiled detection: identifiers by name and the condition over them. */
  record Compiled(Map<String, EventMatcher> identifiers, Condition condition) {}

  private final Map<String, List<String>> placeholders;
  private final Consumer<String> notes;

  /**
   * @param placeholders values for {@code |expand} placeholders, by name without the percent signs
   * @param notes        receives remarks that do not stop the rule (e.g. a regex run by java.util.regex)
   */
  DetectionCompiler(Map<String, List<String>> placeholders, Consumer<String> notes) {
    this.placeholders = placeholders;
    this.notes = notes;
  }

  /** Compiles the identifiers; the condition is parsed by the caller (it may carry an old-style aggregation). */
  Map<String, EventMatcher> identifiers(Map<String, Object> detection) throws RuleError {
    Map<String, EventMatcher> ids = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : detection.entrySet()) {
      String name = e.getKey();
      if (name.equals("condition") || name.equals("timeframe")) {
        continue;
      }
      ids.put(name, identifier("detection/" + name, e.getValue()));
    }
    if (ids.isEmpty()) {
      throw new RuleError("detection", "detection has no search identifier (only a condition)");
    }
    return ids;
  }

  private EventMatcher identifier(String path, Object value) throws RuleError {
    if (value instanceof Map<?, ?> map) {
      return map(path, map);
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new RuleError(path, "search identifier '" + name(path) + "' is an empty list");
      }
      List<EventMatcher> items = new ArrayList<>();
      List<Object> keywords = new ArrayList<>();
      int i = 0;
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          items.add(map(path + "/" + i, m));
        } else if (o instanceof List<?>) {
          throw new RuleError(path + "/" + i, "search identifier '" + name(path) + "' holds a nested list");
        } else {
          keywords.add(o);
        }
        i++;
      }
      if (!keywords.isEmpty()) {
        items.add(keywords(path, List.of(), keywords));
      }
      return items.size() == 1 ? items.get(0) : new EventMatcher.AnyOf(items);
    }
    if (value == null) {
      throw new RuleError(path, "search identifier '" + name(path) + "' is empty");
    }
    return keywords(path, List.of(), List.of(value));
  }

  private static String name(String path) {
    String[] p = path.split("/");
    return p.length > 1 ? p[1] : path;
  }

  private EventMatcher map(String path, Map<?, ?> map) throws RuleError {
    if (map.isEmpty()) {
      throw new RuleError(path, "search identifier '" + name(path) + "' is an empty map");
    }
    List<EventMatcher> items = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      String itemPath = path + "/" + key;
      String[] parts = key.split("\\|", -1);
      String field = parts[0].trim();
      List<String> mods = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        String m = parts[i].trim().toLowerCase(Locale.ROOT);
        if (!MODIFIERS.contains(m)) {
          throw new RuleError(itemPath, "unknown value modifier '" + parts[i] + "' in '" + key + "'"
              + (m.equals("endwith") || m.equals("startwith") ? " (did you mean '" + m.replace("with", "swith")
              + "'?)" : ""));
        }
        mods.add(m);
      }
      List<Object> values = e.getValue() instanceof List<?> l ? new ArrayList<>(l) : singletonList(e.getValue());
      if (values.isEmpty()) {
        throw new RuleError(itemPath, "'" + key + "' has an empty list of values");
      }
      if (field.isEmpty()) {
        items.add(keywords(itemPath, mods, values));
      } else {
        items.add(item(itemPath, key, field, mods, values));
      }
    }
    return items.size() == 1 ? items.get(0) : new EventMatcher.AllOf(items);
  }

  private static List<Object> singletonList(Object o) {
    List<Object> l = new ArrayList<>(1);
    l.add(o);
    return l;
  }

  private EventMatcher keywords(String path, List<String> mods, List<Object> values) throws RuleError {
    boolean all = mods.contains("all");
    List<String> rest = new ArrayList<>(mods);
    rest.remove("all");
    if (rest.isEmpty()) {
      rest.add("contains");
    }
    for (String m : rest) {
      if (Set.of("exists", "fieldref", "neq", "lt", "lte", "gt", "gte").contains(m) || DATE_PARTS.contains(m)) {
        throw new RuleError(path, "modifier '" + m + "' needs a field; keyword search has none");
      }
    }
    List<List<ValueTest>> groups = new ArrayList<>();
    for (Object v : values) {
      if (v == null || v instanceof Map || v instanceof List) {
        throw new RuleError(path, "a keyword must be a string or a number, not " + describe(v));
      }
      groups.add(tests(path, "keywords", rest, v));
    }
    return new EventMatcher.Keywords(groups, all);
  }

  private EventMatcher item(String path, String key, String field, List<String> mods, List<Object> values)
      throws RuleError {
    boolean all = mods.contains("all");
    boolean neq = mods.contains("neq");
    if (all && values.size() < 2) {
      throw new RuleError(path, "'" + key + "': the 'all' modifier needs a list of at least two values "
          + "(Sigma forbids it on a single value)");
    }
    if (mods.contains("exists")) {
      if (mods.size() != 1) {
        throw new RuleError(path, "'" + key + "': 'exists' cannot be combined with other modifiers");
      }
      if (values.size() != 1 || !(values.get(0) instanceof Boolean b)) {
        throw new RuleError(path, "'" + key + "': 'exists' takes true or false, not " + describe(values.get(0)));
      }
      return new EventMatcher.FieldItem(FieldPath.of(field), List.of(List.of(new ValueTest.Exists(b))), false,
          false);
    }
    List<String> rest = new ArrayList<>(mods);
    rest.remove("all");
    rest.remove("neq");
    List<List<ValueTest>> groups = new ArrayList<>();
    int i = 0;
    for (Object v : values) {
      String vPath = values.size() > 1 ? path + "/" + i : path;
      i++;
      if (v == null) {
        if (!rest.isEmpty()) {
          throw new RuleError(vPath, "'" + key + "': null cannot be combined with modifiers " + rest);
        }
        groups.add(List.of(new ValueTest.IsNull()));
        continue;
      }
      if (v instanceof Map || v instanceof List) {
        throw new RuleError(vPath, "'" + key + "': a value must be a string, number, boolean or null, not "
            + describe(v));
      }
      groups.add(tests(vPath, key, rest, v));
    }
    return new EventMatcher.FieldItem(FieldPath.of(field), groups, all, neq);
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "a map";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }

  /** The tests one written value compiles to (several when a modifier multiplies it). */
  private List<ValueTest> tests(String path, String key, List<String> mods, Object raw) throws RuleError {
    String matchMode = null;
    String numeric = null;
    String datePart = null;
    boolean cased = false;
    boolean re = false;
    boolean cidr = false;
    boolean fieldref = false;
    Set<Character> reFlags = new LinkedHashSet<>();
    List<String> transforms = new ArrayList<>();
    for (String m : mods) {
      switch (m) {
        case "contains", "startswith", "endswith" -> {
          if (matchMode != null && !matchMode.equals(m)) {
            throw new RuleError(path, "'" + key + "': '" + matchMode + "' and '" + m + "' contradict each other");
          }
          matchMode = m;
        }
        case "lt", "lte", "gt", "gte" -> {
          if (numeric != null) {
            throw new RuleError(path, "'" + key + "': only one of lt/lte/gt/gte may be given");
          }
          numeric = m;
        }
        case "minute", "hour", "day", "week", "month", "year" -> datePart = m;
        case "cased" -> cased = true;
        case "re" -> re = true;
        case "i", "m", "s" -> reFlags.add(m.charAt(0));
        case "cidr" -> cidr = true;
        case "fieldref" -> fieldref = true;
        case "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash", "expand" ->
            transforms.add(m);
        default -> throw new RuleError(path, "'" + key + "': modifier '" + m + "' is not allowed here");
      }
    }
    if (!reFlags.isEmpty() && !re) {
      throw new RuleError(path, "'" + key + "': regex flags i/m/s need the 're' modifier");
    }
    int kinds = (re ? 1 : 0) + (cidr ? 1 : 0) + (fieldref ? 1 : 0) + (numeric != null || datePart != null ? 1 : 0);
    if (kinds > 1) {
      throw new RuleError(path, "'" + key + "': re, cidr, fieldref and numeric/date modifiers exclude each other");
    }
    if ((re || cidr || numeric != null || datePart != null) && matchMode != null) {
      throw new RuleError(path, "'" + key + "': '" + matchMode + "' cannot be combined with "
          + (re ? "re" : cidr ? "cidr" : "numeric or date modifiers"));
    }
    if (kinds == 1 && !transforms.isEmpty() && !(fieldref && transforms.isEmpty())) {
      if (!(transforms.size() == 1 && transforms.get(0).equals("expand") && cidr)) {
        throw new RuleError(path, "'" + key + "': " + transforms + " cannot be applied to "
            + (re ? "a regular expression" : cidr ? "a network" : fieldref ? "a field reference" : "a number"));
      }
    }
    if (numeric != null || datePart != null) {
      BigDecimal n = raw instanceof Number num ? new BigDecimal(num.toString()) : ValueTest.Numeric.number(
          String.valueOf(raw));
      if (n == null || raw instanceof Boolean) {
        throw new RuleError(path, "'" + key + "': " + (numeric != null ? numeric : datePart)
            + " needs a number, not " + describe(raw));
      }
      ValueTest.Numeric.Op op = numeric == null ? ValueTest.Numeric.Op.EQ
          : ValueTest.Numeric.Op.valueOf(numeric.toUpperCase(Locale.ROOT));
      return List.of(new ValueTest.Numeric(op, n, datePart));
    }
    String text = raw instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) ? raw.toString()
        : String.valueOf(raw);
    if (fieldref) {
      ValueTest.Text.Mode mode = matchMode == null ? ValueTest.Text.Mode.EXACT
          : switch (matchMode) {
            case "contains" -> ValueTest.Text.Mode.CONTAINS;
            case "startswith" -> ValueTest.Text.Mode.PREFIX;
            default -> ValueTest.Text.Mode.SUFFIX;
          };
      return List.of(new ValueTest.FieldRef(FieldPath.of(text), mode, cased));
    }
    if (re) {
      return List.of(regex(path, key, text, reFlags));
    }
    // transformations, in the order written
    List<String> values = List.of(text);
    boolean binary = false;
    List<byte[]> bytes = null;
    for (String t : transforms) {
      switch (t) {
        case "expand" -> values = expand(path, key, values);
        case "windash" -> values = windash(path, key, values);
        case "utf16le", "wide", "utf16be", "utf16" -> {
          bytes = new ArrayList<>();
          for (String v : values) {
            bytes.add(switch (t) {
              case "utf16be" -> v.getBytes(StandardCharsets.UTF_16BE);
              case "utf16" -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, v.getBytes(StandardCharsets.UTF_16LE));
              default -> v.getBytes(StandardCharsets.UTF_16LE);
            });
          }
          values = latin1(bytes);
          binary = true;
        }
        case "base64", "base64offset" -> {
          List<String> out = new ArrayList<>();
          for (String v : values) {
            byte[] b = binary ? v.getBytes(StandardCharsets.ISO_8859_1) : v.getBytes(StandardCharsets.UTF_8);
            if (t.equals("base64")) {
              out.add(Base64.getEncoder().encodeToString(b));
            } else {
              out.addAll(base64Offsets(b));
            }
          }
          values = out;
          binary = false;
          // encoded text has no wildcards: escape nothing, but make sure '*' and '?' stay literal
          values = escapeWildcards(values);
        }
        default -> throw new IllegalStateException(t);
      }
    }
    if (binary) {
      values = escapeWildcards(values);
    }
    List<ValueTest> tests = new ArrayList<>();
    for (String v : values) {
      if (cidr) {
        tests.add(cidr(path, key, v));
      } else {
        tests.add(wildcard(v, matchMode, cased));
      }
    }
    return tests;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<String> latin1(List<byte[]> bytes) {
    List<String> out = new ArrayList<>();
    for (byte[] b : bytes) {
      out.add(new String(b, StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  private static List<String> escapeWildcards(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(v.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?"));
    }
    return out;
  }

  /**
   * The three encodings of a value that may sit at any byte offset inside a base64 text, each trimmed to the
   * characters that depend only on the value's own bytes.
   */
  static List<String> base64Offsets(byte[] value) {
    List<String> out = new ArrayList<>(3);
    for (int shift = 0; shift < 3; shift++) {
      byte[] padded = new byte[shift + value.length];
      System.arraycopy(value, 0, padded, shift, value.length);
      String enc = Base64.getEncoder().withoutPadding().encodeToString(padded);
      int start = (8 * shift + 5) / 6;            // first char whose 6 bits all come from the value
      int end = (8 * (shift + value.length)) / 6;  // chars after this mix in bits of what follows
      if (end > start) {
        out.add(enc.substring(start, Math.min(end, enc.length())));
      }
    }
    return out;
  }

  private List<String> expand(String path, String key, List<String> values) throws RuleError {
    List<String> out = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>();
    for (String v : values) {
      List<String> acc = new ArrayList<>();
      acc.add("");
      int i = 0;
      while (i < v.length()) {
        char c = v.charAt(i);
        if (c == '\\' && i + 1 < v.length() && v.charAt(i + 1) == '%') {
          append(acc, "%");
          i += 2;
          continue;
        }
        if (c == '%') {
          int end = v.indexOf('%', i + 1);
          if (end > i + 1) {
            String name = v.substring(i + 1, end);
            List<String> supplied = placeholders.get(name);
            if (supplied == null || supplied.isEmpty()) {
              missing.add(name);
              i = end + 1;
              continue;
            }
            List<String> next = new ArrayList<>();
            for (String prefix : acc) {
              for (String s : supplied) {
                next.add(prefix + s);
              }
            }
            acc = next;
            i = end + 1;
            continue;
          }
        }
        append(acc, String.valueOf(c));
        i++;
      }
      out.addAll(acc);
    }
    if (!missing.isEmpty()) {
      StringBuilder b = new StringBuilder("'" + key + "': no value for placeholder");
      b.append(missing.size() > 1 ? "s " : " ");
      List<String> shown = new ArrayList<>();
      missing.forEach(m -> shown.add("%" + m + "%"));
      b.append(String.join(", ", shown)).append(" (supply ");
      List<String> how = new ArrayList<>();
      missing.forEach(m -> how.add("--placeholder " + m + "=VALUE[,VALUE...]"));
      b.append(String.join(" ", how)).append(")");
      throw new RuleError(path, b.toString());
    }
    return out;
  }

  private static void append(List<String> acc, String s) {
    for (int i = 0; i < acc.size(); i++) {
      acc.set(i, acc.get(i) + s);
    }
  }

  private static final String DASHES = "-/\u2013\u2014\u2015";

  private static List<String> windash(String path, String key, List<String> values) throws RuleError {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      List<String> acc = new ArrayList<>();
      acc.add("");
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (DASHES.indexOf(c) >= 0) {
          List<String> next = new ArrayList<>();
          for (String prefix : acc) {
            for (int d = 0; d < DASHES.length(); d++) {
              next.add(prefix + DASHES.charAt(d));
            }
          }
          acc = next;
          if (acc.size() > MAX_WINDASH_VARIANTS) {
            throw new RuleError(path, "'" + key + "': windash on '" + v + "' makes more than "
                + MAX_WINDASH_VARIANTS + " variants");
          }
        } else {
          append(acc, String.valueOf(c));
        }
      }
      out.addAll(acc);
    }
    return out;
  }

  private ValueTest regex(String path, String key, String pattern, Set<Character> flags) throws RuleError {
    int re2 = 0;
    int jdk = 0;
    if (flags.contains('i')) {
      re2 |= com.google.re2j.Pattern.CASE_INSENSITIVE;
      jdk |= java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE;
    }
    if (flags.contains('m')) {
      re2 |= com.google.re2j.Pattern.MULTILINE;
      jdk |= java.util.regex.Pattern.MULTILINE;
    }
    if (flags.contains('s')) {
      re2 |= com.google.re2j.Pattern.DOTALL;
      jdk |= java.util.regex.Pattern.DOTALL;
    }
    // a literal every match must contain lets most values skip the regex engine entirely
    String required = requiredLiteral(pattern);
    boolean fold = flags.contains('i');
    String needle = required == null ? null : fold ? required.toLowerCase(java.util.Locale.ROOT) : required;
    try {
      com.google.re2j.Pattern p = com.google.re2j.Pattern.compile(pattern, re2);
      if (needle != null) {
        return new ValueTest.Regex(s -> (fold ? s.toLowerCase(java.util.Locale.ROOT) : s).contains(needle)
            && p.matcher(s).find());
      }
      return new ValueTest.Regex(s -> p.matcher(s).find());
    } catch (com.google.re2j.PatternSyntaxException e) {
      try {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern, jdk);
        notes.accept("'" + key + "': regular expression uses features RE2 lacks (" + e.getDescription()
            + "); evaluated with java.util.regex");
        Predicate<String> find = s -> p.matcher(s).find();
        return new ValueTest.Regex(find);
      } catch (java.util.regex.PatternSyntaxException e2) {
        throw new RuleError(path, "'" + key + "': invalid regular expression '" + pattern + "': "
            + e2.getDescription());
      }
    }
  }

  /**
   * The longest run of plain characters that every match of {@code regex} must contain, or null when none of at
   * least three characters can be proven (alternation at top level, or only short literals). Conservative: groups,
   * classes and escapes other than escaped punctuation end a run, and a character followed by a quantifier that
   * allows zero repetitions is not counted.
   */
  static String requiredLiteral(String regex) {
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        return null;
      }
    }
    String best = null;
    StringBuilder run = new StringBuilder();
    depth = 0;
    inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      char lit = 0;
      int width = 1;
      if (inClass) {
        inClass = c != ']';
        continue;
      }
      if (depth > 0) {
        if (c == '\\') {
          i++;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        }
        continue;
      }
      if (c == '\\' && i + 1 < regex.length()) {
        char n = regex.charAt(i + 1);
        if (!Character.isLetterOrDigit(n)) {
          lit = n;
          width = 2;
        }
      } else if (Character.isLetterOrDigit(c) || " :/-_@=,;'\"#%&<>~`!".indexOf(c) >= 0) {
        lit = c;
      }
      if (lit == 0) {
        best = longer(best, run);
        run.setLength(0);
        if (c == '[') {
          inClass = true;
        } else if (c == '(') {
          depth++;
        } else if (c == '\\') {
          i++;
        }
        continue;
      }
      int next = i + width;
      char q = next < regex.length() ? regex.charAt(next) : 0;
      if (q == '*' || q == '?' || q == '{') {
        best = longer(best, run);
        run.setLength(0);
        i = next - 1;
        continue;
      }
      run.append(lit);
      if (q == '+') {
        // one occurrence is required, the rest may vary
        best = longer(best, run);
        run.setLength(0);
        i = next;
        continue;
      }
      i = next - 1;
    }
    best = longer(best, run);
    return best != null && best.length() >= 3 ? best : null;
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > (best == null ? 0 : best.length()) ? run.toString() : best;
  }

  private static ValueTest cidr(String path, String key, String value) throws RuleError {
    String v = value.trim();
    int slash = v.indexOf('/');
    String addr = slash < 0 ? v : v.substring(0, slash);
    byte[] network = IpAddresses.parse(addr);
    if (network == null) {
      throw new RuleError(path, "'" + key + "': '" + value + "' is not a CIDR network (e.g. 10.0.0.0/8, fd00::/8)");
    }
    int max = network.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(v.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new RuleError(path, "'" + key + "': prefix length in '" + value + "' must be 0.." + max);
      }
    }
    return new ValueTest.Cidr(network, prefix);
  }

  /** Compiles a Sigma string (wildcards {@code *} {@code ?}, escapes with backslash) under a match mode. */
  static ValueTest.Text wildcard(String value, String matchMode, boolean cased) {
    // tokens: literal text, or null for '*', or "\0?" marker for '?'
    List<Object> tokens = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    boolean hasWildcard = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char n = value.charAt(i + 1);
        if (n == '*' || n == '?' || n == '\\') {
          lit.append(n);
          i++;
          continue;
        }
        lit.append(c);
        continue;
      }
      if (c == '*' || c == '?') {
        if (lit.length() > 0) {
          tokens.add(lit.toString());
          lit.setLength(0);
        }
        tokens.add(c == '*' ? Wild.STAR : Wild.ONE);
        hasWildcard = true;
        continue;
      }
      lit.append(c);
    }
    if (lit.length() > 0) {
      tokens.add(lit.toString());
    }
    if ("contains".equals(matchMode) || "endswith".equals(matchMode)) {
      tokens.add(0, Wild.STAR);
    }
    if ("contains".equals(matchMode) || "startswith".equals(matchMode)) {
      tokens.add(Wild.STAR);
    }
    // collapse runs of '*'
    List<Object> t = new ArrayList<>();
    for (Object o : tokens) {
      if (o == Wild.STAR && !t.isEmpty() && t.get(t.size() - 1) == Wild.STAR) {
        continue;
      }
      t.add(o);
    }
    boolean innerWild = false;
    for (int i = 0; i < t.size(); i++) {
      Object o = t.get(i);
      if (o == Wild.ONE || (o == Wild.STAR && i > 0 && i < t.size() - 1)) {
        innerWild = true;
      }
    }
    if (!innerWild) {
      boolean lead = !t.isEmpty() && t.get(0) == Wild.STAR;
      boolean trail = t.size() > 1 && t.get(t.size() - 1) == Wild.STAR || (t.size() == 1 && lead);
      String literal = "";
      for (Object o : t) {
        if (o instanceof String s) {
          literal = s;
        }
      }
      if (t.size() == 1 && lead) {
        return new ValueTest.Text(ValueTest.Text.Mode.ANY, "", cased, null);
      }
      ValueTest.Text.Mode mode = lead && trail ? ValueTest.Text.Mode.CONTAINS : lead ? ValueTest.Text.Mode.SUFFIX
          : trail ? ValueTest.Text.Mode.PREFIX : ValueTest.Text.Mode.EXACT;
      return new ValueTest.Text(mode, literal, cased, null);
    }
    StringBuilder regex = new StringBuilder();
    for (Object o : t) {
      if (o == Wild.STAR) {
        regex.append(".*");
      } else if (o == Wild.ONE) {
        regex.append('.');
      } else {
        regex.append(java.util.regex.Pattern.quote((String) o));
      }
    }
    int flags = java.util.regex.Pattern.DOTALL
        | (cased ? 0 : java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
    return new ValueTest.Text(ValueTest.Text.Mode.PATTERN, value, cased,
        java.util.regex.Pattern.compile(regex.toString(), flags));
  }

  private enum Wild { STAR, ONE }
}
