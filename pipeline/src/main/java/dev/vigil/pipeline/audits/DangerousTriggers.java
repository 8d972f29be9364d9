package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Workflow;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code pull_request_target} and {@code workflow_run}: privileged triggers (secrets, write token) that are often
 * combined with checking out or running the code of a fork.
 */
public final class DangerousTriggers implements Audit {
  static final AuditInfo INFO = new AuditInfo("dangerous-triggers", "privileged trigger running untrusted code",
      Severity.HIGH,
      "pull_request_target and workflow_run run with the base repository's secrets and a write token, but can be "
          + "started by anyone who opens a pull request. Checking out the pull request's head and building or "
          + "running it ('pwn request') hands that power to the attacker: this is how the TeamPCP break-in began "
          + "(hackerbot-claw stole a token from Trivy's pull_request_target workflow). Using the trigger without "
          + "such a checkout is reported with low confidence.",
      "Use 'pull_request' for anything that builds or runs the contributed code; keep pull_request_target for "
          + "labelling or commenting with no checkout of the head; pass data between workflows as artifacts and "
          + "treat them as untrusted.",
      List.of("https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"),
      "dangerous-triggers");

  /** Refs that name the contributor's code in a pull_request_target or workflow_run context. */
  private static final Pattern UNTRUSTED_REF = Pattern.compile(
      "github\\.event\\.pull_request\\.head\\.(sha|ref)|github\\.head_ref|github\\.event\\.workflow_run\\.head_"
          + "(sha|branch)|refs/pull/|github\\.event\\.pull_request\\.merge_commit_sha|github\\.event\\.number"
          + "|head\\.repo\\.full_name");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void workflow(Workflow w, AuditContext ctx) {
    for (String trigger : List.of("pull_request_target", "workflow_run")) {
      if (!w.triggeredBy(trigger)) {
        continue;
      }
      Step checkout = untrustedCheckout(w);
      if (checkout == null && onlySafeActions(w)) {
        continue;
      }
      YNode at = triggerNode(w, trigger);
      if (checkout != null) {
        ctx.finding(this, w.file(), checkout.node()).severity(Severity.CRITICAL).confidence(Confidence.HIGH)
            .message(trigger + " workflow fetches the contribution's code or artifacts ('" + checkout.label()
                + "') while holding the repository's secrets and write token")
            .note(at, "privileged trigger").span(w.on()).fact("trigger", trigger).emit();
      } else {
        ctx.finding(this, w.file(), at).severity(Severity.MEDIUM).confidence(Confidence.LOW)
            .message(trigger + " runs with secrets and a write token for events anyone can cause; "
                + "no checkout of untrusted code was found, keep it that way")
            .span(w.on()).fact("trigger", trigger).emit();
      }
    }
  }

  private static YNode triggerNode(Workflow w, String trigger) {
    if (w.root().keyNode("on") != null) {
      return w.root().keyNode("on");
    }
    YNode on = w.on();
    if (on != null && on.isMap() && on.keyNode(trigger) != null) {
      return on.keyNode(trigger);
    }
    if (on != null && on.isSeq()) {
      for (YNode i : on.items()) {
        if (trigger.equals(i.text())) {
          return i;
        }
      }
    }
    return w.root().keyNode("on") != null ? w.root().keyNode("on") : on;
  }

  /** Actions built for pull_request_target that never run the contribution's code. */
  private static final java.util.Set<String> SAFE_ACTIONS = java.util.Set.of("actions/labeler",
      "actions/first-interaction", "actions/stale");

  private static boolean onlySafeActions(Workflow w) {
    return !w.jobs().isEmpty() && w.jobs().stream().allMatch(j -> !j.steps().isEmpty() && j.steps().stream()
        .allMatch(s -> s.uses() != null && s.uses().repo() != null
            && SAFE_ACTIONS.contains(s.uses().repo().toLowerCase(java.util.Locale.ROOT))));
  }

  /** The first step that checks out (or fetches) the contributor's code, or null. */
  static Step untrustedCheckout(Workflow w) {
    for (Job j : w.jobs()) {
      for (Step s : j.steps()) {
        if (s.uses() != null && s.uses().repo() != null && s.uses().repo().equalsIgnoreCase("actions/checkout")) {
          String ref = s.input("ref");
          String repo = s.input("repository");
          if ((ref != null && UNTRUSTED_REF.matcher(ref).find()) || (repo != null && UNTRUSTED_REF.matcher(repo).find())) {
            return s;
          }
        }
        if (w.triggeredBy("workflow_run") && s.uses() != null && s.uses().repo() != null
            && (s.uses().is("dawidd6/action-download-artifact")
                || (s.uses().is("actions/download-artifact") && s.input("run-id") != null))) {
          return s; // artifacts of the triggering run are built from the contributor's code
        }
        if (s.run() != null && s.run().isScalar()) {
          String run = s.run().text();
          if ((run.contains("git fetch") || run.contains("git checkout") || run.contains("gh pr checkout"))
              && (UNTRUSTED_REF.matcher(run).find() || run.contains("gh pr checkout"))) {
            return s;
          }
        }
      }
    }
    return null;
  }
}
