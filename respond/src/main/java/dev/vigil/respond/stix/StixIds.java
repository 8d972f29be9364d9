package dev.vigil.respond.stix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Deterministic STIX identifiers: UUIDv5 in the STIX namespace, so the same facts give the same ids. */
public final class StixIds {
  /** The namespace STIX 2.1 defines for deterministic identifiers (section 2.9). */
  private static final UUID STIX_NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");

  private StixIds() {}

  public static String id(String type, String name) {
    return type + "--" + uuid5(STIX_NAMESPACE, type + "|" + name);
  }

  static UUID uuid5(UUID namespace, String name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] ns = new byte[16];
      long msb = namespace.getMostSignificantBits();
      long lsb = namespace.getLeastSignificantBits();
      for (int i = 0; i < 8; i++) {
        ns[i] = (byte) (msb >>> (56 - 8 * i));
        ns[8 + i] = (byte) (lsb >>> (56 - 8 * i));
      }
      sha1.update(ns);
      byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
      h[6] = (byte) ((h[6] & 0x0f) | 0x50);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | (h[i] & 0xff);
        lo = (lo << 8) | (h[8 + i] & 0xff);
      }
      return new UUID(hi, lo);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
