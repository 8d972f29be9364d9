package dev.vigil.detect.sigma;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads, validates and compiles Sigma files into rules and correlations, collecting precise rejections. */
final class SigmaLoader {
  static final String BUILTIN_DIR = "/dev/vigil/rules/sigma/";
  private static final Pattern TIMESPAN = Pattern.compile("(\\d+)([smhdwMy])");
  private static final Pattern AGGREGATION = Pattern.compile(
      "\\s*(count|sum|avg|min|max)\\s*\\(\\s*([^)\\s]*)\\s*\\)\\s*(?:by\\s+([\\w.@\\-]+(?:\\s*,\\s*[\\w.@\\-]+)*))?"
          + "\\s*(>=|<=|==|!=|>|<|=)\\s*(\\d+(?:\\.\\d+)?)\\s*");

  private final Map<String, List<String>> placeholders;
  private final List<SigmaRule> rules = new ArrayList<>();
  private final List<CorrelationRule> correlations = new ArrayList<>();
  private final List<SigmaRules.Rejection> rejected = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<CorrelationRule, String> correlationOrigins = new HashMap<>();
  private final Map<String, String> idOrigins = new HashMap<>();
  private int files;

  SigmaLoader(Map<String, List<String>> placeholders) {
    Map<String, List<String>> p = new HashMap<>();
    placeholders.forEach((k, v) -> p.put(k.replaceAll("^%|%$", ""), v));
    this.placeholders = p;
  }

  int files() {
    return files;
  }

  List<SigmaRule> rules() {
    return rules;
  }

  List<CorrelationRule> correlations() {
    return correlations;
  }

  List<SigmaRules.Rejection> rejected() {
    return rejected;
  }

  List<String> warnings() {
    return warnings;
  }

  /** Loads a rule file or every .yml/.yaml file under a directory. A path that does not exist is a rejection. */
  void loadPath(Path path) {
    if (Files.isDirectory(path)) {
      List<Path> found;
      try (Stream<Path> s = Files.walk(path)) {
        found = s.filter(Files::isRegularFile).filter(p -> {
          String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
          return n.endsWith(".yml") || n.endsWith(".yaml");
        }).sorted().toList();
      } catch (IOException e) {
        rejected.add(new SigmaRules.Rejection(path.toString(), null, "cannot read directory: " + e.getMessage()));
        return;
      }
      if (found.isEmpty()) {
        warnings.add(path + ": no .yml or .yaml files");
      }
      found.forEach(this::loadFile);
    } else if (Files.isRegularFile(path)) {
      loadFile(path);
    } else {
      rejected.add(new SigmaRules.Rejection(path.toString(), null, "no such file or directory"));
    }
  }

