package dev.vigil.secrets;

import java.util.Locale;

/** How bad a leaked credential of a rule's type is; ordered, so {@code --fail-on} can compare. */
public enum Severity {
  INFO, LOW, MEDIUM, HIGH, CRITICAL;

  public static Severity parse(String s) {
    if (s == null) {
      return MEDIUM;
    }
    String u = s.trim().toUpperCase(Locale.ROOT);
    return u.equals("INFORMATIONAL") ? INFO : valueOf(u);
  }

  /** SARIF's result level for this severity. */
  public String sarifLevel() {
    return switch (this) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      default -> "note";
    };
  }

  /** GitHub code scanning's numeric "security-severity" (0-10). */
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
}
