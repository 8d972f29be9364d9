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
}
