package dev.vigil.detect.sigma;

import dev.vigil.detect.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The descriptive part of a Sigma rule or correlation (everything but detection/correlation), validated against
 * Sigma v2.1, plus ATT&CK techniques and tactics read from its tags.
 *
 * @param source where the rule was read (a file, or {@code builtin:NAME} for Vigil's bundled rules)
 * @param kind   {@code rule} or {@code correlation}
 */
public record RuleHeader(
    String id,
    String name,
    String title,
    String status,
    String description,
    String author,
    String date,
    String level,
    Severity severity,
    List<String> tags,
    List<String> techniques,
    List<String> tactics,
    List<String> references,
    List<String> falsePositives,
    String source,
    String kind) {

  public RuleHeader {
    // immutable once, so that every alert can share them without copying
    tags = List.copyOf(tags);
    techniques = List.copyOf(techniques);
    tactics = List.copyOf(tactics);
    references = List.copyOf(references);
    falsePositives = List.copyOf(falsePositives);
  }

  static final Set<String> STATUSES = Set.of("stable", "test", "experimental", "deprecated", "unsupported");
  static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\\d|3[01])");
  private static final Pattern OLD_DATE = Pattern.compile("\\d{4}/\\d{2}/\\d{2}");
  private static final Pattern TECHNIQUE = Pattern.compile("attack\\.(t\\d{4})(\\.\\d{3})?");
  private static final Pattern TAG = Pattern.compile("[a-z0-9_.\\-]+");
  /** ATT&CK enterprise tactics as Sigma writes them in tags (hyphens; underscores accepted). */
  static final Set<String> TACTICS = Set.of("reconnaissance", "resource-development", "initial-access", "execution",
      "persistence", "privilege-escalation", "defense-evasion", "stealth", "defense-impairment",
      "credential-access", "discovery", "lateral-movement", "collection", "command-and-control", "exfiltration",
      "impact");

  /** Whether this is a correlation rule. */
  public boolean isCorrelation() {
    return kind.equals("correlation");
  }

  /** A short label for messages: the id (or name), and the title. */
  String label() {
    return (id != null ? id : name != null ? name : "(no id)") + (title != null ? " '" + title + "'" : "");
  }

  static RuleHeader parse(Map<String, Object> doc, String source, String kind, Consumer<String> warnings)
      throws RuleError {
    String title = string(doc, "title", true);
    if (title.length() > 256) {
      throw new RuleError("title", "title is longer than 256 characters");
    }
    String id = string(doc, "id", false);
    if (id == null) {
      warnings.accept("has no id; alerts will use its name or title as rule id");
    } else if (!UUID.matcher(id).matches()) {
      warnings.accept("id '" + id + "' is not a UUID (Sigma recommends UUID v4)");
    }
    String name = string(doc, "name", false);
    String status = string(doc, "status", false);
    if (status != null && !STATUSES.contains(status)) {
      throw new RuleError("status", "status '" + status + "' is not one of " + sorted(STATUSES));
    }
    String level = string(doc, "level", false);
    if (level != null && !LEVELS.contains(level)) {
      throw new RuleError("level", "level '" + level + "' is not one of " + sorted(LEVELS));
    }
    for (String d : List.of("date", "modified")) {
      String v = string(doc, d, false);
      if (v != null && !DATE.matcher(v).matches()) {
        if (OLD_DATE.matcher(v).matches()) {
          warnings.accept(d + " '" + v + "' uses the pre-v2 format YYYY/MM/DD (v2 wants YYYY-MM-DD)");
        } else {
          throw new RuleError(d, d + " '" + v + "' is not a date YYYY-MM-DD");
        }
      }
    }
    List<String> tags = strings(doc, "tags");
    List<String> techniques = new ArrayList<>();
    List<String> tactics = new ArrayList<>();
    for (String t : tags) {
      if (!TAG.matcher(t).matches()) {
        warnings.accept("tag '" + t + "' has characters Sigma does not allow in tags (a-z 0-9 _ . -)");
      }
      String lower = t.toLowerCase(Locale.ROOT);
      java.util.regex.Matcher m = TECHNIQUE.matcher(lower);
      if (m.matches()) {
        String tech = m.group(1).toUpperCase(Locale.ROOT) + (m.group(2) == null ? "" : m.group(2));
        if (!techniques.contains(tech)) {
          techniques.add(tech);
        }
      } else if (lower.startsWith("attack.")) {
        String tactic = lower.substring(7).replace('_', '-');
        if (TACTICS.contains(tactic)) {
          if (!tactics.contains(tactic)) {
            tactics.add(tactic);
          }
          if (lower.indexOf('_') > 0) {
            warnings.accept("tag '" + t + "' uses underscores; Sigma v2 writes tactics with hyphens ('attack."
                + tactic + "')");
          }
        }
      }
    }
    Object logsource = doc.get("logsource");
    if (kind.equals("rule")) {
      if (!(logsource instanceof Map<?, ?> ls)) {
        throw new RuleError("logsource", logsource == null ? "logsource is missing" : "logsource must be a map");
      }
      Object product = ls.get("product");
      Object service = ls.get("service");
      if (!"aws".equals(product) || (service != null && !"cloudtrail".equals(service))) {
        throw new RuleError("logsource", "logsource product '" + product + "' service '" + service
            + "' is not AWS CloudTrail (product: aws, service: cloudtrail), the log Vigil evaluates");
      }
    }
    String description = string(doc, "description", false);
    String author = string(doc, "author", false);
    List<String> references = strings(doc, "references");
    List<String> fps = strings(doc, "falsepositives");
    return new RuleHeader(id, name, title, status, description, author, string(doc, "date", false), level,
        level == null ? Severity.MEDIUM : Severity.parse(level), tags, techniques, tactics, references, fps,
        source, kind);
  }

  private static String sorted(Set<String> s) {
    return String.join(", ", new java.util.TreeSet<>(s));
  }

  static String string(Map<String, Object> doc, String key, boolean required) throws RuleError {
    Object v = doc.get(key);
    if (v == null) {
      if (required) {
        throw new RuleError(key, key + " is missing");
      }
      return null;
    }
    if (v instanceof Map || v instanceof List) {
      throw new RuleError(key, key + " must be a string");
    }
    return String.valueOf(v);
  }

  static List<String> strings(Map<String, Object> doc, String key) throws RuleError {
    Object v = doc.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (!(v instanceof List<?> l)) {
      throw new RuleError(key, key + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (o == null || o instanceof Map || o instanceof List) {
        throw new RuleError(key, key + " must be a list of strings, but holds " + (o == null ? "null" : "a "
            + (o instanceof Map ? "map" : "list")));
      }
      out.add(String.valueOf(o));
    }
    return out;
  }
}
