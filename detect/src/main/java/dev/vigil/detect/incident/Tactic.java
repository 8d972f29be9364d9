package dev.vigil.detect.incident;

import java.util.Locale;
import java.util.Map;

/**
 * ATT&CK Enterprise tactics in kill-chain order. An incident's stages are the tactics its alerts reached; the
 * order here breaks ties between stages first seen at the same instant.
 */
public enum Tactic {
  RECONNAISSANCE("TA0043", "Reconnaissance"),
  RESOURCE_DEVELOPMENT("TA0042", "Resource Development"),
  INITIAL_ACCESS("TA0001", "Initial Access"),
  EXECUTION("TA0002", "Execution"),
  PERSISTENCE("TA0003", "Persistence"),
  PRIVILEGE_ESCALATION("TA0004", "Privilege Escalation"),
  DEFENSE_EVASION("TA0005", "Defense Evasion"),
  CREDENTIAL_ACCESS("TA0006", "Credential Access"),
  DISCOVERY("TA0007", "Discovery"),
  LATERAL_MOVEMENT("TA0008", "Lateral Movement"),
  COLLECTION("TA0009", "Collection"),
  COMMAND_AND_CONTROL("TA0011", "Command and Control"),
  EXFILTRATION("TA0010", "Exfiltration"),
  IMPACT("TA0040", "Impact");

  private final String uid;
  private final String title;

  Tactic(String uid, String title) {
    this.uid = uid;
    this.title = title;
  }

  /** ATT&CK id, e.g. {@code TA0001}. */
  public String uid() {
    return uid;
  }

  /** ATT&CK's display name, e.g. {@code Initial Access}. */
  public String title() {
    return title;
  }

  /** The short name used in Sigma tags and in {@code Alert.tactics()}: {@code initial-access}. */
  public String slug() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Reads a tactic written any of the usual ways: {@code initial-access}, {@code initial_access},
   * {@code Initial Access}, {@code attack.initial_access}, {@code TA0001}. Null when it is not a tactic.
   */
  public static Tactic parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("attack.")) {
      t = t.substring("attack.".length());
    }
    for (Tactic tactic : values()) {
      if (tactic.uid.equalsIgnoreCase(t)) {
        return tactic;
      }
    }
    String normal = t.replace('-', '_').replace(' ', '_').toUpperCase(Locale.ROOT);
    for (Tactic tactic : values()) {
      if (tactic.name().equals(normal)) {
        return tactic;
      }
    }
    return null;
  }

  // When an alert names techniques but no tactic: the tactic a cloud audit event of that technique serves.
  private static final Map<String, Tactic> BY_TECHNIQUE = Map.ofEntries(
      Map.entry("T1078", INITIAL_ACCESS),
      Map.entry("T1190", INITIAL_ACCESS),
      Map.entry("T1199", INITIAL_ACCESS),
      Map.entry("T1098", PERSISTENCE),
      Map.entry("T1136", PERSISTENCE),
      Map.entry("T1525", PERSISTENCE),
      Map.entry("T1548", PRIVILEGE_ESCALATION),
      Map.entry("T1484", PRIVILEGE_ESCALATION),
      Map.entry("T1562", DEFENSE_EVASION),
      Map.entry("T1070", DEFENSE_EVASION),
      Map.entry("T1535", DEFENSE_EVASION),
      Map.entry("T1578", DEFENSE_EVASION),
      Map.entry("T1552", CREDENTIAL_ACCESS),
      Map.entry("T1528", CREDENTIAL_ACCESS),
      Map.entry("T1110", CREDENTIAL_ACCESS),
      Map.entry("T1555", CREDENTIAL_ACCESS),
      Map.entry("T1087", DISCOVERY),
      Map.entry("T1069", DISCOVERY),
      Map.entry("T1082", DISCOVERY),
      Map.entry("T1526", DISCOVERY),
      Map.entry("T1538", DISCOVERY),
      Map.entry("T1580", DISCOVERY),
      Map.entry("T1619", DISCOVERY),
      Map.entry("T1021", LATERAL_MOVEMENT),
      Map.entry("T1550", LATERAL_MOVEMENT),
      Map.entry("T1530", COLLECTION),
      Map.entry("T1119", COLLECTION),
      Map.entry("T1537", EXFILTRATION),
      Map.entry("T1567", EXFILTRATION),
      Map.entry("T1048", EXFILTRATION),
      Map.entry("T1485", IMPACT),
      Map.entry("T1486", IMPACT),
      Map.entry("T1490", IMPACT),
      Map.entry("T1496", IMPACT),
      Map.entry("T1531", IMPACT));

  /** The tactic for a technique id such as {@code T1098.001} (looked up by its parent), or null. */
  public static Tactic ofTechnique(String technique) {
    if (technique == null) {
      return null;
    }
    String t = technique.trim().toUpperCase(Locale.ROOT);
    if (t.startsWith("ATTACK.")) {
      t = t.substring("ATTACK.".length());
    }
    int dot = t.indexOf('.');
    return BY_TECHNIQUE.get(dot < 0 ? t : t.substring(0, dot));
  }
}
