package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.Contexts;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Workflow;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Set;

/** Secrets in workflow- or job-level {@code env:}, where every step (and every action) of the job can read them. */
public final class SecretsInBroadEnv implements Audit {
  static final AuditInfo INFO = new AuditInfo("secrets-in-broad-env", "secret exposed to every step",
      Severity.MEDIUM,
      "A secret in workflow-level or job-level env is in the environment of every step, including third-party "
          + "actions that do not need it; a compromised action (trivy-action's stealer read the whole runner "
          + "memory and environment) gets it for free.",
      "Move the secret to the env: or with: of the one step that needs it.",
      List.of("https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions"),
      null);

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void workflow(Workflow w, AuditContext ctx) {
    check(w.file(), w.env(), "workflow", Severity.MEDIUM, ctx);
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    boolean thirdParty = job.steps().stream().anyMatch(s -> s.uses() != null && s.uses().repo() != null
        && !s.uses().githubOwned() && !ctx.firstParty(s.uses().owner()));
    check(job.file(), job.env(), "job '" + job.id() + "'" + (thirdParty ? " (which runs third-party actions)" : ""),
        thirdParty ? Severity.MEDIUM : Severity.LOW, ctx);
  }

  private void check(CiFile file, YNode env, String where, Severity severity, AuditContext ctx) {
    if (env == null || !env.isMap()) {
      return;
    }
    for (YNode.Entry e : env.entries()) {
      Set<String> names = Contexts.secretNames(e.value());
      names.remove("GITHUB_TOKEN");
      if (!names.isEmpty()) {
        ctx.finding(this, file, e.key()).severity(severity).confidence(Confidence.HIGH)
            .message("secret " + String.join(", ", names) + " is in the env of every step of the " + where)
            .fact("secrets", String.join(",", names)).emit();
      }
    }
  }
}
