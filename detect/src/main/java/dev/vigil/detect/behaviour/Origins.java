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
    return ip != null && (ip.indexOf(':') >= 0 || (!ip.isEmpty() && Character.isDigit(ip.charAt(0))
        && ip.chars().allMatch(c -> c == '.' || Character.isDigit(c))));
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
    String[] p = ip.split("\\.");
    if (p.length != 4) {
      return ip;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      // anonymised logs carry leading zeros (035.249.1.2): normalise them
      sb.append(i < octets ? String.valueOf(parseOctet(p[i])) : "0").append(i < 3 ? "." : "");
    }
    return sb.append('/').append(octets * 8).toString();
  }

  private static int parseOctet(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
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
