package dev.vigil.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared; a test that needs it fails loudly when it is missing, never skips. */
final class SharedCorpora {
  private SharedCorpora() {}

  static Path path(String relative) {
    String configured = System.getProperty("vigil.shared");
    Path root = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
    Path p = root.resolve(relative).normalize();
    if (!Files.exists(p)) {
      throw new AssertionError("required test corpus missing: " + p.toAbsolutePath()
          + " (the shared/ folder must sit beside the repository; set -Dvigil.shared=DIR to point elsewhere)");
    }
    return p;
  }
}