  private void loadFile(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      load(r, file.toString());
    } catch (IOException e) {
      rejected.add(new SigmaRules.Rejection(file.toString(), null, "cannot read: " + e.getMessage()));
    }
  }

  /** Loads Vigil's bundled rules, listed in {@code index.txt} beside them. */
  void loadBuiltin() {
    try (InputStream idx = SigmaLoader.class.getResourceAsStream(BUILTIN_DIR + "index.txt")) {
      if (idx == null) {
        throw new IllegalStateException("bundled Sigma rule index missing from the jar");
      }
      for (String name : new String(idx.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        name = name.trim();
        if (name.isEmpty() || name.startsWith("#")) {
          continue;
        }
        try (InputStream in = SigmaLoader.class.getResourceAsStream(BUILTIN_DIR + name)) {
          if (in == null) {
            throw new IllegalStateException("bundled Sigma rule " + name + " listed in index.txt but missing");
          }
          load(new InputStreamReader(in, StandardCharsets.UTF_8), "builtin:" + name);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void load(Reader reader, String source) throws IOException {
    files++;
    List<SigmaYaml.Doc> docs;
    try {
      docs = SigmaYaml.read(reader, source);
    } catch (SigmaYaml.SyntaxError e) {
      rejected.add(new SigmaRules.Rejection(source, null, e.getMessage()));
      return;
    }
    Map<String, Object> global = null;
    Map<String, Object> previous = null;
    for (SigmaYaml.Doc doc : docs) {
      String where = docs.size() > 1 ? source + " (document " + (doc.index() + 1) + ")" : source;
      if (doc.root() == null) {
        continue;
      }
      if (!(doc.root() instanceof Map<?, ?>)) {
        rejected.add(new SigmaRules.Rejection(where, null, "a Sigma rule must be a YAML map, not "
            + (doc.root() instanceof List ? "a list" : "a plain value")));
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> root = (Map<String, Object>) doc.root();
      // Sigma v1 rule collections: action global / reset / repeat
      Object action = root.get("action");
      if ("global".equals(action)) {
        global = new LinkedHashMap<>(root);
        global.remove("action");
        continue;
      }
      if ("reset".equals(action)) {
        global = null;
        continue;
      }
      Map<String, Object> merged = root;
      if ("repeat".equals(action)) {
        if (previous == null) {
          rejected.add(new SigmaRules.Rejection(where, null, "'action: repeat' without a previous document"));
          continue;
        }
        merged = merge(previous, root);
        merged.remove("action");
      } else if (action != null) {
        rejected.add(new SigmaRules.Rejection(where, null, "unknown action '" + action
            + "' (rule collections know global, reset and repeat)"));
        continue;
      }
      if (global != null) {
        merged = merge(global, merged);
      }
      previous = merged;
      loadDocument(merged, doc, source, where);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    over.forEach((k, v) -> {
      Object b = out.get(k);
      if (b instanceof Map && v instanceof Map) {
        out.put(k, merge((Map<String, Object>) b, (Map<String, Object>) v));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }

  private void loadDocument(Map<String, Object> root, SigmaYaml.Doc doc, String source, String where) {
    // name the rule in messages even when its header is what is wrong
    Object rawId = root.get("id") != null ? root.get("id") : root.get("name");
    Object rawTitle = root.get("title");
    String label = rawId == null && rawTitle == null ? null
        : (rawId != null ? String.valueOf(rawId) : "(no id)") + (rawTitle instanceof String t ? " '" + t + "'" : "");
    List<String> notes = new ArrayList<>();
    try {
      if (root.containsKey("filter") && !root.containsKey("detection")) {
        throw new RuleError("filter", "Sigma filters (meta filters) are not supported by Vigil; "
            + "write the exclusion into the rule's detection instead");
      }
      boolean correlation = root.containsKey("correlation");
      if (!correlation && !root.containsKey("detection")) {
        throw new RuleError("", "neither 'detection' nor 'correlation': not a Sigma rule");
      }
      RuleHeader header = RuleHeader.parse(root, source, correlation ? "correlation" : "rule", notes::add);
      label = header.label();
      if (header.id() != null && idOrigins.containsKey(header.id())) {
        throw new RuleError("id", "duplicate rule id " + header.id() + " (already loaded from "
            + idOrigins.get(header.id()) + ")");
      }
      if (correlation) {
        CorrelationRule c = correlation(header, root);
        correlations.add(c);
        correlationOrigins.put(c, where);
      } else {
        compileRule(header, root);
      }
      if (header.id() != null) {
        idOrigins.put(header.id(), where);
      }
      for (String n : notes) {
        warnings.add(where + ": rule " + header.label() + ": " + n);
      }
    } catch (RuleError e) {
      String at = doc.where(e.path);
      rejected.add(new SigmaRules.Rejection(where, label, (at.isEmpty() ? "" : at + ": ") + e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private void compileRule(RuleHeader header, Map<String, Object> root) throws RuleError {
    Object det = root.get("detection");
    if (!(det instanceof Map<?, ?>)) {
      throw new RuleError("detection", "detection must be a map of search identifiers and a condition");
    }
    Map<String, Object> detection = (Map<String, Object>) det;
    List<String> notes = new ArrayList<>();
    DetectionCompiler compiler = new DetectionCompiler(placeholders, notes::add);
    Map<String, EventMatcher> ids = compiler.identifiers(detection);
    Object cond = detection.get("condition");
    if (cond == null) {
      throw new RuleError("detection", "detection has no condition");
    }
    List<String> conditions = new ArrayList<>();
    if (cond instanceof List<?> l) {
      for (Object o : l) {
        conditions.add(String.valueOf(o));
      }
    } else if (cond instanceof String s) {
      conditions.add(s);
    } else {
      throw new RuleError("detection/condition", "condition must be a string or a list of strings");
    }
    Object timeframe = detection.get("timeframe");
    List<Condition> parsed = new ArrayList<>();
    String aggregation = null;
    for (String c : conditions) {
      int pipe = c.indexOf('|');
      if (pipe >= 0) {
        if (conditions.size() > 1) {
          throw new RuleError("detection/condition", "an aggregation ('" + c.substring(pipe).trim()
              + "') in a list of conditions cannot be converted");
        }
        aggregation = c.substring(pipe + 1).trim();
        parsed.add(new Condition.Parser(c.substring(0, pipe), ids).parse());
      } else {
        parsed.add(new Condition.Parser(c, ids).parse());
      }
    }
    Condition condition = parsed.size() == 1 ? parsed.get(0) : new Condition.Or(parsed);
    if (aggregation == null && timeframe != null) {
      throw new RuleError("detection/timeframe", "'timeframe: " + timeframe + "' belongs to an old-style "
          + "aggregation, but the condition '" + conditions.get(0) + "' has none: one event cannot match "
          + "several selections that describe different events; rewrite it as a Sigma correlation rule "
          + "(type temporal or temporal_ordered)");
    }
    for (String n : notes) {
      warnings.add(header.source() + ": rule " + header.label() + ": " + n);
    }
    if (aggregation == null) {
      SigmaRule rule = new SigmaRule(header, ids, condition);
      rule.ordinal = rules.size();
      rules.add(rule);
      return;
    }
    convertAggregation(header, ids, condition, conditions.get(0), aggregation, timeframe);
  }

  /** Turns {@code selection | count() by x > N} with a timeframe into a base rule plus a correlation. */
  private void convertAggregation(RuleHeader header, Map<String, EventMatcher> ids, Condition condition,
      String written, String aggregation, Object timeframe) throws RuleError {
    if (aggregation.toLowerCase(Locale.ROOT).startsWith("near")) {
      throw new RuleError("detection/condition", "old-style 'near' aggregation ('" + aggregation + "')"
          + (timeframe == null ? " without a timeframe" : "") + " cannot be converted: rewrite it as a Sigma "
          + "correlation rule of type temporal_ordered (or temporal) over two named rules");
    }
    Matcher m = AGGREGATION.matcher(aggregation);
    if (!m.matches()) {
      throw new RuleError("detection/condition", "old-style aggregation '" + aggregation + "' is not of the form "
          + "count|sum|avg([field]) [by field[, field]] OP NUMBER");
    }
    if (timeframe == null) {
      throw new RuleError("detection/condition", "old-style aggregation '" + aggregation
          + "' has no 'timeframe' under detection, so it cannot become a correlation (timespan is mandatory)");
    }
    String function = m.group(1);
    String field = m.group(2).isEmpty() ? null : m.group(2);
    CorrelationRule.Type type = switch (function) {
      case "count" -> field == null ? CorrelationRule.Type.EVENT_COUNT : CorrelationRule.Type.VALUE_COUNT;
      case "sum" -> CorrelationRule.Type.VALUE_SUM;
      case "avg" -> CorrelationRule.Type.VALUE_AVG;
      default -> throw new RuleError("detection/condition", "old-style aggregation '" + function
          + "()' has no Sigma v2.1 correlation equivalent Vigil evaluates (count, sum and avg convert)");
    };
    if (type != CorrelationRule.Type.EVENT_COUNT && field == null) {
      throw new RuleError("detection/condition", function + "() needs a field");
    }
    String op = switch (m.group(4)) {
      case ">" -> "gt";
      case ">=" -> "gte";
      case "<" -> "lt";
      case "<=" -> "lte";
      case "!=" -> "neq";
      default -> "eq";
    };
    long span = timespan(String.valueOf(timeframe), "detection/timeframe");
    List<String> groupBy = new ArrayList<>();
    if (m.group(3) != null) {
      for (String g : m.group(3).split(",")) {
        groupBy.add(g.trim());
      }
    }
    RuleHeader baseHeader = new RuleHeader(null, null, header.title() + " (matching events)", header.status(),
        header.description(), header.author(), header.date(), header.level(), header.severity(), header.tags(),
        header.techniques(), header.tactics(), header.references(), header.falsePositives(), header.source(),
        "rule");
    SigmaRule base = new SigmaRule(baseHeader, ids, condition);
    base.ordinal = rules.size();
    rules.add(base);
    RuleHeader corrHeader = new RuleHeader(header.id(), header.name(), header.title(), header.status(),
        header.description(), header.author(), header.date(), header.level(), header.severity(), header.tags(),
        header.techniques(), header.tactics(), header.references(), header.falsePositives(), header.source(),
        "correlation");
    Map<String, BigDecimal> cond = new LinkedHashMap<>();
    cond.put(op, new BigDecimal(m.group(5)));
    CorrelationRule c = new CorrelationRule(corrHeader, type, List.of(), groupBy, span, String.valueOf(timeframe),
        cond, field, Map.of(), false);
    c.targets.add(base);
    c.convertedFrom = written.trim();
    c.ordinal = correlations.size();
    base.generate = false;
    correlations.add(c);
    correlationOrigins.put(c, header.source());
    warnings.add(header.source() + ": rule " + header.label() + ": old-style aggregation '" + written.trim()
        + "' (timeframe " + timeframe + ") converted to a correlation of type " + type.sigmaName());
  }

  @SuppressWarnings("unchecked")
  private CorrelationRule correlation(RuleHeader header, Map<String, Object> root) throws RuleError {
    if (!(root.get("correlation") instanceof Map<?, ?> raw)) {
      throw new RuleError("correlation", "correlation must be a map");
    }
    Map<String, Object> c = (Map<String, Object>) raw;
    Object typeText = c.get("type");
    CorrelationRule.Type type;
    try {
      type = CorrelationRule.Type.valueOf(String.valueOf(typeText).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RuleError("correlation/type", typeText == null ? "correlation type is missing"
          : "correlation type '" + typeText + "' is not one Vigil evaluates (event_count, value_count, temporal, "
          + "temporal_ordered, value_sum, value_avg)");
    }
    List<String> refs = RuleHeader.strings(c, "rules");
    if (refs.isEmpty()) {
      throw new RuleError("correlation/rules", "correlation names no rules");
    }
    List<String> groupBy = RuleHeader.strings(c, "group-by");
    Object ts = c.get("timespan");
    if (ts == null) {
      throw new RuleError("correlation", "correlation timespan is missing");
    }
    long span = timespan(String.valueOf(ts), "correlation/timespan");
    Map<String, BigDecimal> cond = new LinkedHashMap<>();
    String field = null;
    Object condRaw = c.get("condition");
    if (condRaw != null) {
      if (!(condRaw instanceof Map<?, ?> cm)) {
        throw new RuleError("correlation/condition", "correlation condition must be a map such as {gte: 10}");
      }
      for (Map.Entry<?, ?> e : cm.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (k.equals("field")) {
          field = e.getValue() instanceof String s ? s : null;
          if (field == null) {
            throw new RuleError("correlation/condition/field", "condition field must be one field name");
          }
          continue;
        }
        if (!List.of("gt", "gte", "lt", "lte", "eq", "neq").contains(k)) {
          throw new RuleError("correlation/condition/" + k, "condition operator '" + k
              + "' is not one of gt, gte, lt, lte, eq, neq");
        }
        if (!(e.getValue() instanceof Number n)) {
          throw new RuleError("correlation/condition/" + k, "condition " + k + " needs a number, not '"
              + e.getValue() + "'");
        }
        cond.put(k, new BigDecimal(n.toString()));
      }
    }
    boolean temporal = type == CorrelationRule.Type.TEMPORAL || type == CorrelationRule.Type.TEMPORAL_ORDERED;
    if (!temporal && cond.isEmpty()) {
      throw new RuleError("correlation", type.sigmaName() + " needs a condition such as {gte: 10}");
    }
    boolean needsField = type == CorrelationRule.Type.VALUE_COUNT || type == CorrelationRule.Type.VALUE_SUM
        || type == CorrelationRule.Type.VALUE_AVG;
    if (needsField && field == null) {
      throw new RuleError("correlation/condition", type.sigmaName() + " needs 'field' in its condition");
    }
    if (!needsField && field != null) {
      throw new RuleError("correlation/condition/field", type.sigmaName() + " takes no 'field'");
    }
    if (temporal && refs.size() < 2) {
      throw new RuleError("correlation/rules", type.sigmaName() + " needs at least two rules");
    }
    Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
    Object al = c.get("aliases");
    if (al != null) {
      if (!(al instanceof Map<?, ?> am)) {
        throw new RuleError("correlation/aliases", "aliases must be a map alias → {rule name: field}");
      }
      for (Map.Entry<?, ?> e : am.entrySet()) {
        if (!(e.getValue() instanceof Map<?, ?> per)) {
          throw new RuleError("correlation/aliases/" + e.getKey(), "alias '" + e.getKey()
              + "' must map rule names to field names");
        }
        Map<String, String> m = new LinkedHashMap<>();
        per.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        aliases.put(String.valueOf(e.getKey()), m);
      }
    }
    Object gen = root.containsKey("generate") ? root.get("generate") : c.get("generate");
    if (gen != null && !(gen instanceof Boolean)) {
      throw new RuleError("generate", "generate must be true or false");
    }
    CorrelationRule rule = new CorrelationRule(header, type, refs, groupBy, span, String.valueOf(ts), cond, field,
        aliases, Boolean.TRUE.equals(gen));
    rule.ordinal = correlations.size();
    return rule;
  }

  static long timespan(String text, String path) throws RuleError {
    Matcher m = TIMESPAN.matcher(text.trim());
    if (!m.matches()) {
      throw new RuleError(path, "timespan '" + text + "' is not a number followed by s, m, h, d (e.g. 10m)");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      case "w" -> 7 * 86_400_000L;
      case "M" -> 30 * 86_400_000L;
      default -> 365 * 86_400_000L;
    };
    if (n <= 0) {
      throw new RuleError(path, "timespan '" + text + "' must be positive");
    }
    return n * unit;
  }

  /** Resolves correlation references once everything is loaded; rejects correlations whose references fail. */
  void resolve() {
    Map<String, Object> byKey = new HashMap<>();
    for (SigmaRule r : rules) {
      if (r.header.id() != null) {
        byKey.putIfAbsent(r.header.id(), r);
      }
      if (r.header.name() != null) {
        byKey.putIfAbsent(r.header.name(), r);
      }
    }
    for (CorrelationRule c : correlations) {
      if (c.header.id() != null) {
        byKey.putIfAbsent(c.header.id(), c);
      }
      if (c.header.name() != null) {
        byKey.putIfAbsent(c.header.name(), c);
      }
    }
    boolean changed = true;
    List<CorrelationRule> ok = new ArrayList<>(correlations);
    while (changed) {
      changed = false;
      for (CorrelationRule c : new ArrayList<>(ok)) {
        if (c.convertedFrom != null) {
          continue;
        }
        c.targets.clear();
        String problem = null;
        for (String ref : c.ruleRefs) {
          Object t = byKey.get(ref);
          if (t == null || (t instanceof CorrelationRule tc && !ok.contains(tc))) {
            problem = "correlation refers to rule '" + ref + "', which " + (t == null
                ? "is not loaded (give the file that defines it; references are rule ids or names)"
                : "was rejected");
            break;
          }
          if (t == c) {
            problem = "correlation refers to itself";
            break;
          }
          c.targets.add(t);
        }
        if (problem == null && reaches(c, c, new java.util.HashSet<>())) {
          problem = "correlation chain loops back to itself";
        }
        if (problem != null) {
          ok.remove(c);
          rejected.add(new SigmaRules.Rejection(correlationOrigins.get(c), c.header.label(), problem));
          if (c.header.id() != null) {
            idOrigins.remove(c.header.id());
          }
          changed = true;
        }
      }
    }
    correlations.retainAll(ok);
    for (CorrelationRule c : correlations) {
      if (c.generateReferenced) {
        continue;
      }
      for (Object t : c.targets) {
        if (t instanceof SigmaRule r) {
          r.generate = false;
        } else {
          ((CorrelationRule) t).generate = false;
        }
      }
    }
  }

  private static boolean reaches(CorrelationRule from, CorrelationRule target, java.util.Set<Object> seen) {
    for (Object t : from.targets) {
      if (t instanceof CorrelationRule c && seen.add(c)) {
        if (c == target || reaches(c, target, seen)) {
          return true;
        }
      }
    }
    return false;
  }
}
