package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Contexts;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Uses;
import dev.vigil.pipeline.yaml.YNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Secrets passed (through {@code with:} or {@code env:}) to an action that neither you nor GitHub maintain. */
public final class SecretsToThirdParty implements Audit {
  static final AuditInfo INFO = new AuditInfo("secrets-to-third-party", "secrets handed to third-party code",
      Severity.MEDIUM,
      "A third-party action runs with the secrets you pass it; if its code changes (a new release, a hijacked "
          + "tag) the secrets go with it. Unpinned, it is as bad as publishing them (high).",
      "Pass the action only the secrets it needs, pin it to a commit you reviewed, and prefer short-lived "
          + "credentials (OIDC) to static secrets.",
      List.of("https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-secrets"),
      null);

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    Uses u = step.uses();
    if (u == null || u.kind() == Uses.Kind.LOCAL || u.githubOwned()
        || (u.kind() == Uses.Kind.REPOSITORY && ctx.firstParty(u.owner()))) {
      return;
    }
    Set<String> names = new LinkedHashSet<>();
    YNode first = null;
    for (YNode block : new YNode[] {step.with(), step.env()}) {
      if (block == null || !block.isMap()) {
        continue;
      }
      for (YNode.Entry e : block.entries()) {
        Set<String> s = Contexts.secretNames(e.value());
        s.remove("GITHUB_TOKEN"); // short-lived and scoped by 'permissions:'; excessive-permissions covers it
        if (!s.isEmpty() && first == null) {
          first = e.key();
        }
        names.addAll(s);
      }
    }
    if (names.isEmpty()) {
      return;
    }
    boolean pinned = u.commitPinned() || (u.kind() == Uses.Kind.DOCKER && Uses.imageHasDigest(u.image()));
    ctx.finding(this, step.file(), first).severity(pinned ? Severity.MEDIUM : Severity.HIGH)
        .confidence(Confidence.HIGH)
        .message("secret" + (names.size() > 1 ? "s " : " ") + String.join(", ", names) + " passed to third-party "
            + (u.kind() == Uses.Kind.DOCKER ? "image " + u.image() : "action " + u.raw())
            + (pinned ? "" : ", which is not pinned to a commit"))
        .note(u.node(), "third-party code").fact("action", u.raw()).fact("secrets", String.join(",", names)).emit();
  }
}
