package dev.vigil.store;

/** Something an incident touches: kind is tenant, bucket, account, key or address. */
public record Touch(String kind, String value) {
  public static Touch tenant(String v) { return new Touch("tenant", v); }
  public static Touch bucket(String v) { return new Touch("bucket", v); }
  public static Touch account(String v) { return new Touch("account", v); }
  public static Touch key(String v) { return new Touch("key", v); }
  public static Touch address(String v) { return new Touch("address", v); }
}
