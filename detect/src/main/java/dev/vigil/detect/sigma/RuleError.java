package dev.vigil.detect.sigma;

/** Why a rule cannot be loaded; {@code path} is the YAML key path the problem is at (for its line number). */
final class RuleError extends Exception {
  private static final long serialVersionUID = 1L;
  final String path;

  RuleError(String path, String message) {
    super(message);
    this.path = path;
  }
}
