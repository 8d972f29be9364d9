package dev.vigil.secrets;

/**
 * How a secret is shown by default: a few leading and trailing characters around a fixed mask, so people can tell
 * which key it is (an AWS key id's prefix and last characters) without the output holding the secret. The mask has
 * a fixed length, so the output does not reveal the secret's length either.
 */
public final class Redaction {
  public static final String MASK = "*****";

  private Redaction() {}

  public static String redact(String raw) {
    // multi-line secrets (PEM bodies) are shown on one line, without their line breaks
    String secret = raw.strip().replace("\\n", "").replace("\r", "").replace("\n", "");
    int n = secret.length();
    if (n >= 32) {
      return secret.substring(0, 4) + MASK + secret.substring(n - 4);
    }
    if (n >= 20) {
      return secret.substring(0, 4) + MASK + secret.substring(n - 2);
    }
    if (n >= 10) {
      return secret.substring(0, 2) + MASK + secret.substring(n - 1);
    }
    return (n >= 6 ? secret.substring(0, 1) : "") + MASK;
  }
}
