package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.lock.ActionLock;
import dev.vigil.pipeline.model.CiFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionTest {
  static final String WF = """
      on: push
      permissions: {}
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: acme/one@v1 # vigil: ignore[unpinned-uses] vendored fork, reviewed 2026-11
            # vigil: ignore[unpinned-uses]
            - uses: acme/two@v1
            - uses: acme/three@v1 # zizmor: ignore[unpinned-uses]
            - uses: acme/four@v1 # vigil: ignore[template-injection] wrong audit
      """;

  @Test
  void inlineCommentsSuppressWithTheirReason() {
    AuditResult r = AuditEngine.defaults().auditText("w.yml", CiFile.Kind.WORKFLOW, WF);
    assertThat(Audit.of("unpinned-uses", r)).containsExactly("unpinned-uses@11");
    assertThat(r.suppressed()).extracting(s -> s.finding().line() + " " + s.reason() + " (" + s.source() + ")")
        .containsExactly("7 vendored fork, reviewed 2026-11 (inline vigil comment)",
            "9 (no reason given) (inline vigil comment)", "10 (no reason given) (inline zizmor comment)");
  }

  @Test
  void zizmorCommentsNeverSilenceACompromisedAction() {
    AuditResult r = AuditEngine.defaults().auditText("w.yml", CiFile.Kind.WORKFLOW, """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: tj-actions/changed-files@v44 # zizmor: ignore[known-vulnerable-actions,unpinned-uses]
        """);
    assertThat(Audit.of("known-compromised-action", r)).containsExactly("known-compromised-action@7");
    assertThat(r.suppressed()).extracting(s -> s.finding().auditId()).containsExactly("unpinned-uses");
  }

  @Test
  void configFileSuppressesAndDisables(@TempDir Path dir) throws IOException {
    Path cfg = dir.resolve(".vigil-ci.yml");
    Files.writeString(cfg, """
        disable: [excessive-permissions]
        first-party: [acme]
        ignore:
          - audit: unpinned-uses
            path: "**/w.yml"
            line: 11
            reason: pinned by the platform team's mirror
        """);
    AuditConfig c = AuditConfig.load(cfg);
    AuditEngine e = new AuditEngine(IocFeed.bundled(), OsvAdvisories.none(), ActionLock.empty(), c,
        Persona.REGULAR, Set.of());
    AuditResult r = e.auditText(".github/workflows/w.yml", CiFile.Kind.WORKFLOW, WF);
    assertThat(r.suppressed()).anyMatch(s -> s.finding().line() == 11 && s.source().equals("config")
        && s.reason().equals("pinned by the platform team's mirror"));
    assertThat(r.findings()).noneMatch(f -> f.auditId().equals("unpinned-uses"));
    AuditResult noPerms = e.auditText("x.yml", CiFile.Kind.WORKFLOW,
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n");
    assertThat(noPerms.findings()).noneMatch(f -> f.auditId().equals("excessive-permissions"));
  }

  @Test
  void configIgnoreWithoutReasonIsRefused(@TempDir Path dir) throws IOException {
    Path cfg = dir.resolve("c.yml");
    Files.writeString(cfg, "ignore:\n  - audit: unpinned-uses\n");
    assertThatThrownBy(() -> AuditConfig.load(cfg)).hasMessage(cfg + ":2: ignore entry for unpinned-uses needs a "
        + "'reason' (why is it acceptable?)");
    Files.writeString(cfg, "disable: [no-such-audit]\n");
    assertThatThrownBy(() -> AuditConfig.load(cfg)).hasMessageContaining("unknown audit 'no-such-audit'");
  }
}
