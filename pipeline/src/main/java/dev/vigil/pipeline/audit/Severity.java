package dev.vigil.pipeline.audit;

import java.util.Locale;

/** How bad a finding is if it is true. SARIF levels: critical/high = error, medium = warning, else note. */
public enum Severity {
  INFO, LOW, MEDIUM, HIGH, CRITICAL;

  public String sarifLevel() {
    return switch (this) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      default -> "note";
    };
  }

  /** GitHub code scanning's numeric security severity (0-10) for this level. */
  public String securitySeverity() {
    return switch (this) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "0.0";
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown severity '" + s + "' (use info, low, medium, high or critical)");
    }
  }
}
