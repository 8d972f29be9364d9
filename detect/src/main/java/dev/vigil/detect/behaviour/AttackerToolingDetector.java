package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attacker tooling in the user agent: TruffleHog validating a found key, Kali/Parrot/Pentoo builds of the AWS
 * CLI, Pacu, ScoutSuite, bulk-copy clients. Markers come from {@code tooling.user_agents} and from the IOC feed.
 */
public final class AttackerToolingDetector extends BehaviourDetector {

  public static final String ID = "vigil.tooling.attacker-user-agent";

  public AttackerToolingDetector() {
    super(ID, "Attacker tooling in the user agent", Severity.HIGH, List.of("T1078.004", "T1595"),
        List.of("initial-access", "reconnaissance"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
                + "initial_access_suspicious_user_agent_detected_in_cloudtrail.toml",
            "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html"),
        "The user agent contains a marker of offensive tooling (tooling.user_agents, plus the IOC feed's "
            + "user-agent markers). Raised once per principal, marker and address.");
  }

  /** The configured markers as arrays: iterating an immutable map's entries for every event showed in profiles. */
  private record Markers(Map<String, String> source, String[] needles, String[] tools) {}

  private volatile Markers markers;

  private Markers markers(Map<String, String> configured) {
    Markers m = markers;
    if (m == null || m.source != configured) {
      m = new Markers(configured, configured.keySet().toArray(new String[0]), configured.values().toArray(new String[0]));
      markers = m;
    }
    return m;
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    String ua = o.event().userAgent();
    if (ua == null) {
      return;
    }
    String lower = ua.toLowerCase(Locale.ROOT);
    String marker = null;
    String what = null;
    Markers markers = markers(ctx.config().toolingUserAgents);
    for (int i = 0; i < markers.needles.length; i++) {
      String needle = markers.needles[i];
      if (lower.contains(needle) && (marker == null || needle.length() > marker.length())) {
        marker = needle;
        what = markers.tools[i];
      }
    }
    if (marker == null) {
      var fromFeed = ctx.feed().userAgentMarker(ua);
      if (fromFeed.isEmpty()) {
        return;
      }
      marker = fromFeed.get().toLowerCase(Locale.ROOT);
      what = "user-agent marker from the IOC feed";
    }
    if (!ctx.once(o, ID, marker + "|" + o.event().sourceIp(), 0)) {
      return;
    }
    Map<String, Object> d = facts(o);
    d.put("marker", marker);
    d.put("tool", what);
    String why = o.principal() + " called " + o.event().action() + " from " + o.event().sourceIp()
        + " with a user agent containing '" + marker + "' (" + what + ")"
        + (o.event().failed() ? ", which failed with " + o.event().errorCode() : "") + ".";
    ctx.emit(o, alert(severity(), why, List.of(o.event()), d));
  }
}
