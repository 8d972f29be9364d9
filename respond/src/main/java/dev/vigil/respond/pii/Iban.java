package dev.vigil.respond.pii;

import java.math.BigInteger;
import java.util.Map;

/** IBAN validation: the country's length and the ISO 13616 mod-97 checksum. */
public final class Iban {
  /** Lengths for the SEPA countries and a few neighbours; an unknown country is not an IBAN here. */
  private static final Map<String, Integer> LENGTHS = Map.ofEntries(
      Map.entry("AT", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("CH", 21), Map.entry("CY", 28),
      Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("EE", 20), Map.entry("ES", 24),
      Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GR", 27), Map.entry("HR", 21),
      Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IS", 26), Map.entry("IT", 27), Map.entry("LI", 21),
      Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MT", 31),
      Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PL", 28), Map.entry("PT", 25), Map.entry("RO", 24),
      Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("VA", 22));
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private Iban() {}

  /** True when {@code candidate} (spaces allowed) is a well-formed IBAN with a valid checksum. */
  public static boolean valid(String candidate) {
    String s = candidate.replace(" ", "");
    if (s.length() < 15 || s.length() > 34) {
      return false;
    }
    Integer length = LENGTHS.get(s.substring(0, 2));
    if (length == null || s.length() != length || !Character.isDigit(s.charAt(2)) || !Character.isDigit(s.charAt(3))) {
      return false;
    }
    StringBuilder digits = new StringBuilder(s.length() * 2);
    String rearranged = s.substring(4) + s.substring(0, 4);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        digits.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }

  /** Builds a valid IBAN from a country code and a national account number (for tests and simulations). */
  public static String withChecksum(String country, String bban) {
    StringBuilder digits = new StringBuilder();
    for (char c : (bban + country + "00").toCharArray()) {
      digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    int check = 98 - new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue();
    return country + (check < 10 ? "0" : "") + check + bban;
  }
}
