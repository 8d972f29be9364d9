package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The third-party corpora, read in place; tests fail loudly when they are missing. */
final class Shared {
  private Shared() {}

  static Path dir(String sub) {
    String prop = System.getProperty("vigil.shared");
    Path base = prop != null ? Path.of(prop) : Path.of("..", "shared");
    Path p = base.resolve(sub);
    assertThat(p).as("corpus %s (set -Dvigil.shared or place ../shared next to the repository)", p).isDirectory();
    return p;
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
