package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;

/**
 * {@code sts:GetCallerIdentity} (what TruffleHog and every attacker call first to learn whose key they hold)
 * from an origin new for the principal, or with a key that is already suspicious.
 */
public final class CredentialValidationDetector extends BehaviourDetector {

  public static final String ID = "vigil.recon.credential-validation";

  public CredentialValidationDetector() {
    super(ID, "Credentials validated from a new origin", Severity.HIGH, List.of("T1087.004", "T1078.004"),
        List.of("discovery"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
            + "discovery_new_terms_sts_getcalleridentity.toml",
            "https://cert.europa.eu/blog/european-commission-cloud-breach-trivy-supply-chain"),
        "GetCallerIdentity from a network (and, for nomadic principals, a client family) the principal never "
            + "used, once its baseline is mature; or by a key created by a suspicious actor.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    if (!"GetCallerIdentity".equals(o.event().action())) {
      return;
    }
    String taint = ctx.taintedBy(o.keyId());
    boolean newOrigin = !o.learning() && o.mature() && o.fromAddress() && o.newNetwork()
        && (!o.nomadic() || o.newAgent());
    if (!newOrigin && taint == null) {
      return;
    }
    if (!ctx.once(o, ID, o.network(), 0)) {
      return;
    }
    Map<String, Object> d = facts(o);
    String why = "GetCallerIdentity with " + (o.keyId() != null ? "key " + o.keyId() : o.principal()) + " from "
        + o.event().sourceIp() + " ('" + o.family() + "'): "
        + (taint != null ? "the key was created by suspicious " + taint
            : "a network never seen for " + o.principal() + (o.newAgent() ? " and a client it never used" : ""))
        + ". Someone is checking whose credentials they hold.";
    ctx.emit(o, alert(o.longTermKey() || taint != null ? Severity.HIGH : Severity.MEDIUM, why, List.of(o.event()), d));
  }
}
