package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.Map;

/**
 * A step of a job or of a composite action.
 *
 * @param job    the job it runs in, or null for a composite action's step
 * @param action the composite action it belongs to, or null for a workflow step
 */
public record Step(CiFile file, Job job, ActionFile action, int index, YNode node, String id, String name,
    Uses uses, YNode run, YNode with, YNode env, YNode condition) {

  /** {@code with:} as key to value node (empty when absent or not a mapping). */
  public Map<String, YNode> inputs() {
    return with != null && with.isMap() ? with.asMap() : Map.of();
  }

  public String input(String key) {
    return with != null && with.isMap() ? with.str(key) : null;
  }

  /** A readable label: name, id, uses or run's first line. */
  public String label() {
    if (name != null) {
      return name;
    }
    if (id != null) {
      return id;
    }
    if (uses != null) {
      return uses.raw();
    }
    if (run != null && run.isScalar()) {
      String first = run.text().strip().lines().findFirst().orElse("run");
      return first.length() > 60 ? first.substring(0, 57) + "..." : first;
    }
    return "step " + (index + 1);
  }

  /** The workflow it belongs to, or null in an action. */
  public Workflow workflow() {
    return job == null ? null : job.workflow();
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
    return "step " + label() + " (" + file.path() + ":" + node.line() + ")";
  }
}
