package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Set;

/** A GitHub Actions workflow. {@code triggers} are the event names under {@code on:}. */
public record Workflow(CiFile file, YNode root, String name, YNode on, List<String> triggers, YNode permissions,
    YNode env, List<Job> jobs) {

  /** Triggers through which someone outside the repository can start the workflow or feed it data. */
  public static final Set<String> PUBLIC_TRIGGERS = Set.of("pull_request", "pull_request_target", "issue_comment",
      "issues", "discussion", "discussion_comment", "pull_request_review", "pull_request_review_comment", "fork",
      "watch", "workflow_run");

  public boolean triggeredBy(String event) {
    return triggers.contains(event);
  }

  /** True when some trigger can be fired by someone without write access (forks, comments, issues). */
  public boolean publiclyTriggered() {
    return triggers.stream().anyMatch(PUBLIC_TRIGGERS::contains);
  }

  /** True when only {@code workflow_call} triggers it: callers set its permissions and secrets. */
  public boolean reusableOnly() {
    return !triggers.isEmpty() && triggers.stream().allMatch("workflow_call"::equals);
  }

  // The model is a graph (workflow -> jobs -> steps -> job): identity semantics, no recursive printing.
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "workflow " + file.path();
  }
}
