package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading GitHub Actions expressions: which contexts ({@code github.event.issue.title}, secrets...) they use. */
public final class Contexts {
  private Contexts() {}

  private static final Pattern CONTEXT = Pattern.compile(
      "(?<![\\w.'\"-])(github|env|inputs|steps|needs|matrix|vars|secrets|job|jobs|runner|strategy)"
          + "((?:\\.[A-Za-z0-9_*-]+|\\[[^\\]]*\\])*)");
  private static final Pattern SECRET = Pattern.compile(
      "secrets\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_-]*)|\\[\\s*['\"]([^'\"]+)['\"]\\s*\\])");
  private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern INDEX_LITERAL = Pattern.compile("\\[\\s*'([A-Za-z0-9_-]+)'\\s*\\]");

  /**
   * The context references in an expression body, normalised to dotted form ({@code needs['x'].result} becomes
   * {@code needs.x.result}); string literals are skipped.
   */
  public static List<String> references(String expression) {
    String e = INDEX_LITERAL.matcher(expression).replaceAll(".$1");
    e = STRING_LITERAL.matcher(e).replaceAll("''");
    List<String> out = new ArrayList<>();
    Matcher m = CONTEXT.matcher(e);
    while (m.find()) {
      String path = m.group(2).replaceAll("\\[\\s*''\\s*\\]", ".*").replaceAll("\\[\\s*['\"]?([^'\"\\]]*)['\"]?\\s*\\]",
          ".$1");
      out.add(m.group(1) + path);
    }
    return out;
  }

  /** Names of the secrets an expression or text mentions ({@code secrets.NAME}, {@code secrets['NAME']}). */
  public static Set<String> secretNames(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null || !text.contains("secrets")) {
      return out;
    }
    Matcher m = SECRET.matcher(text);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }

  /** Secret names referenced anywhere below a node (values of env:, with:, secrets: ...). */
  public static Set<String> secretNames(YNode node) {
    Set<String> out = new LinkedHashSet<>();
    if (node != null) {
      node.scalars(s -> out.addAll(secretNames(s.text())));
    }
    return out;
  }

  /** True for an expression that evaluates to a boolean (comparison or test function), safe in any sink. */
  public static boolean booleanExpression(String expression) {
    String e = STRING_LITERAL.matcher(expression).replaceAll("''").trim();
    if (e.contains("==") || e.contains("!=") || e.contains("<") || e.contains(">")) {
      return !e.contains("||") && !e.contains("&&");
    }
    return e.startsWith("!") || e.matches("(?i)(contains|startsWith|endsWith|success|failure|always|cancelled)\\s*\\(.*");
  }
}
