package dev.vigil.store;

/** What a user may do: admins manage everything, analysts work incidents, tenant viewers read their own. */
public enum Role {
  ADMIN, ANALYST, TENANT_VIEWER;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role parse(String s) {
    return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
