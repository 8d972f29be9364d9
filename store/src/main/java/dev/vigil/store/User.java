package dev.vigil.store;

/** A person or program with a token. {@code tenant} is set only for tenant viewers. */
public record User(String name, Role role, String tenant) {
  public boolean canWork() {
    return role == Role.ADMIN || role == Role.ANALYST;
  }
}
