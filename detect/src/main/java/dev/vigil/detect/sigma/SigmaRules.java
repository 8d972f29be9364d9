package dev.vigil.detect.sigma;

import dev.vigil.detect.Detector;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Entry point of the Sigma engine: loads Sigma v2.1 rules and correlations (Vigil's bundled rules and the user's
 * files) and compiles them once into a {@link Detector}.
 */
public final class SigmaRules {

  /** A rule (or file) that could not be loaded, and exactly why. */
  public record Rejection(String source, String rule, String reason) {
    @Override
    public String toString() {
      return source + (rule != null ? ": rule " + rule : "") + ": " + reason;
    }
  }

  /**
   * Everything a load produced.
   *
   * @param ruleSet  the compiled detector (rules and correlations that loaded)
   * @param loaded   the header of every loaded rule and correlation, in load order
   * @param rejected what could not be loaded, with the reason
   * @param warnings remarks that did not stop a rule (old date format, converted aggregations...)
   * @param files    how many files were read
   */
  public record Loaded(SigmaRuleSet ruleSet, List<RuleHeader> loaded, List<Rejection> rejected,
      List<String> warnings, int files) {}

  private SigmaRules() {}

  /**
   * Loads and compiles rules from files and folders (plus Vigil's bundled rules when {@code builtin}).
   *
   * @param placeholders values for {@code |expand} placeholders, by name (with or without the percent signs)
   * @param warnings     receives one line per rejected rule
   */
  public static Detector load(List<Path> paths, boolean builtin, Map<String, List<String>> placeholders,
      Consumer<String> warnings) {
    Loaded l = loadAll(paths, builtin, placeholders);
    for (Rejection r : l.rejected()) {
      warnings.accept("Sigma rule rejected: " + r);
    }
    return l.ruleSet();
  }

  /** Loads and compiles, returning the full account of what loaded and what did not. */
  public static Loaded loadAll(List<Path> paths, boolean builtin, Map<String, List<String>> placeholders) {
    SigmaLoader loader = new SigmaLoader(placeholders);
    if (builtin) {
      loader.loadBuiltin();
    }
    for (Path p : paths) {
      loader.loadPath(p);
    }
    return finish(loader);
  }

  /** Compiles rules given as YAML text (one or more documents), e.g. for tests and tools. */
  public static Loaded fromYaml(String yaml, Map<String, List<String>> placeholders) {
    SigmaLoader loader = new SigmaLoader(placeholders);
    try {
      loader.load(new StringReader(yaml), "(inline)");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return finish(loader);
  }

  /** Vigil's bundled rules only. */
  public static Loaded builtin() {
    return loadAll(List.of(), true, Map.of());
  }

  private static Loaded finish(SigmaLoader loader) {
    loader.resolve();
    SigmaRuleSet set = new SigmaRuleSet(loader.rules(), loader.correlations(), CorrelationEngine.Limits.DEFAULT);
    List<RuleHeader> headers = new ArrayList<>();
    for (SigmaRule r : loader.rules()) {
      if (r.header.id() != null || r.header.name() != null || r.generate) {
        if (!r.header.title().endsWith(" (matching events)") || r.header.id() != null) {
          headers.add(r.header);
        }
      }
    }
    for (CorrelationRule c : loader.correlations()) {
      headers.add(c.header);
    }
    return new Loaded(set, List.copyOf(headers), List.copyOf(loader.rejected()), List.copyOf(loader.warnings()),
        loader.files());
  }
}
