package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files are reported with file, line and reason; the other files are still audited. */
class BadInputTest {
  @TempDir Path repo;

  private Path wf(String name, String text) throws IOException {
    Path p = repo.resolve(".github/workflows").resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void oneBadFileDoesNotStopTheOthers() throws IOException {
    wf("broken.yml", "on: push\njobs:\n  a:\n    runs-on: [ubuntu\n");
    wf("list.yml", "- just\n- a list\n");
    wf("good.yml", "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - uses: tj-actions/changed-files@v44\n");
    wf("unknown.yml", "on: push\npermissions: {}\nfoo: bar\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        + "    stepz: []\n");
    Files.createSymbolicLink(repo.resolve(".github/workflows/dangling.yml"), repo.resolve("gone.yml"));
    Files.writeString(repo.resolve(".github/workflows/huge.yml"), "#".repeat((int) AuditEngine.MAX_FILE_BYTES + 10));
    Files.write(repo.resolve(".github/workflows/latin1.yml"), new byte[] {'o', 'n', ':', ' ', (byte) 0xe9});

    AuditResult r = AuditEngine.defaults().audit(List.of(repo));
    assertThat(r.filesAudited()).isEqualTo(2);
    assertThat(r.filesFailed()).isEqualTo(5);
    assertThat(r.findings()).anyMatch(f -> f.auditId().equals("known-compromised-action")
        && f.path().equals(".github/workflows/good.yml"));
    assertThat(r.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
        ".github/workflows/broken.yml:5:1: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got "
            + "<stream end>",
        ".github/workflows/dangling.yml: cannot read: no such file",
        ".github/workflows/huge.yml: file is 2048 KiB, above the 2048 KiB limit for CI files: not audited",
        ".github/workflows/latin1.yml: not UTF-8 text: not audited",
        ".github/workflows/list.yml:1:1: the document is a list, not a mapping: nothing to audit",
        ".github/workflows/unknown.yml:3:1: unknown key 'foo' in workflow (ignored)",
        ".github/workflows/unknown.yml:7:5: unknown key 'stepz' in job 'a' (ignored)");
    assertThat(r.problems().stream().filter(Problem::fatal)).hasSize(5);
  }

  @Test
  void looseDirectoriesSkipYamlThatIsNotCi(@TempDir Path loose) throws IOException {
    Files.writeString(loose.resolve("docker-compose.yml"), "services:\n  web:\n    image: nginx\n");
    Files.writeString(loose.resolve("dependabot.yml"), "version: 2\nupdates: []\n");
    Files.writeString(loose.resolve("ci.yaml"), "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n"
        + "    steps:\n      - uses: aquasecurity/setup-trivy@v0.2.5\n");
    Files.writeString(loose.resolve("my-action.yml"), "name: a\nruns:\n  using: composite\n  steps:\n"
        + "    - uses: tj-actions/changed-files@v44\n");
    AuditResult r = AuditEngine.defaults().audit(List.of(loose));
    assertThat(r.filesAudited()).isEqualTo(2);
    assertThat(r.problems()).isEmpty();
    assertThat(r.findings().stream().filter(f -> f.auditId().equals("known-compromised-action"))
        .map(f -> f.path() + ":" + f.line())).containsExactly("ci.yaml:7", "my-action.yml:5");
  }

  @Test
  void aliasBombsAndRecursiveAliasesAreRefused() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    String prev = "a";
    for (int i = 0; i < 30; i++) {
      String n = "l" + i;
      bomb.append(n).append(": &").append(n).append(" [");
      for (int j = 0; j < 10; j++) {
        bomb.append(j == 0 ? "" : ", ").append('*').append(prev);
      }
      bomb.append("]\n");
      prev = n;
    }
    AuditResult r = AuditEngine.defaults().auditText("bomb.yml", CiFile.Kind.WORKFLOW, bomb.toString());
    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(r.problems().get(0).message()).contains("aliases");
    AuditResult rec = AuditEngine.defaults().auditText("rec.yml", CiFile.Kind.WORKFLOW, "a: &a\n  b: *a\n");
    assertThat(rec.problems().get(0).message()).contains("recursive alias *a");
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "a: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    AuditResult r = AuditEngine.defaults().auditText("deep.yml", CiFile.Kind.WORKFLOW, deep);
    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(r.problems().get(0).line()).isEqualTo(1);
  }

  @Test
  void wrongShapesInsideAWorkflowAreWarningsWithPositions() {
    AuditResult r = AuditEngine.defaults().auditText("w.yml", CiFile.Kind.WORKFLOW,
        "on: push\njobs:\n  a: just-a-string\n  b:\n    runs-on: x\n    steps: nope\n");
    assertThat(r.filesAudited()).isEqualTo(1);
    assertThat(r.problems()).extracting(Problem::toString).containsExactly(
        "w.yml:3:6: job 'a' must be a mapping, found a scalar",
        "w.yml:6:12: 'steps' of job 'b' must be a list, found a scalar");
  }
}
