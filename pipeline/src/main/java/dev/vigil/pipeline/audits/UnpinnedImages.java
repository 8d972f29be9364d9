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
      if (image.isScalar() && image.text().contains("${{")) {
        expression(job, image, ctx);
      } else {
        check(job.file(), image, image.text(), ctx);
      }
    }
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    Uses u = step.uses();
    if (u != null && u.kind() == Uses.Kind.DOCKER) {
      check(step.file(), u.node(), u.image(), ctx);
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

  private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("'([^']+)'");

  /**
   * An image computed by an expression: matrix values and string literals are checked one by one; any other
   * context (inputs, vars) cannot be checked and is reported for pedantic readers.
   */
  private void expression(Job job, YNode node, AuditContext ctx) {
    for (dev.vigil.pipeline.model.CiFile.Expression e : job.file().expressions(node)) {
      java.util.regex.Matcher lit = LITERAL.matcher(e.body());
      boolean literals = false;
      while (lit.find()) {
        String before = e.body().substring(0, lit.start()).trim();
        if (before.endsWith("==") || before.endsWith("!=")) {
          continue; // a value compared in the condition, not an image
        }
        check(job.file(), node, lit.group(1), ctx);
        literals = true;
      }
      if (literals) {
        continue; // contexts are the condition choosing between literal images
      }
      for (String ref : dev.vigil.pipeline.model.Contexts.references(e.body())) {
        if (ref.startsWith("matrix.")) {
          for (String value : matrixValues(job, ref.substring(7))) {
            check(job.file(), node, value, ctx);
          }
        } else {
          ctx.finding(this, job.file(), node).severity(Severity.LOW).confidence(Confidence.LOW)
              .persona(Persona.PEDANTIC).message("image comes from '" + ref + "' and cannot be checked for a pin")
              .emit();
        }
      }
    }
  }

  /** The values a matrix key takes (its list and every include entry), literal ones only. */
  static List<String> matrixValues(Job job, String key) {
    List<String> out = new java.util.ArrayList<>();
    YNode m = job.strategy() == null ? null : job.strategy().get("matrix");
    if (m == null || !m.isMap()) {
      return out;
    }
    YNode direct = m.get(key);
    if (direct != null) {
      direct.scalars(s -> out.add(s.text()));
    }
    YNode include = m.get("include");
    if (include != null && include.isSeq()) {
      for (YNode i : include.items()) {
        if (i.isMap() && i.get(key) != null && i.get(key).isScalar()) {
          out.add(i.get(key).text());
        }
      }
    }
    out.removeIf(v -> v.isBlank() || v.contains("${{"));
    return out;
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
        .message("image '" + image + "' is not pinned by digest; a tag can be overwritten (add @sha256:...)")
        .fact("image", image).emit();
  }
}
