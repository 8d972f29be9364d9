package dev.vigil.pipeline.audits;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Uses;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * References to actions at tags or commits that an IOC feed lists as malicious, or inside a GitHub advisory for
 * embedded malicious code (CWE-506).
 */
public final class KnownCompromisedAction implements Audit {
  static final AuditInfo INFO = new AuditInfo("known-compromised-action",
      "action reference known to have run malicious code", Severity.CRITICAL,
      "This tag or commit is listed as malicious by an IOC feed (Vigil's bundled TeamPCP feed or one given with "
          + "--feed) or falls in a GitHub advisory for embedded malicious code (CWE-506). A workflow that ran it "
          + "inside the exposure window had its secrets read from the runner's memory and sent to the attacker.",
      "Stop using the reference now; pin to the safe commit the advisory names. If the workflow ran during the "
          + "window, treat every secret it could read as stolen: rotate them, and look for their use in your "
          + "cloud logs ('vigil investigate').",
      List.of("https://github.com/advisories/GHSA-69fq-xp46-6x23", "https://github.com/advisories/GHSA-mrrh-fwg8-r2c3"),
      "known-vulnerable-actions");

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    check(step.file(), step.uses(), step.job(), ctx);
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    check(job.file(), job.uses(), job, ctx);
  }

  /** The secrets a payload in this job could take: it reads the whole runner's memory, not just its inputs. */
  private static String inReach(Job job) {
    if (job == null) {
      return null;
    }
    java.util.Set<String> s = new java.util.LinkedHashSet<>(dev.vigil.pipeline.model.JobExposure.of(job).allSecrets());
    s.add("GITHUB_TOKEN");
    return String.join(",", s) + (job.inheritsSecrets() ? ",(all inherited secrets)" : "");
  }

  private void check(CiFile file, Uses uses, Job job, AuditContext ctx) {
    if (uses == null || uses.kind() != Uses.Kind.REPOSITORY || uses.ref() == null || uses.repo() == null) {
      return;
    }
    String ref = uses.ref();
    if (uses.commitPinned() && ctx.feed().isFalseLead(ref)) {
      return;
    }
    Set<String> reported = new LinkedHashSet<>();
    List<IocFeed.CompromisedAction> entries = ctx.feed().actionsFor(uses.repo());
    boolean feedKnowsRepo = !entries.isEmpty();
    for (IocFeed.CompromisedAction a : entries) {
      boolean hit = uses.commitPinned() ? a.commitAffected(ref) : a.tagAffected(ref);
      if (!hit) {
        continue;
      }
      String advisory = a.advisory() != null ? a.advisory() : "feed " + a.feedId();
      if (!reported.add(advisory)) {
        continue;
      }
      StringBuilder m = new StringBuilder();
      m.append(uses.repo()).append('@').append(ref).append(uses.commitPinned() ? " is a malicious commit" : " is a "
          + "hijacked tag").append(" (").append(advisory);
      if (a.attribution() != null) {
        m.append(", ").append(a.attribution());
      }
      m.append(")");
      if (a.window() != null && a.window().start() != null) {
        m.append("; exposure window ").append(WHEN.format(a.window().start())).append(" to ")
            .append(a.window().end() == null ? "?" : WHEN.format(a.window().end())).append(" UTC");
      }
      if (a.safeTag() != null) {
        m.append("; safe: ").append(a.safeTag());
        if (a.safeCommit() != null) {
          m.append(" (").append(a.safeCommit()).append(')');
        }
      }
      String secrets = inReach(job);
      if (secrets != null) {
        m.append("; secrets in reach of the job: ").append(secrets.replace(",", ", "));
      }
      ctx.finding(this, file, uses.node()).confidence("confirmed".equals(a.confidence()) ? Confidence.HIGH
              : Confidence.MEDIUM)
          .message(m.toString()).fact("action", uses.repo()).fact("ref", ref).fact("advisory", advisory)
          .fact("secrets-in-reach", secrets).fact("job", job == null ? null : job.id())
          .fact("feed", a.feedId())
          .fact("window-start", a.window() == null || a.window().start() == null ? null : a.window().start().toString())
          .fact("window-end", a.window() == null || a.window().end() == null ? null : a.window().end().toString())
          .emit();
    }
    if (uses.commitPinned()) {
      return; // advisories name tags; a commit is matched only through the feeds' commit lists
    }
    for (OsvAdvisories.Affected e : ctx.advisories().matching(uses.target(), ref)) {
      if (!e.malicious() || reported.contains(e.advisory())) {
        continue;
      }
      // The feed knows which tag styles were hijacked (trivy-action's restored 'v' tags are safe): trust it.
      if (feedKnowsRepo && entries.stream().anyMatch(a -> e.advisory().equals(a.advisory()))) {
        continue;
      }
      reported.add(e.advisory());
      ctx.finding(this, file, uses.node()).confidence(Confidence.MEDIUM)
          .message(uses.target() + "@" + ref + " is inside " + e.advisory() + " (embedded malicious code, CWE-506): "
              + e.summary() + (inReach(job) == null ? "" : "; secrets in reach of the job: "
              + inReach(job).replace(",", ", ")))
          .fact("action", uses.target()).fact("ref", ref).fact("advisory", e.advisory())
          .fact("secrets-in-reach", inReach(job)).fact("job", job == null ? null : job.id()).emit();
    }
  }
}
