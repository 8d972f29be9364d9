package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.GitlabCi;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;

/** GitLab CI includes fetched from a URL or another project at a movable ref. */
public final class UnpinnedInclude implements Audit {
  static final AuditInfo INFO = new AuditInfo("unpinned-include", "GitLab include not pinned to a commit",
      Severity.HIGH,
      "An included file runs with this pipeline's variables. A remote URL serves whatever its owner (or an "
          + "attacker) puts there today; a project include at a branch or tag follows that ref.",
      "Include project files at a full commit SHA ('ref: <sha>'), components at a SHA, and copy remote files "
          + "into the repository.",
      List.of("https://docs.gitlab.com/ci/yaml/includes/"), null);

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void gitlab(GitlabCi gitlab, AuditContext ctx) {
    for (YNode inc : gitlab.includes()) {
      if (inc.isScalar()) {
        if (inc.text().startsWith("http://") || inc.text().startsWith("https://")) {
          remote(gitlab, inc, inc.text(), ctx);
        }
        continue;
      }
      if (!inc.isMap()) {
        continue;
      }
      if (inc.str("remote") != null) {
        remote(gitlab, inc.get("remote"), inc.str("remote"), ctx);
      } else if (inc.str("project") != null) {
        String ref = inc.str("ref");
        if (ref == null || !ref.matches("[0-9a-f]{40}")) {
          ctx.finding(this, gitlab.file(), inc.get("project")).severity(Severity.MEDIUM).confidence(Confidence.HIGH)
              .message("project include '" + inc.str("project") + "' " + (ref == null ? "has no ref (default branch)"
                  : "at '" + ref + "', which can move"))
              .emit();
        }
      } else if (inc.str("component") != null) {
        String c = inc.str("component");
        int at = c.lastIndexOf('@');
        if (at < 0 || !c.substring(at + 1).matches("[0-9a-f]{40}")) {
          ctx.finding(this, gitlab.file(), inc.get("component")).severity(Severity.MEDIUM)
              .confidence(Confidence.HIGH).message("component '" + c + "' is not pinned to a commit SHA").emit();
        }
      }
    }
  }

  private void remote(GitlabCi gitlab, YNode node, String url, AuditContext ctx) {
    ctx.finding(this, gitlab.file(), node).confidence(Confidence.HIGH)
        .message("remote include '" + url + "' runs whatever that URL serves" + (url.startsWith("http://")
            ? ", over plain HTTP" : "")).emit();
  }
}
