package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.List;

/**
 * An action's metadata file ({@code action.yml}): composite actions have steps, Docker actions an image.
 *
 * @param using {@code composite}, {@code docker}, {@code node20}...
 * @param image for Docker actions, the {@code runs.image} node
 */
public record ActionFile(CiFile file, YNode root, String name, String using, YNode image, List<Step> steps) {
  public boolean composite() {
    return "composite".equals(using);
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
    return "action " + file.path();
  }
}
