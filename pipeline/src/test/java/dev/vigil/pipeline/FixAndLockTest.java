package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.fix.PinFixer;
import dev.vigil.pipeline.lock.ActionLock;
import dev.vigil.pipeline.lock.LockBuilder;
import dev.vigil.pipeline.model.CiFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lock (JGit over a local clone) then --fix: tags become commit SHAs with the tag kept as a comment. */
class FixAndLockTest {

  @Test
  void lockFromALocalCloneThenPin(@TempDir Path dir) throws Exception {
    Path clone = dir.resolve("checkout");
    RevCommit v4;
    RevCommit v5;
    try (Git git = Git.init().setDirectory(clone.toFile()).setInitialBranch("main").call()) {
      git.getRepository().getConfig().setString("remote", "origin", "url", "https://github.com/actions/checkout.git");
      git.getRepository().getConfig().save();
      PersonIdent me = new PersonIdent("t", "t@example.com");
      Files.writeString(clone.resolve("action.yml"), "name: checkout\n");
      git.add().addFilepattern(".").call();
      v4 = git.commit().setMessage("v4").setAuthor(me).setCommitter(me).setSign(false).call();
      git.tag().setName("v4").setAnnotated(true).setMessage("v4").setTagger(me).setSigned(false).call();
      Files.writeString(clone.resolve("action.yml"), "name: checkout 5\n");
      git.add().addFilepattern(".").call();
      v5 = git.commit().setMessage("v5").setAuthor(me).setCommitter(me).setSign(false).call();
      git.tag().setName("v5").setAnnotated(false).call();
    }
    ActionLock lock = ActionLock.empty();
    assertThat(LockBuilder.addClone(lock, clone, null)).isEqualTo("actions/checkout");
    assertThat(lock.commit("actions/checkout", "v4")).contains(v4.name()); // annotated tag peeled to its commit
    assertThat(lock.commit("actions/checkout", "v5")).contains(v5.name());
    Path lockFile = dir.resolve("vigil-ci.lock.json");
    lock.write(lockFile);
    ActionLock reread = ActionLock.load(lockFile);
    assertThat(reread.tagOf("actions/checkout", v4.name())).contains("v4");

    String wf = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        + "      - uses: actions/checkout@v4 # old comment\n"
        + "      - uses: \"actions/checkout@v5\"\n"
        + "      - uses: actions/setup-node@v4\n";
    AuditEngine engine = new AuditEngine(IocFeed.bundled(), OsvAdvisories.none(), reread, AuditConfig.empty(),
        Persona.REGULAR, Set.of());
    AuditResult r = engine.auditText("w.yml", CiFile.Kind.WORKFLOW, wf);
    List<Finding.PinFix> fixes = r.findings().stream().map(Finding::fix).filter(java.util.Objects::nonNull).toList();
    assertThat(fixes).hasSize(2);
    PinFixer.Result fixed = PinFixer.apply(wf, fixes);
    assertThat(fixed.text()).contains("      - uses: actions/checkout@" + v4.name() + " # v4\n")
        .contains("      - uses: \"actions/checkout@" + v5.name() + "\" # v5\n")
        .contains("      - uses: actions/setup-node@v4\n");
    assertThat(PinFixer.diff(".github/workflows/w.yml", fixed)).isEqualTo(
        "--- a/.github/workflows/w.yml\n+++ b/.github/workflows/w.yml\n"
            + "@@ -7,1 +7,1 @@\n-      - uses: actions/checkout@v4 # old comment\n"
            + "+      - uses: actions/checkout@" + v4.name() + " # v4\n"
            + "@@ -8,1 +8,1 @@\n-      - uses: \"actions/checkout@v5\"\n"
            + "+      - uses: \"actions/checkout@" + v5.name() + "\" # v5\n");
    AuditResult after = engine.auditText("w.yml", CiFile.Kind.WORKFLOW, fixed.text());
    assertThat(Audit.of("unpinned-uses", after)).containsExactly("unpinned-uses@9");
  }
}
