package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;

/**
 * A long-term key (or any IAM user's credentials) used from a network its user was never seen from. A user
 * normally seen from many networks (a CI key on cloud runners) is "nomadic": for it a new network only counts
 * together with a client family it never used.
 */
public final class FirstSeenOriginDetector extends BehaviourDetector {

  public static final String ID = "vigil.stolen-key.first-seen-origin";

  public FirstSeenOriginDetector() {
    super(ID, "Access key used from a new origin", Severity.HIGH, List.of("T1078.004"), List.of("initial-access"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
                + "credential_access_iam_long_term_access_key_first_seen_from_source_ip.toml",
            "https://kudelskisecurity.com/research/investigating-two-variants-of-the-trivy-supply-chain-compromise"),
        "An IAM user's key is used from a /16 network its user never called from (and, for users normally seen "
            + "from many networks, with a client family it never used), after its baseline is mature.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    if (o.learning() || !o.mature() || !o.longTermCaller() || !o.fromAddress() || !o.newNetwork()) {
      return;
    }
    if (o.nomadic() && !o.newAgent()) {
      return;
    }
    if (!ctx.once(o, ID, o.network(), 0)) {
      return;
    }
    Map<String, Object> d = facts(o);
    d.put("known_networks", o.profile().networks.size());
    d.put("known_agent_families", List.copyOf(o.profile().agents.keySet()));
    String why = (o.longTermKey() ? "Long-term key " : "Credentials of ") + o.keyId() + " of " + o.principal()
        + " called " + o.event().action() + " from " + o.event().sourceIp() + " (network " + o.network()
        + ", never seen for this user among " + o.profile().networks.size() + " known networks)"
        + (o.newAgent() ? " with client '" + o.family() + "', never used by it before" : "") + ".";
    ctx.emit(o, alert(o.longTermKey() ? Severity.HIGH : Severity.MEDIUM, why, List.of(o.event()), d));
  }
}
