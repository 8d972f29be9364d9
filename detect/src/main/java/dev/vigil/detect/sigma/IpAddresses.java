package dev.vigil.detect.sigma;

/**
 * Parses IP address literals without any name lookup. IPv4 parts with leading zeros ({@code 035.249.253.232}, as in
 * anonymised CloudTrail corpora) are read as decimal.
 */
final class IpAddresses {
  private IpAddresses() {}

  /** The address bytes (4 or 16), or null when the text is not an address literal. */
  static byte[] parse(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      return parseV6(s);
    }
    return parseV4(s);
  }

  static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null;
      }
    }
    try {
      // a literal containing only hex digits, colons and dots: InetAddress parses it without a lookup
      byte[] a = java.net.InetAddress.getByName(s.startsWith("[") ? s : s).getAddress();
      return a;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  static boolean inNetwork(byte[] address, byte[] network, int prefix) {
    if (address.length != network.length) {
      // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is compared as IPv4
      if (address.length == 16 && network.length == 4 && isMapped(address)) {
        byte[] v4 = new byte[4];
        System.arraycopy(address, 12, v4, 0, 4);
        return inNetwork(v4, network, prefix);
      }
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  private static boolean isMapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
  }
}
