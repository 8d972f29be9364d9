package dev.vigil.pipeline.audits;

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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Actions at versions inside a GitHub Advisory Database range (flaws such as injection or token leaks, not
 * compromises). Commit pins are matched through the lock file or their version comment.
 */
public final class KnownVulnerableAction implements Audit {
  static final AuditInfo INFO = new AuditInfo("known-vulnerable-action", "action version with a known advisory",
      Severity.MEDIUM,
      "The GitHub Advisory Database lists this version of the action as vulnerable (read offline from the OSV "
          + "files given with --advisories).",
      "Upgrade to the first fixed version the advisory names, pinned by commit.",
      List.of("https://github.com/advisories?query=ecosystem%3Aactions"), "known-vulnerable-actions");

  private static final Pattern VERSION_COMMENT = Pattern.compile("#\\s*(?:tag\\s*[=:]\\s*)?(v?\\d+(?:\\.\\d+)*)");

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
    if (uses == null || uses.kind() != Uses.Kind.REPOSITORY || uses.ref() == null || uses.repo() == null) {
      return;
    }
    String version = uses.ref();
    String how = "";
    if (uses.commitPinned()) {
      version = ctx.lock().tagOf(uses.repo(), uses.ref()).orElse(null);
      how = " (commit resolved through the lock file)";
      if (version == null) {
        Matcher m = VERSION_COMMENT.matcher(file.line(uses.node().line()));
        if (!m.find()) {
          return;
        }
        version = m.group(1);
        how = " (version from the pin's comment)";
      }
    }
    for (OsvAdvisories.Affected e : ctx.advisories().matching(uses.target(), version)) {
      if (e.malicious()) {
        continue; // known-compromised-action reports these
      }
      ctx.finding(this, file, uses.node()).severity(severity(e.severity()))
          .confidence(uses.commitPinned() ? Confidence.MEDIUM : Confidence.HIGH)
          .message(uses.target() + "@" + version + how + " is affected by " + e.advisory()
              + (e.aliases().isEmpty() ? "" : " (" + String.join(", ", e.aliases()) + ")") + ": " + e.summary()
              + (e.fixed() != null ? "; fixed in " + e.fixed() : ""))
          .fact("action", uses.target()).fact("ref", uses.ref()).fact("advisory", e.advisory()).emit();
    }
  }

  static Severity severity(String ghsa) {
    return switch (ghsa) {
      case "CRITICAL" -> Severity.CRITICAL;
      case "HIGH" -> Severity.HIGH;
      case "LOW" -> Severity.LOW;
      default -> Severity.MEDIUM;
    };
  }
}
