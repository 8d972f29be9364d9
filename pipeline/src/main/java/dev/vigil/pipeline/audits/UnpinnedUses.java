package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Uses;
import java.util.List;
import java.util.Optional;

/** Actions and reusable workflows referenced by a tag or branch, which their owner (or a thief) can repoint. */
public final class UnpinnedUses implements Audit {
  static final AuditInfo INFO = new AuditInfo("unpinned-uses", "action not pinned to a commit", Severity.HIGH,
      "A tag or branch is mutable: whoever controls the action's repository can point it at new code, and every "
          + "workflow using it runs that code with its secrets on the next run. This is how trivy-action (76 tags) "
          + "and tj-actions/changed-files were turned into secret stealers. Third-party actions are graded high, "
          + "GitHub-owned actions medium, your own organisation's actions low.",
      "Pin to the full 40-character commit SHA and keep the tag as a comment: 'uses: owner/repo@<sha> # v1.2.3'. "
          + "'vigil audit-ci --fix' does it from a lock file built by 'vigil audit-ci lock'; Dependabot and Renovate "
          + "keep such pins and their comments up to date.",
      List.of("https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
          "https://github.com/advisories/GHSA-69fq-xp46-6x23"),
      "unpinned-uses");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    check(step.file(), step.uses(), ctx);
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    check(job.file(), job.uses(), ctx);
  }

  private void check(CiFile file, Uses uses, AuditContext ctx) {
    if (uses == null || uses.kind() == Uses.Kind.LOCAL || uses.commitPinned()
        || (uses.repo() != null && uses.repo().startsWith("$"))) {
      return;
    }
    if (uses.kind() == Uses.Kind.DOCKER) {
      return; // docker:// images are unpinned-images' business
    }
    Severity severity;
    String whose;
    if (ctx.firstParty(uses.owner())) {
      severity = Severity.LOW;
      whose = "your organisation's";
    } else if (uses.githubOwned()) {
      severity = Severity.MEDIUM;
      whose = "GitHub-owned";
    } else {
      severity = Severity.HIGH;
      whose = "third-party";
    }
    String what = uses.ref() == null ? "has no ref at all (it follows the default branch)"
        : "is pinned to '" + uses.ref() + "', a tag or branch that can be moved";
    var b = ctx.finding(this, file, uses.node()).severity(severity).confidence(Confidence.HIGH)
        .message(whose + " " + (uses.isReusableWorkflow() ? "reusable workflow" : "action") + " '" + uses.target()
            + "' " + what)
        .fact("action", uses.target()).fact("ref", uses.ref()).fact("owner-class", whose);
    if (uses.ref() != null && ctx.lock() != null) {
      Optional<String> sha = ctx.lock().commit(uses.repo(), uses.ref());
      sha.ifPresent(s -> b.fix(new Finding.PinFix(uses.node().line(), uses.raw(),
          uses.raw().substring(0, uses.raw().lastIndexOf('@') + 1) + s, uses.ref())));
    }
    b.emit();
  }
}
