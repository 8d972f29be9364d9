package dev.vigil.detect.sigma;

import dev.vigil.detect.Detector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Entry point of the Sigma engine. PLACEHOLDER until the Sigma engine lands (issue 3). */
public final class SigmaRules {
  private SigmaRules() {}

  /**
   * Loads and compiles rules from files and folders (plus Vigil's bundled rules when {@code builtin}).
   *
   * @param placeholders values for {@code |expand} placeholders
   * @param warnings     receives one line per rejected rule
   */
  public static Detector load(List<Path> paths, boolean builtin, Map<String, List<String>> placeholders,
      Consumer<String> warnings) {
    return (event, alerts) -> {};
  }
}
