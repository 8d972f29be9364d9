package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Workflow;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Set;

/** GITHUB_TOKEN permissions broader than needed: none declared (defaults), write-all/read-all, workflow-wide writes. */
public final class ExcessivePermissions implements Audit {
  static final AuditInfo INFO = new AuditInfo("excessive-permissions", "overly broad GITHUB_TOKEN permissions",
      Severity.MEDIUM,
      "The GITHUB_TOKEN is in every job's memory; a compromised step can push code, create releases or mint "
          + "OIDC tokens with whatever the token allows. Without a 'permissions:' block the repository default "
          + "applies (read-write on older repositories); write-all grants everything; write scopes at the "
          + "workflow level reach jobs that do not need them.",
      "Add 'permissions: {}' (or 'contents: read') at the top of the workflow and grant each job only the "
          + "scopes it needs.",
      List.of("https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#modifying-the-permissions-for-the-github_token"),
      "excessive-permissions");

  private static final Set<String> HIGH_RISK = Set.of("contents", "id-token", "actions", "packages",
      "deployments", "security-events", "pull-requests", "checks", "statuses", "attestations");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void workflow(Workflow w, AuditContext ctx) {
    if (w.reusableOnly()) {
      return; // the caller's permissions apply
    }
    Persona workflowLevel = w.jobs().size() <= 1 ? Persona.PEDANTIC : Persona.REGULAR;
    YNode p = w.permissions();
    if (p == null) {
      boolean everyJobExplicit = !w.jobs().isEmpty() && w.jobs().stream().allMatch(j -> j.permissions() != null);
      if (!everyJobExplicit) {
        ctx.finding(this, w.file(), w.root()).confidence(Confidence.MEDIUM).persona(workflowLevel)
            .message("no 'permissions:' block: jobs get the repository's default token permissions").emit();
      }
      return;
    }
    scalar(w.file(), p, "workflow", ctx, Persona.REGULAR);
    if (p.isMap()) {
      for (YNode.Entry e : p.entries()) {
        if (e.value().isScalar() && "write".equals(e.value().text())) {
          boolean known = HIGH_RISK.contains(e.key().text());
          ctx.finding(this, w.file(), e.key()).severity(known ? Severity.HIGH : Severity.MEDIUM)
              .confidence(Confidence.HIGH).persona(workflowLevel)
              .message(e.key().text() + ": write at the workflow level applies to every job").emit();
        }
      }
    }
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    Workflow w = job.workflow();
    if (w.reusableOnly() && job.uses() == null) {
      return; // the caller's permissions apply, except to calls this workflow makes
    }
    if (job.permissions() == null) {
      if (w.permissions() == null) {
        ctx.finding(this, job.file(), job.keyNode()).confidence(Confidence.MEDIUM)
            .message("job '" + job.id() + "' runs with the default token permissions (no permissions: block)")
            .fact("job", job.id()).emit();
      }
      return;
    }
    scalar(job.file(), job.permissions(), "job '" + job.id() + "'", ctx, Persona.REGULAR);
  }

  private void scalar(dev.vigil.pipeline.model.CiFile file, YNode p, String where, AuditContext ctx, Persona persona) {
    if (!p.isScalar() || p.isNull()) {
      return;
    }
    if ("write-all".equals(p.text())) {
      ctx.finding(this, file, p).severity(Severity.HIGH).confidence(Confidence.HIGH).persona(persona)
          .message(where + " grants write-all: every scope of the token is writable").emit();
    } else if ("read-all".equals(p.text())) {
      ctx.finding(this, file, p).severity(Severity.MEDIUM).confidence(Confidence.HIGH).persona(persona)
          .message(where + " grants read-all: every scope is readable, including private packages and secrets "
              + "scanning alerts").emit();
    }
  }
}
