package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Map;

/** Steps that download a tool at run time without fixing its version ({@code version: latest}, or by default). */
public final class UnpinnedTools implements Audit {
  static final AuditInfo INFO = new AuditInfo("unpinned-tools", "action installs an unpinned tool at run time",
      Severity.MEDIUM,
      "Pinning the action is not enough when the action then downloads 'the latest' tool release: during the "
          + "TeamPCP window, setup-trivy and trivy-action with 'version: latest' installed the malicious trivy "
          + "v0.69.4 even from pinned, clean action commits.",
      "Give the tool's exact version in the action's version input (and, where the action supports it, a "
          + "checksum).",
      List.of("https://github.com/advisories/GHSA-69fq-xp46-6x23"), "unpinned-tools");

  /** Installer actions whose version input defaults to the latest release. */
  static final Map<String, String> DEFAULT_LATEST = Map.of(
      "aquasecurity/setup-trivy", "version",
      "1password/load-secrets-action", "version",
      "1password/install-cli-action", "version");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    if (step.uses() == null || step.uses().repo() == null) {
      return;
    }
    YNode cond = step.condition();
    if (cond != null && cond.isScalar() && cond.text().trim().matches("(false|\\$\\{\\{\\s*false\\s*}})")) {
      return; // never runs
    }
    String repo = step.uses().repo().toLowerCase(java.util.Locale.ROOT);
    String defaultInput = DEFAULT_LATEST.get(repo);
    boolean reported = false;
    for (Map.Entry<String, YNode> in : step.inputs().entrySet()) {
      String key = in.getKey();
      if (!key.equals("version")) {
        continue;
      }
      YNode v = in.getValue();
      if (!v.isScalar()) {
        continue;
      }
      String value = v.text().trim();
      if (value.equalsIgnoreCase("latest") || value.equals("*")) {
        ctx.finding(this, step.file(), step.with().keyNode(key)).confidence(Confidence.HIGH)
            .message(step.uses().repo() + " is told '" + key + ": " + value + "': it installs whatever was released "
                + "last")
            .note(step.uses().node(), "this action").fact("action", step.uses().repo()).emit();
        reported = true;
      } else if (key.equals(defaultInput) && value.contains("${{")) {
        ctx.finding(this, step.file(), step.with().keyNode(key)).confidence(Confidence.LOW)
            .message(step.uses().repo() + " gets '" + key + "' from an expression, which may be 'latest'")
            .note(step.uses().node(), "this action").fact("action", step.uses().repo()).emit();
        reported = true;
      }
    }
    if (!reported && defaultInput != null && step.input(defaultInput) == null
        && (step.with() == null || step.with().get(defaultInput) == null)) {
      if (step.with() != null && step.with().isScalar()) {
        return;
      }
      ctx.finding(this, step.file(), step.uses().node()).confidence(Confidence.HIGH)
          .message(step.uses().repo() + " installs the latest release when '" + defaultInput + "' is not given")
          .fact("action", step.uses().repo()).emit();
    }
  }
}
