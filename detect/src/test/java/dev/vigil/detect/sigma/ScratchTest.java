package dev.vigil.detect.sigma;

import dev.vigil.detect.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void scratch() throws Exception {
    SigmaRules.Loaded l = SigmaRules.loadAll(List.of(Corpora.sigmaAws().resolve("rules"),
        Corpora.sigmaAws().resolve("unsupported"), Corpora.sigmaAws().resolve("rules-placeholder")), false, Map.of());
    System.out.println("loaded " + l.loaded().size() + " rejected " + l.rejected().size());
    l.rejected().forEach(r -> System.out.println("REJ " + r));
    l.warnings().forEach(r -> System.out.println("WARN " + r));
    System.out.println("unindexed " + l.ruleSet().unindexedRules());
    try (Stream<Path> s = Files.list(Corpora.stratusLogs())) {
      for (Path f : s.sorted().toList()) {
        SigmaRules.Loaded l2 = SigmaRules.loadAll(List.of(Corpora.sigmaAws().resolve("rules")), false, Map.of());
        List<Alert> alerts = Corpora.run(l2.ruleSet(), Corpora.read(f));
        for (Alert a : alerts) {
          System.out.println("FIRE " + f.getFileName() + " " + a.ruleId() + " " + a.title() + " " + a.trigger().eventId() + " :: " + a.explanation());
        }
      }
    }
  }
}
