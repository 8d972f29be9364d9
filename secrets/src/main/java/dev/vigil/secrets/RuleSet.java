package dev.vigil.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rules and the global allowlist, loaded from the bundled {@code rules.yaml} and optionally extended by a user
 * file in the same format (YAML or JSON): a user rule with a built-in rule's id replaces it, {@code disable: [ids]}
 * removes rules, and the user's {@code allowlist} is added to the global one.
 */
public final class RuleSet {
  /** A rules file that cannot be used; the message names the file and the rule. */
  public static final class RuleFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuleFileException(String message) {
      super(message);
    }
  }

  public static final String BUILTIN = "rules.yaml";

  private final List<Rule> rules;
  private final Allowlist allowlist;

  public RuleSet(List<Rule> rules, Allowlist allowlist) {
    this.rules = List.copyOf(rules);
    this.allowlist = allowlist;
  }

  public List<Rule> rules() {
    return rules;
  }

  public Allowlist allowlist() {
    return allowlist;
  }

  public Rule rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }

  private static volatile java.util.concurrent.CompletableFuture<RuleSet> prefetched;

  /**
   * Starts parsing the bundled rules (and compiling their regular expressions) on another thread, so that a command
   * can set itself up meanwhile; {@link #builtin()} then waits for that result. Also readies the scanner for them and
   * the JSON writer, whose first use costs class loading.
   */
  public static synchronized void prefetchBuiltin() {
    if (prefetched != null) {
      return;
    }
    java.util.concurrent.CompletableFuture<RuleSet> f = new java.util.concurrent.CompletableFuture<>();
    prefetched = f;
    Thread t = new Thread(() -> {
      try {
        RuleSet set = parseBuiltin();
        SecretScanner.forRules(set);
        f.complete(set);
        SecretReports.warmUp();
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "vigil-rules");
    t.setDaemon(true);
    t.start();
  }

  /** The bundled rules. */
  public static RuleSet builtin() {
    java.util.concurrent.CompletableFuture<RuleSet> f = prefetched;
    if (f != null) {
      try {
        return f.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error r) {
          throw r;
        }
        throw e;
      }
    }
    return parseBuiltin();
  }

  private static RuleSet parseBuiltin() {
    try (InputStream in = RuleSet.class.getResourceAsStream(BUILTIN)) {
      if (in == null) {
        throw new IllegalStateException("bundled " + BUILTIN + " is missing from the jar");
      }
      return parse(in, "built-in " + BUILTIN, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bundled rules extended by the user's files, in order. */
  public static RuleSet load(List<Path> userFiles) {
    RuleSet set = builtin();
    for (Path f : userFiles) {
      try (InputStream in = Files.newInputStream(f)) {
        set = parse(in, f.toString(), set);
      } catch (IOException e) {
        throw new RuleFileException("cannot read rules file " + f + ": " + e.getMessage());
      }
    }
    return set;
  }

  /** Parses one rules document; with a base set, merges into it (override by id, disable, extra allowlist). */
  @SuppressWarnings("unchecked")
  public static RuleSet parse(InputStream in, String name, RuleSet base) {
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().setLabel(name).build()).loadFromInputStream(in);
    } catch (RuntimeException e) {
      throw new RuleFileException(name + ": not valid YAML or JSON: " + firstLine(e.getMessage()));
    }
    if (!(doc instanceof Map<?, ?> top)) {
      throw new RuleFileException(name + ": expected a mapping with 'rules:' at the top");
    }
    LinkedHashMap<String, Rule> byId = new LinkedHashMap<>();
    if (base != null) {
      base.rules.forEach(r -> byId.put(r.id(), r));
    }
    Object list = top.get("rules");
    if (list != null && !(list instanceof List<?>)) {
      throw new RuleFileException(name + ": 'rules' must be a list");
    }
    int index = 0;
    LinkedHashMap<String, Rule> added = new LinkedHashMap<>();
    for (Object o : list == null ? List.of() : (List<Object>) list) {
      index++;
      if (!(o instanceof Map<?, ?> m)) {
        throw new RuleFileException(name + ": rule #" + index + " is not a mapping");
      }
      Rule r = rule((Map<String, Object>) m, name, index);
      if (byId.containsKey(r.id())) {
        byId.put(r.id(), r); // replaces the rule in place
      } else if (added.put(r.id(), r) != null) {
        throw new RuleFileException(name + ": rule id '" + r.id() + "' appears twice");
      }
    }
    if (base != null && !added.isEmpty()) {
      // a user's new rules are specific to their secrets: they go before the built-in (and generic) ones, so they
      // win when both find the same span
      LinkedHashMap<String, Rule> merged = new LinkedHashMap<>(added);
      merged.putAll(byId);
      byId.clear();
      byId.putAll(merged);
    } else {
      byId.putAll(added);
    }
    for (String id : strings(top.get("disable"), name, "disable")) {
      if (byId.remove(id) == null) {
        throw new RuleFileException(name + ": 'disable' names an unknown rule '" + id + "'");
      }
    }
    Allowlist global = allowlist(top.get("allowlist"), name + " allowlist");
    if (base != null) {
      global = base.allowlist.plus(global);
    }
    List<Rule> rules = new ArrayList<>(byId.values());
    for (Rule r : rules) {
      if (r.requires() != null && !byId.containsKey(r.requires())) {
        throw new RuleFileException(name + ": rule " + r.id() + " requires unknown rule '" + r.requires() + "'");
      }
    }
    return new RuleSet(rules, global);
  }

  @SuppressWarnings("unchecked")
  private static Rule rule(Map<String, Object> m, String file, int index) {
    String id = str(m.get("id"));
    String where = file + ": rule " + (id == null ? "#" + index : id);
    if (id == null || !id.matches("[a-z0-9][a-z0-9.-]*")) {
      throw new RuleFileException(where + ": 'id' is required (lower-case letters, digits, '-', '.')");
    }
    String regex = str(m.get("regex"));
    if (regex == null) {
      throw new RuleFileException(where + ": 'regex' is required");
    }
    RuleRegex compiled;
    try {
      compiled = RuleRegex.compile(regex, str(m.get("engine")));
    } catch (RuntimeException e) {
      throw new RuleFileException(where + ": bad regex: " + firstLine(e.getMessage()));
    }
    List<String> keywords = strings(m.get("keywords"), where, "keywords");
    if (keywords.isEmpty()) {
      throw new RuleFileException(where + ": 'keywords' must list at least one keyword (the prefilter needs it)");
    }
    for (String k : keywords) {
      if (!k.chars().allMatch(c -> c < 128)) {
        throw new RuleFileException(where + ": keyword '" + k + "' is not ASCII");
      }
    }
    int group = m.containsKey("secretGroup") ? num(m.get("secretGroup"), where).intValue()
        : compiled.groupCount() > 0 ? 1 : 0;
    if (group > compiled.groupCount()) {
      throw new RuleFileException(where + ": secretGroup " + group + " but the regex has " + compiled.groupCount()
          + " group(s)");
    }
    String validator = str(m.get("validator"));
    if (validator != null && !Validators.exists(validator)) {
      throw new RuleFileException(where + ": unknown validator '" + validator + "' (known: "
          + new java.util.TreeSet<>(Validators.names()) + ")");
    }
    Severity severity;
    try {
      severity = Severity.parse(str(m.get("severity")));
    } catch (IllegalArgumentException e) {
      throw new RuleFileException(where + ": severity must be info, low, medium, high or critical");
    }
    Map<String, Object> pair = m.get("pair") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
    Map<String, Object> examples = m.get("examples") instanceof Map<?, ?> e ? (Map<String, Object>) e : Map.of();
    String title = str(m.get("title"));
    return new Rule(id, title == null ? id : title, str(m.get("description")), severity, keywords, compiled, group,
        m.containsKey("entropy") ? num(m.get("entropy"), where).doubleValue() : 0,
        validator,
        m.containsKey("window") ? num(m.get("window"), where).intValue() : 0,
        m.containsKey("contextLines") ? num(m.get("contextLines"), where).intValue() : 0,
        str(m.get("requires")),
        str(pair.get("group")), str(pair.get("role")),
        allowlist(m.get("allowlist"), where + " allowlist"),
        strings(m.get("references"), where, "references"),
        strings(examples.get("match"), where, "examples.match"),
        strings(examples.get("no_match"), where, "examples.no_match"));
  }

  @SuppressWarnings("unchecked")
  static Allowlist allowlist(Object o, String where) {
    if (o == null) {
      return Allowlist.EMPTY;
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw new RuleFileException(where + ": must be a mapping (paths, stopwords, regexes)");
    }
    Map<String, Object> a = (Map<String, Object>) m;
    return new Allowlist(patterns(a.get("paths"), where + ".paths"), strings(a.get("stopwords"), where, "stopwords"),
        patterns(a.get("regexes"), where + ".regexes"), strings(a.get("lineMarkers"), where, "lineMarkers"));
  }

  private static List<Pattern> patterns(Object o, String where) {
    List<Pattern> out = new ArrayList<>();
    for (String s : strings(o, where, "")) {
      try {
        out.add(Pattern.compile(s));
      } catch (PatternSyntaxException e) {
        throw new RuleFileException(where + ": bad regex '" + s + "': " + firstLine(e.getMessage()));
      }
    }
    return out;
  }

  private static List<String> strings(Object o, String where, String field) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l)) {
      throw new RuleFileException(where + ": '" + field + "' must be a list");
    }
    List<String> out = new ArrayList<>();
    for (Object x : l) {
      if (x == null || x instanceof Map<?, ?> || x instanceof List<?>) {
        throw new RuleFileException(where + ": '" + field + "' entry " + x + " is not a plain string (quote it if "
            + "it ends with ':')");
      }
      out.add(x.toString());
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  private static Number num(Object o, String where) {
    if (o instanceof Number n) {
      return n;
    }
    throw new RuleFileException(where + ": expected a number, got '" + o + "'");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
