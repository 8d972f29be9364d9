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

  /**
   * The configured markers as arrays, and a table of their first two (lower-case ASCII) characters: a user agent is
   * then searched in one pass without building its lower-case copy, which showed in profiles for every event.
   */
  record Markers(Map<String, String> source, String[] needles, String[] tools, boolean[] firstPairs,
      boolean asciiOnly) {
    static Markers of(Map<String, String> configured) {
      String[] needles = configured.keySet().toArray(new String[0]);
      String[] tools = configured.values().toArray(new String[0]);
      boolean[] pairs = new boolean[128 * 128];
      boolean ascii = true;
      for (String n : needles) {
        ascii &= n.length() >= 2 && n.chars().allMatch(c -> c < 128);
        if (n.length() >= 2 && n.charAt(0) < 128 && n.charAt(1) < 128) {
          pairs[n.charAt(0) * 128 + n.charAt(1)] = true;
        }
      }
      return new Markers(configured, needles, tools, pairs, ascii);
    }

    /** Which needles {@code ua} contains, ignoring ASCII case; null when the fast path does not apply. */
    boolean[] containedIn(String ua) {
      if (!asciiOnly) {
        return null;
      }
      boolean[] found = null;
      int len = ua.length();
      char previous = len > 0 ? lower(ua.charAt(0)) : 0;
      if (previous >= 128) {
        return null;
      }
      for (int i = 1; i < len; i++) {
        char c = lower(ua.charAt(i));
        if (c >= 128) {
          return null; // non-ASCII lower-cases by other rules: take the exact path
        }
        if (firstPairs[previous * 128 + c]) {
          for (int k = 0; k < needles.length; k++) {
            if (ua.regionMatches(true, i - 1, needles[k], 0, needles[k].length())) {
              if (found == null) {
                found = new boolean[needles.length];
              }
              found[k] = true;
            }
          }
        }
        previous = c;
      }
      return found == null ? NONE : found;
    }

    private static final boolean[] NONE = new boolean[0];

    private static char lower(char c) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
  }

  private volatile Markers markers;

  private Markers markers(Map<String, String> configured) {
    Markers m = markers;
    if (m == null || m.source != configured) {
      m = Markers.of(configured);
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
    String marker = null;
    String what = null;
    Markers markers = markers(ctx.config().toolingUserAgents);
    boolean[] contained = markers.containedIn(ua);
    String lower = contained == null ? ua.toLowerCase(Locale.ROOT) : null;
    for (int i = 0; i < markers.needles.length; i++) {
      String needle = markers.needles[i];
      boolean in = contained == null ? lower.contains(needle) : contained.length > 0 && contained[i];
      if (in && (marker == null || needle.length() > marker.length())) {
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
