package dev.vigil.simulate;

import java.util.SplittableRandom;

/** Identifiers shaped like AWS's: event ids, request ids, access key ids, principal ids. */
final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final char[] KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final char[] MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final char[] B64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private Ids() {}

  /** A random (version 4) UUID, as CloudTrail's eventID. */
  static String uuid(SplittableRandom r) {
    long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    char[] c = new char[36];
    int p = 0;
    for (int i = 60; i >= 0; i -= 4) {
      if (p == 8 || p == 13) {
        c[p++] = '-';
      }
      c[p++] = HEX[(int) (hi >>> i) & 15];
    }
    for (int i = 60; i >= 0; i -= 4) {
      if (p == 18 || p == 23) {
        c[p++] = '-';
      }
      c[p++] = HEX[(int) (lo >>> i) & 15];
    }
    return new String(c);
  }

  /** An access key id: {@code AKIA} (long-term) or {@code ASIA} (session) and 16 base-32 characters. */
  static String accessKey(SplittableRandom r, String prefix) {
    return prefix + pick(r, KEY_CHARS, 16);
  }

  /** A unique principal id such as {@code AIDA...} (user) or {@code AROA...} (role). */
  static String principalId(SplittableRandom r, String prefix) {
    return prefix + pick(r, KEY_CHARS, 17);
  }

  /** S3's request id: 16 upper-case hex digits. */
  static String s3RequestId(SplittableRandom r) {
    return pick(r, UPPER_HEX, 16);
  }

  /** S3's extended request id ({@code x-amz-id-2}). */
  static String amzId2(SplittableRandom r) {
    return pick(r, B64, 76);
  }

  /** The unique part of a CloudTrail delivery file name. */
  static String deliveryUnique(SplittableRandom r) {
    return pick(r, MIXED, 16);
  }

  static String upperAlnum(SplittableRandom r, int n) {
    return pick(r, ALNUM, n);
  }

  static String hex(SplittableRandom r, int n) {
    return pick(r, HEX, n);
  }

  private static String pick(SplittableRandom r, char[] alphabet, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = alphabet[r.nextInt(alphabet.length)];
    }
    return new String(c);
  }

  /** A stable 64-bit mix of a seed and labels, to derive independent random streams by name. */
  static long mix(long seed, String... labels) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (String label : labels) {
      for (int i = 0; i < label.length(); i++) {
        h = (h ^ label.charAt(i)) * 0x100000001B3L;
        h ^= h >>> 29;
      }
      h = h * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    }
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    return h ^ (h >>> 29);
  }
}
