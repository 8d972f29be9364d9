package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;

/**
 * actions/checkout leaves the token in {@code .git/config} unless {@code persist-credentials: false}; a later
 * artifact upload of the workspace publishes it.
 */
public final class Artipacked implements Audit {
  static final AuditInfo INFO = new AuditInfo("artipacked", "git credentials persisted in the workspace",
      Severity.MEDIUM,
      "actions/checkout writes the job's token into .git/config by default. Every later step (and any third-party "
          + "action) can read it, and an upload-artifact of the workspace publishes it to anyone who can download "
          + "the artifact (high when such an upload follows).",
      "Set 'persist-credentials: false' on actions/checkout; pass a token explicitly to the one step that pushes.",
      List.of("https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/"), "artipacked");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    if (step.uses() == null || step.uses().repo() == null || !step.uses().is("actions/checkout")
        || !step.uses().path().isEmpty()) {
      return;
    }
    YNode with = step.with();
    if (with != null && with.isScalar() && with.text().contains("${{")) {
      ctx.finding(this, step.file(), with).severity(Severity.INFO).confidence(Confidence.HIGH)
          .persona(Persona.PEDANTIC).message("checkout inputs are computed; they may not set persist-credentials: false")
          .note(step.uses().node(), "this checkout").emit();
      return;
    }
    YNode pc = with != null && with.isMap() ? with.get("persist-credentials") : null;
    Persona persona = Persona.REGULAR;
    if (pc != null && pc.isScalar()) {
      String v = pc.text().trim();
      if (v.equals("false")) {
        return;
      }
      persona = v.contains("${{") ? Persona.PEDANTIC : Persona.AUDITOR; // an explicit choice
    }
    Step upload = uploadAfter(step);
    if (upload != null) {
      ctx.finding(this, step.file(), step.node()).severity(Severity.HIGH).confidence(Confidence.HIGH)
          .message("checkout persists the token and '" + upload.label() + "' uploads the workspace as an artifact")
          .note(upload.node(), "uploads the persisted credentials").emit();
      return;
    }
    ctx.finding(this, step.file(), step.node()).confidence(Confidence.LOW).persona(persona)
        .message("checkout does not set persist-credentials: false; the token stays in .git/config").emit();
  }

  /** A later upload-artifact of the same job whose path covers the checkout (workspace root or .git). */
  private static Step uploadAfter(Step checkout) {
    if (checkout.job() == null) {
      return null;
    }
    List<Step> steps = checkout.job().steps();
    for (int i = steps.indexOf(checkout) + 1; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (s.uses() != null && s.uses().repo() != null && s.uses().is("actions/upload-artifact")) {
        String path = s.input("path");
        if (path == null) {
          continue;
        }
        for (String p : path.lines().map(String::trim).toList()) {
          if (p.equals(".") || p.equals("./") || p.equals("*") || p.equals("**") || p.contains(".git")
              || p.equals("${{ github.workspace }}") || p.equals("${{ github.workspace }}/")) {
            return s;
          }
        }
      }
    }
    return null;
  }
}
