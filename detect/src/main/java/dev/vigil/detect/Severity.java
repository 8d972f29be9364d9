package dev.vigil.detect;

import java.util.Locale;

/** Severity of an alert or incident, with the OCSF {@code severity_id} it maps to. */
public enum Severity {
  INFORMATIONAL(1), LOW(2), MEDIUM(3), HIGH(4), CRITICAL(5);

  private final int ocsfId;

  Severity(int ocsfId) {
    this.ocsfId = ocsfId;
  }

  public int ocsfId() {
    return ocsfId;
  }

  /** OCSF's caption: "Informational", "Low", ... */
  public String caption() {
    String n = name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** Parses Sigma levels (informational, low, medium, high, critical) and our own names, any case. */
  public static Severity parse(String level) {
    if (level == null) {
      return MEDIUM;
    }
    String l = level.trim().toUpperCase(Locale.ROOT);
    return l.equals("INFO") ? INFORMATIONAL : valueOf(l);
  }

  public Severity raise() {
    return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
  }
}
