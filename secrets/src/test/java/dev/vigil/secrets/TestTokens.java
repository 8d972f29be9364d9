package dev.vigil.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates credential-shaped test values from templates, so neither the rules file nor the tests hold a literal
 * token that push protection or a scanner would flag. Seeded: the same template gives the same value in every run.
 */
final class TestTokens {
  static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String DIGITS = "0123456789";
  static final String ALNUM = UPPER + LOWER + DIGITS;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z0-9]+)(?::([^}]*))?\\}\\}");

  private final Random random;

  TestTokens(long seed) {
    random = new Random(seed);
  }

  String of(String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** A GitHub-format token: prefix, 30 random characters and their CRC32 in base 62. */
  String github(String prefix) {
    String body = of(ALNUM, 30);
    return prefix + "_" + body + Validators.githubCrc(body);
  }

  String awsKeyId() {
    return "AKIA" + of(UPPER + "234567", 16);
  }

  String awsSecret() {
    return of(ALNUM + "+/", 40);
  }

  String jwt() {
    Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
    String header = e.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = e.encodeToString(("{\"sub\":\"" + of(LOWER, 8) + "\",\"iat\":1700000000}")
        .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + of(ALNUM + "_-", 43);
  }

  /** A PEM body: lines of 64 base-64 characters. */
  String pem() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(of(ALNUM + "+/", 64));
    }
    return sb.toString();
  }

  /** Expands the {{kind:arg}} placeholders of a rule example (see rules.yaml). */
  String expand(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String arg = m.group(2);
      int n = arg != null && arg.matches("\\d+") ? Integer.parseInt(arg) : 0;
      String v = switch (kind) {
        case "alnum" -> of(ALNUM, n);
        case "alpha" -> of(UPPER + LOWER, n);
        case "hex" -> of(DIGITS + "abcdef", n);
        case "HEX" -> of(DIGITS + "ABCDEF", n);
        case "b32" -> of(UPPER + "234567", n);
        case "lb32" -> of(LOWER + "234567", n);
        case "b64" -> of(ALNUM + "+/", n);
        case "b64url" -> of(ALNUM + "_-", n);
        case "digits" -> of(DIGITS, n);
        case "lower" -> of(LOWER, n);
        case "upper" -> of(UPPER, n);
        case "ualnum" -> of(UPPER + DIGITS, n);
        case "lalnum" -> of(LOWER + DIGITS, n);
        case "bech32" -> of("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", n);
        case "bcrypt" -> of(ALNUM + "./", n);
        case "uuid" -> of(DIGITS + "abcdef", 8) + "-" + of(DIGITS + "abcdef", 4) + "-" + of(DIGITS + "abcdef", 4)
            + "-" + of(DIGITS + "abcdef", 4) + "-" + of(DIGITS + "abcdef", 12);
        case "ghtoken" -> github(arg);
        case "jwt" -> jwt();
        case "pem" -> pem();
        case "azkey" -> Base64.getEncoder().encodeToString(bytes(64));
        case "basic" -> Base64.getEncoder().encodeToString((of(LOWER, 6) + ":" + of(ALNUM, 14))
            .getBytes(StandardCharsets.UTF_8));
        case "lit" -> arg;
        default -> throw new IllegalArgumentException("unknown placeholder {{" + kind + "}} in " + template);
      };
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
