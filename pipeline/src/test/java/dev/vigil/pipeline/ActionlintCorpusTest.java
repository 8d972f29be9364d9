package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Parser robustness on actionlint's test workflows: nothing crashes; the valid ones parse cleanly. */
class ActionlintCorpusTest {

  @Test
  void everyWorkflowIsReadAndTheOkOnesWithoutProblems() throws IOException {
    Path root = Shared.dir("corpora/actionlint-testdata/testdata");
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(all).hasSizeGreaterThan(230);
    AuditEngine engine = AuditEngine.defaults();
    int ok = 0;
    for (Path p : all) {
      AuditResult r = engine.audit(List.of(p)); // throws on a crash
      assertThat(r.filesAudited() + r.filesFailed()).as(p.toString()).isEqualTo(1);
      if (p.getParent().getFileName().toString().equals("ok")) {
        ok++;
        assertThat(r.problems()).as("problems in %s", p).isEmpty();
        assertThat(r.filesAudited()).as(p.toString()).isEqualTo(1);
      }
    }
    assertThat(ok).isEqualTo(84);
  }

  @Test
  void brokenOnesGiveFileLineAndColumn() throws IOException {
    Path root = Shared.dir("corpora/actionlint-testdata/testdata");
    AuditResult r = AuditEngine.defaults().audit(List.of(root.resolve("err/yaml_syntax_error.yaml")));
    Problem p = r.problems().get(0);
    assertThat(p.fatal()).isTrue();
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.column()).isEqualTo(8);
    assertThat(p.path()).endsWith("yaml_syntax_error.yaml");
    AuditResult dup = AuditEngine.defaults().audit(List.of(root.resolve("err/duplicate_keys.yaml")));
    assertThat(dup.problems().get(0).message()).contains("duplicate key 'runs-on'");
  }
}
