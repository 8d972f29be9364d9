package dev.vigil.pipeline.model;

/**
 * Something wrong with an input file. A fatal problem means the file could not be audited at all (unreadable,
 * not YAML, not a mapping); other problems (unknown keys, wrong shapes) are reported and the file is still audited.
 */
public record Problem(String path, int line, int column, String message, boolean fatal) {
  @Override
  public String toString() {
    return path + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
  }
}
