package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Job;
import java.util.List;

/** Reusable-workflow calls with {@code secrets: inherit}: the called workflow gets every secret of the caller. */
public final class SecretsInherit implements Audit {
  static final AuditInfo INFO = new AuditInfo("secrets-inherit", "all secrets inherited by a called workflow",
      Severity.MEDIUM,
      "'secrets: inherit' gives the called workflow every repository, environment and organisation secret the "
          + "caller can see, not just the ones it needs; a change in the called workflow can read them all.",
      "List the secrets the called workflow needs under 'secrets:' explicitly.",
      List.of("https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow"),
      "secrets-inherit");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    if (job.uses() != null && job.inheritsSecrets()) {
      ctx.finding(this, job.file(), job.uses().node()).confidence(Confidence.HIGH)
          .message("'" + job.uses().raw() + "' inherits every secret of this workflow")
          .note(job.secrets(), "inherits all parent secrets").fact("workflow", job.uses().raw()).emit();
    }
  }
}
