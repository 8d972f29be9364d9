package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Robustness: every corpus workflow cut at seeded random points, or with a random byte range removed, is either
 * audited or rejected with a positioned problem; never an exception.
 */
class TruncatedInputTest {
  @Test
  void damagedWorkflowsNeverCrashTheEngine() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Stream.concat(
        Files.walk(Shared.dir("corpora/zizmor-fixtures/crates/zizmor/tests/integration/test-data")),
        Files.walk(Shared.dir("corpora/actionlint-testdata/testdata")))) {
      files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
    }
    Random random = new Random(20261128L);
    AuditEngine engine = AuditEngine.defaults();
    int rejected = 0;
    int runs = 0;
    for (Path p : files) {
      String text = Files.readString(p);
      if (text.length() < 4) {
        continue;
      }
      for (int i = 0; i < 4; i++) {
        int a = random.nextInt(text.length());
        int b = Math.min(text.length(), a + 1 + random.nextInt(40));
        String damaged = i % 2 == 0 ? text.substring(0, a) : text.substring(0, a) + text.substring(b);
        AuditResult r = engine.auditText(p.getFileName().toString(), CiFile.Kind.WORKFLOW, damaged);
        runs++;
        assertThat(r.filesAudited() + r.filesFailed()).isEqualTo(1);
        for (Problem problem : r.problems()) {
          assertThat(problem.message()).isNotBlank();
          if (problem.fatal() && problem.message().startsWith("invalid YAML")) {
            assertThat(problem.line()).as("%s cut at %d: %s", p, a, problem).isPositive();
          }
        }
        rejected += r.filesFailed();
      }
    }
    assertThat(runs).isGreaterThan(1500);
    assertThat(rejected).isPositive().isLessThan(runs);
  }
}
