package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import dev.vigil.intel.IocFeed;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A call from an address the IOC feed lists (attacker cloud infrastructure, C2). */
public final class KnownBadAddressDetector extends BehaviourDetector {

  public static final String ID = "vigil.intel.known-bad-address";

  public KnownBadAddressDetector() {
    super(ID, "Call from a known attacker address", Severity.HIGH, List.of("T1078.004"), List.of("initial-access"),
        List.of("https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html"),
        "The source address is an address indicator of the IOC feed (the bundled TeamPCP feed, plus --feed). "
            + "Raised once per principal and address.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    String ip = o.event().sourceIp();
    if (!o.fromAddress()) {
      return;
    }
    Optional<IocFeed.Indicator> hit = ctx.feed().address(ip);
    if (hit.isEmpty() && ip.indexOf(':') < 0) {
      String canonical = canonical(ip);
      if (!canonical.equals(ip)) {
        hit = ctx.feed().address(canonical);
      }
    }
    if (hit.isEmpty() || !ctx.once(o, ID, ip, 0)) {
      return;
    }
    IocFeed.Indicator i = hit.get();
    Map<String, Object> d = facts(o);
    d.put("indicator", i.value());
    if (i.role() != null) {
      d.put("indicator_role", i.role());
    }
    if (i.feedId() != null) {
      d.put("feed", i.feedId());
    }
    String why = o.principal() + " called " + o.event().action() + " from " + ip + ", listed in IOC feed "
        + i.feedId() + (i.role() != null ? " as " + i.role() : "") + ".";
    ctx.emit(o, alert(severity(), why, List.of(o.event()), d));
  }

  /** 035.001.2.3 → 35.1.2.3 (anonymised logs pad octets with zeros). */
  static String canonical(String ip) {
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return ip; // IPv6, or a service name such as "ec2.amazonaws.com": never zero-padded
      }
    }
    if (ip.isEmpty() || (ip.charAt(0) != '0' && !ip.contains(".0"))) {
      return ip; // no octet starts with a zero: nothing to strip (the common case)
    }
    StringBuilder sb = new StringBuilder(ip.length());
    boolean leading = true; // at the start of an octet, before its first significant digit
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
      if (c == '.') {
        if (leading && i > 0 && ip.charAt(i - 1) == '0') {
          sb.append('0'); // the octet was all zeros
        }
        sb.append('.');
        leading = true;
      } else if (leading && c == '0') {
        continue;
      } else {
        sb.append(c);
        leading = false;
      }
    }
    if (leading && !ip.isEmpty() && ip.charAt(ip.length() - 1) == '0') {
      sb.append('0');
    }
    return sb.toString();
  }

}
