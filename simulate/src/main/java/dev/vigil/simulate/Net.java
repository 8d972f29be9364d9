package dev.vigil.simulate;

import java.util.SplittableRandom;

/** IPv4 networks: a random address inside a CIDR block. */
final class Net {
  private Net() {}

  static String address(SplittableRandom r, String cidr) {
    int slash = cidr.indexOf('/');
    String[] parts = cidr.substring(0, slash).split("\\.");
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    long base = 0;
    for (String p : parts) {
      base = base << 8 | Integer.parseInt(p);
    }
    long size = 1L << (32 - bits);
    // avoid network and broadcast addresses and .0/.255 hosts, which look odd in logs
    long host;
    long a;
    do {
      host = size <= 2 ? 0 : 1 + r.nextLong(size - 2);
      a = base + host;
    } while (size > 256 && ((a & 255) == 0 || (a & 255) == 255));
    return (a >>> 24 & 255) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
  }

  static boolean contains(String cidr, String ip) {
    int slash = cidr.indexOf('/');
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (toLong(cidr.substring(0, slash)) & mask) == (toLong(ip) & mask);
  }

  static long toLong(String ip) {
    long v = 0;
    for (String p : ip.split("\\.")) {
      v = v << 8 | Integer.parseInt(p);
    }
    return v;
  }
}
