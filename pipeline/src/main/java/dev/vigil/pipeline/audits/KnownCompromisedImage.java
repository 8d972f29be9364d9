package dev.vigil.pipeline.audits;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.GitlabCi;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Uses;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Locale;

/** Container images (by name:tag or digest) that an IOC feed lists as malicious, such as aquasec/trivy:0.69.4. */
public final class KnownCompromisedImage implements Audit {
  static final AuditInfo INFO = new AuditInfo("known-compromised-image", "container image known to be malicious",
      Severity.CRITICAL,
      "An IOC feed lists this image tag or digest as a malicious build (for example the trivy 0.69.4-0.69.6 "
          + "images of the TeamPCP campaign). Running it hands the job's secrets to the attacker.",
      "Move to a safe version pinned by digest; if jobs ran the image, rotate the secrets they could read.",
      List.of("https://github.com/advisories/GHSA-69fq-xp46-6x23"), null);

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    job.images().forEach(i -> check(job.file(), i, i.text(), ctx));
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    if (step.uses() != null && step.uses().kind() == Uses.Kind.DOCKER) {
      check(step.file(), step.uses().node(), step.uses().image(), ctx);
    }
  }

  @Override
  public void gitlab(GitlabCi gitlab, AuditContext ctx) {
    gitlab.images().stream().filter(YNode::isScalar).forEach(i -> check(gitlab.file(), i, i.text(), ctx));
  }

  static String normalise(String image) {
    String s = image.toLowerCase(Locale.ROOT);
    for (String p : List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/")) {
      if (s.startsWith(p)) {
        s = s.substring(p.length());
      }
    }
    if (s.startsWith("library/")) {
      s = s.substring("library/".length());
    }
    return s;
  }

  private void check(CiFile file, YNode node, String image, AuditContext ctx) {
    if (image == null || image.isBlank()) {
      return;
    }
    String norm = normalise(image);
    int at = norm.indexOf("@sha256:");
    String digest = at >= 0 ? norm.substring(at + 8) : null;
    String nameTag = at >= 0 ? norm.substring(0, at) : norm;
    for (IocFeed.Artifact a : ctx.feed().artifacts()) {
      if (!"container-image".equals(a.kind()) || a.name() == null) {
        continue;
      }
      boolean byDigest = digest != null && digest.equals(a.sha256());
      boolean byTag = normalise(a.name()).equals(nameTag);
      if (byDigest || byTag) {
        ctx.finding(this, file, node).confidence(byDigest ? Confidence.HIGH : Confidence.MEDIUM)
            .message("image '" + image + "' " + (byDigest ? "has the digest of" : "is the tag of")
                + " a malicious build listed by feed " + a.feedId() + " (" + a.name()
                + (a.window() != null && a.window().start() != null ? ", published " + a.window().start() : "") + ")")
            .fact("image", image).fact("feed", a.feedId()).emit();
        return;
      }
    }
  }
}
