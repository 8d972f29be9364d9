package dev.vigil.respond.pii;

/** Redacted forms of personal data for reports: enough to recognise a kind of value, never enough to use it. */
public final class Redaction {
  private Redaction() {}

  /** {@code jane.doe@example.eu} becomes {@code j***@e***.eu}. */
  public static String email(String address) {
    int at = address.indexOf('@');
    if (at <= 0) {
      return "***";
    }
    String domain = address.substring(at + 1);
    int dot = domain.lastIndexOf('.');
    String tld = dot >= 0 ? domain.substring(dot) : "";
    return address.charAt(0) + "***@" + (domain.isEmpty() ? "" : domain.charAt(0)) + "***" + tld;
  }

  /** {@code +32475123456} becomes {@code +32 *** ** 56}: the country code and the last two digits. */
  public static String phone(String e164, int countryCode) {
    String cc = "+" + countryCode;
    String tail = e164.length() >= 2 ? e164.substring(e164.length() - 2) : "";
    return cc + " *** ** " + tail;
  }

  /** {@code BE71096123456769} becomes {@code BE** **** **** 6769}. */
  public static String iban(String compact) {
    return compact.substring(0, 2) + "** **** **** " + compact.substring(compact.length() - 4);
  }

  /** {@code Jane Doe} becomes {@code J. D.}. */
  public static String name(String name) {
    StringBuilder b = new StringBuilder();
    for (String part : name.trim().split("\\s+")) {
      if (!part.isEmpty()) {
        if (b.length() > 0) {
          b.append(' ');
        }
        b.append(Character.toUpperCase(part.charAt(0))).append('.');
      }
    }
    return b.toString();
  }
}
