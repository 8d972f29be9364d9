package dev.vigil.detect.sigma;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.EventReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the third-party corpora are; fails loudly (never skips) when they are missing. */
final class Corpora {
  private Corpora() {}

  static Path shared() {
    String prop = System.getProperty("vigil.shared");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
    if (!Files.isDirectory(p.resolve("corpora"))) {
      throw new IllegalStateException("the shared corpora are missing: expected " + p.toAbsolutePath()
          + "/corpora (set -Dvigil.shared=DIR; the root pom sets it to ../shared)");
    }
    return p;
  }

  static Path sigmaAws() {
    return shared().resolve("corpora/sigma-aws");
  }

  static Path stratusLogs() {
    return shared().resolve("corpora/cloudtrail/stratus-red-team/docs/detonation-logs");
  }

  static Path panther() {
    return shared().resolve("corpora/cloudtrail/panther-analysis-tests/cloudtrail_rule_tests.jsonl");
  }

  static List<AuditEvent> read(Path p) throws IOException {
    List<AuditEvent> out = new ArrayList<>();
    new EventReader().read(List.of(p), out::add);
    return out;
  }

  static List<Alert> run(Detector d, List<AuditEvent> events) {
    List<Alert> alerts = new ArrayList<>();
    for (AuditEvent e : events) {
      d.accept(e, alerts::add);
    }
    d.finish(alerts::add);
    return alerts;
  }
}
