package dev.vigil.detect.behaviour;

import dev.vigil.ingest.AuditEvent;
import java.util.Locale;

/**
 * Where a call came from, coarsened so that baselines learn networks and client families instead of single
 * values. Without a redistributable IP-to-ASN database, the network of an IPv4 address is its /16 (large cloud
 * ranges such as GitHub-hosted runners' are /16 or wider) and /24 is kept for evidence; IPv6 uses its /32.
 */
public final class Origins {

  private Origins() {}

  /** The stable identity that baselines are learned for: the user for IAM users, the role for role sessions. */
  public static String principal(AuditEvent.Actor a) {
    if (a.sessionIssuerArn() != null && !a.sessionIssuerArn().isEmpty()) {
      return a.sessionIssuerArn();
    }
    if (a.principalArn() != null && !a.principalArn().isEmpty()) {
      return a.principalArn();
    }
    return a.key();
  }

  /** True when {@code ip} is a literal address (not a service name such as {@code s3.amazonaws.com}). */
  public static boolean isAddress(String ip) {
    if (ip == null || ip.isEmpty()) {
      return false;
    }
    if (ip.indexOf(':') >= 0) {
      return true;
    }
    if (!Character.isDigit(ip.charAt(0))) {
      return false;
    }
    for (int i = 1; i < ip.length(); i++) { // a loop, not a stream: this runs several times for every event
      char c = ip.charAt(i);
      if (c != '.' && !Character.isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  /** The /16 network of an IPv4 address ({@code 20.7.0.0/16}), /32 of IPv6, or the value itself otherwise. */
  public static String network(String ip) {
    return prefix(ip, 2);
  }

  /** The /24 network of an IPv4 address, or {@link #network}. */
  public static String network24(String ip) {
    return prefix(ip, 3);
  }

  private static String prefix(String ip, int octets) {
    if (ip == null || ip.isEmpty()) {
      return "unknown";
    }
    if (!isAddress(ip)) {
      return ip.toLowerCase(Locale.ROOT);
    }
    if (ip.indexOf(':') >= 0) {
      String[] g = ip.split(":", -1);
      return (g.length > 1 ? g[0] + ":" + g[1] : g[0]) + "::/32";
    }
    // four dot-separated decimal octets, read in place; anonymised logs carry leading zeros (035.249.1.2), which
    // the numbers normalise; an octet of more than 9 digits reads as -1, as before
    StringBuilder sb = new StringBuilder(20);
    int start = 0;
    for (int i = 0; i < 4; i++) {
      int end = ip.indexOf('.', start);
      if ((i < 3) != (end >= 0)) {
        return ip; // not four parts
      }
      if (end < 0) {
        end = ip.length();
        if (end == start) {
          return ip; // a trailing dot: not four parts
        }
      }
      if (i < octets) {
        sb.append(parseOctet(ip, start, end)).append(i < 3 ? "." : "");
      } else {
        sb.append(i < 3 ? "0." : "0");
      }
      start = end + 1;
    }
    return sb.append('/').append(octets * 8).toString();
  }

  private static long parseOctet(String s, int from, int to) {
    if (to == from || to - from > 9) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (s.charAt(i) - '0'); // isAddress admitted only digits and dots
    }
    return v;
  }

  /**
   * The client family of a user agent: its first product name, plus the Linux distribution when the AWS CLI
   * names one ({@code aws-cli/ubuntu}, {@code aws-cli/kali}), lower-case. Versions are dropped so that a runner
   * image update does not look like a new client.
   */
  public static String agentFamily(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return "none";
    }
    String ua = userAgent.trim();
    if (ua.startsWith("[")) {
      ua = ua.substring(1);
    }
    int end = 0;
    while (end < ua.length() && " /,;()[]".indexOf(ua.charAt(end)) < 0) {
      end++;
    }
    String family = ua.substring(0, end).toLowerCase(Locale.ROOT);
    int d = ua.indexOf("md/distrib#");
    if (d >= 0) {
      int s = d + "md/distrib#".length();
      int e = s;
      while (e < ua.length() && Character.isLetter(ua.charAt(e))) {
        e++;
      }
      family += "/" + ua.substring(s, e).toLowerCase(Locale.ROOT);
    }
    return family.isEmpty() ? "none" : family;
  }

  /** The desktop operating system an AWS CLI/SDK agent names, or null (servers and services name none). */
  public static String desktopOs(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    String ua = userAgent.toLowerCase(Locale.ROOT);
    if (ua.contains("os/macos") || ua.contains("darwin/")) {
      return "macOS";
    }
    if (ua.contains("os/windows") || ua.contains("windows/") || ua.contains("windows nt")) {
      return "Windows";
    }
    return null;
  }
}
