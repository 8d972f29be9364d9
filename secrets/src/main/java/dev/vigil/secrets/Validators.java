package dev.vigil.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32;

/**
 * Structural and checksum checks that a regular expression cannot express, by name ({@code validator:} in a rule).
 * Each takes the secret and says whether it is well-formed; a failing candidate is dropped.
 */
public final class Validators {
  private Validators() {}

  static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** The four-letter prefixes of AWS access key ids (long-term, temporary, STS bearer, context). */
  static final Set<String> AWS_KEY_PREFIXES = Set.of("AKIA", "ASIA", "ABIA", "ACCA");

  private static final Map<String, Predicate<String>> BY_NAME = Map.of(
      "github-crc32", Validators::githubChecksum,
      "aws-key-id", Validators::awsKeyId,
      "jwt", Validators::jwt,
      "base64-64-bytes", s -> decodedLength(s) == 64,
      "basic-auth", Validators::basicAuth,
      "pem-body", Validators::pemBody);

  public static boolean exists(String name) {
    return BY_NAME.containsKey(name);
  }

  public static java.util.Set<String> names() {
    return BY_NAME.keySet();
  }

  public static boolean valid(String name, String secret) {
    return BY_NAME.get(name).test(secret);
  }

  /**
   * GitHub's token format: a prefix ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}), 30 random
   * characters and the CRC32 of those characters in base 62, left-padded to six characters.
   */
  static boolean githubChecksum(String token) {
    int us = token.indexOf('_');
    String rest = token.substring(us + 1);
    if (rest.length() != 36) {
      return false;
    }
    return githubCrc(rest.substring(0, 30)).equals(rest.substring(30));
  }

  /** The six-character base-62 CRC32 GitHub appends to a token body. */
  public static String githubCrc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long v = crc.getValue();
    StringBuilder sb = new StringBuilder();
    while (v > 0) {
      sb.append(BASE62.charAt((int) (v % 62)));
      v /= 62;
    }
    while (sb.length() < 6) {
      sb.append('0');
    }
    return sb.reverse().toString();
  }

  /** An AWS access key id: a known prefix and 16 base-32 (A-Z, 2-7) characters. */
  static boolean awsKeyId(String id) {
    if (id.length() != 20 || !AWS_KEY_PREFIXES.contains(id.substring(0, 4))) {
      return false;
    }
    for (int i = 4; i < 20; i++) {
      char c = id.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The AWS account id encoded in a key id (characters 5 to 12, base 32, 40 bits shifted by 7), or null for a key
   * id of the old format it cannot be decoded from.
   */
  public static String awsAccountId(String keyId) {
    if (!awsKeyId(keyId)) {
      return null;
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    long bits = 0;
    for (int i = 4; i < 14; i++) { // 10 characters = 50 bits, enough for the 48 we need
      bits = (bits << 5) | alphabet.indexOf(keyId.charAt(i));
    }
    long first6Bytes = bits >>> 2; // 48 bits
    long account = (first6Bytes & 0x7fffffffff80L) >>> 7;
    return String.format("%012d", account);
  }

  static boolean jwt(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    String header = decodeUrl(parts[0]);
    String payload = decodeUrl(parts[1]);
    return header != null && header.startsWith("{") && header.contains("\"alg\"")
        && payload != null && payload.startsWith("{");
  }

  private static String decodeUrl(String s) {
    try {
      return new String(Base64.getUrlDecoder().decode(stripPadding(s)), StandardCharsets.UTF_8).trim();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  static int decodedLength(String s) {
    try {
      return Base64.getDecoder().decode(s).length;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** Base64 of {@code user:password}, printable, with a non-empty password. */
  static boolean basicAuth(String s) {
    try {
      String d = new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
      int colon = d.indexOf(':');
      if (colon < 1 || colon == d.length() - 1) {
        return false;
      }
      return d.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The body of a PEM private key block: after dropping header lines ({@code Proc-Type: ...}), line breaks (real
   * or escaped as {@code \n} inside JSON strings) and string quoting, at least 40 base-64 characters.
   */
  static boolean pemBody(String body) {
    StringBuilder b64 = new StringBuilder();
    for (String line : body.replace("\\n", "\n").replace("\\r", "\n").split("\n")) {
      String t = line.strip();
      if (t.contains(":")) {
        continue;
      }
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=') {
          b64.append(c);
        } else if (c != '"' && c != '\'' && c != ',' && c != ' ' && c != '\t') {
          return false;
        }
      }
    }
    return b64.length() >= 40;
  }
}
