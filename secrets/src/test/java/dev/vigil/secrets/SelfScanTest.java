package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vigil's own tree holds no credential-shaped literal: rule examples are templates and test tokens are generated.
 * Scanning the repository (sources, docs, rules, benchmark scripts; build output is gitignored) finds nothing,
 * which also checks the rules for false positives on their own text.
 */
class SelfScanTest {
  @Test
  void theProjectTreeHasNoFindings() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("secrets/pom.xml"))) {
      root = root.getParent();
    }
    assertThat(root).as("repository root").isNotNull();
    SecretScan.Options o = new SecretScan.Options(false, true, SecretScan.Options.DEFAULT_MAX_FILE_BYTES, 2);
    SecretScan.Result r = new SecretScan(new SecretScanner(RuleSet.builtin()), o).run(List.of(root), null, null);
    assertThat(r.report().files()).isGreaterThan(20);
    assertThat(r.findings()).extracting(f -> f.ruleId() + " " + f.path() + ":" + f.line()).isEmpty();
  }
}
