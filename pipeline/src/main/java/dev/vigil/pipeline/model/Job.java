package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A job of a workflow: either a normal job with steps or a call to a reusable workflow ({@link #uses()}).
 *
 * @param keyNode the job id's key node (where "this job" findings point)
 */
public record Job(Workflow workflow, String id, YNode keyNode, YNode node, String name, YNode runsOn,
    YNode permissions, YNode env, List<Step> steps, Uses uses, YNode with, YNode secrets, YNode container,
    YNode services, YNode strategy, YNode environment, YNode condition) {

  public CiFile file() {
    return workflow.file();
  }

  /** True for {@code secrets: inherit} on a reusable-workflow call. */
  public boolean inheritsSecrets() {
    return secrets != null && secrets.isScalar() && "inherit".equals(secrets.text());
  }

  /** The images this job runs in: its container and its service containers, as nodes of the image text. */
  public List<YNode> images() {
    List<YNode> out = new ArrayList<>();
    if (container != null) {
      if (container.isScalar() && !container.isNull()) {
        out.add(container);
      } else if (container.isMap() && container.get("image") != null) {
        out.add(container.get("image"));
      }
    }
    if (services != null && services.isMap()) {
      for (YNode.Entry e : services.entries()) {
        YNode s = e.value();
        if (s.isScalar() && !s.isNull()) {
          out.add(s);
        } else if (s.isMap() && s.get("image") != null) {
          out.add(s.get("image"));
        }
      }
    }
    return out;
  }

  /** The effective permissions node: the job's own, else the workflow's; null means GitHub's defaults apply. */
  public YNode effectivePermissions() {
    return permissions != null ? permissions : workflow.permissions();
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
    return "job " + id + " (" + file().path() + ":" + keyNode.line() + ")";
  }
}
