package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.ActionFile;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.GitlabCi;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Uses;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;

/** Container images (job containers, services, docker:// steps, Docker actions, GitLab images) without a digest. */
public final class UnpinnedImages implements Audit {
  static final AuditInfo INFO = new AuditInfo("unpinned-images", "container image not pinned by digest",
      Severity.HIGH,
      "An image tag is mutable: on 2026-03-22 the attacker pushed aquasec/trivy:0.69.5 and 0.69.6 straight to "
          + "Docker Hub. No tag (or 'latest') takes whatever was pushed last (high); a version tag without a "
          + "digest can still be overwritten (low, pedantic).",
      "Reference the image by digest, keeping the tag for readers: 'image: name:1.2.3@sha256:<digest>'.",
      List.of("https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier"),
      "unpinned-images");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    for (YNode image : job.images()) {
      check(job.file(), image, image.text(), ctx);
    }
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    Uses u = step.uses();
    if (u != null && u.kind() == Uses.Kind.DOCKER) {
      String tag = Uses.imageTag(u.image());
      if (tag != null && !tag.equals("latest") && !Uses.imageHasDigest(u.image())) {
        tagOnly(step.file(), u.node(), u.image(), ctx); // untagged ones are reported by unpinned-uses
      }
    }
  }

  @Override
  public void action(ActionFile action, AuditContext ctx) {
    YNode image = action.image();
    if (image != null && image.isScalar() && image.text().startsWith("docker://")) {
      check(action.file(), image, image.text().substring("docker://".length()), ctx);
    }
  }

  @Override
  public void gitlab(GitlabCi gitlab, AuditContext ctx) {
    for (YNode image : gitlab.images()) {
      if (image.isScalar()) {
        check(gitlab.file(), image, image.text(), ctx);
      }
    }
  }

  private void check(CiFile file, YNode node, String image, AuditContext ctx) {
    if (image == null || image.isBlank() || image.contains("${{") || Uses.imageHasDigest(image)) {
      return;
    }
    String tag = Uses.imageTag(image);
    if (tag == null || tag.equals("latest")) {
      ctx.finding(this, file, node).confidence(Confidence.HIGH)
          .message("image '" + image + "' is " + (tag == null ? "untagged" : "tagged 'latest'")
              + ": every run pulls whatever was pushed last")
          .fact("image", image).emit();
    } else if (!image.contains("$")) {
      tagOnly(file, node, image, ctx);
    }
  }

  private void tagOnly(CiFile file, YNode node, String image, AuditContext ctx) {
    ctx.finding(this, file, node).severity(Severity.LOW).confidence(Confidence.HIGH).persona(Persona.PEDANTIC)
        .message("image '" + image + "' is pinned by tag only; a tag can be overwritten (add @sha256:...)")
        .fact("image", image).emit();
  }
}
