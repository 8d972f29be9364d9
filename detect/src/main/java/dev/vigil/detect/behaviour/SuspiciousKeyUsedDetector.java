package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;

/** Any use of an access key created by a suspicious actor, once per key and network. */
public final class SuspiciousKeyUsedDetector extends BehaviourDetector {

  public static final String ID = "vigil.persistence.suspicious-key-used";

  public SuspiciousKeyUsedDetector() {
    super(ID, "Key created by a suspicious actor is used", Severity.HIGH, List.of("T1098.001", "T1078.004"),
        List.of("persistence"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
            + "persistence_iam_user_self_created_access_key_subsequently_used.toml"),
        "A call made with an access key that a suspicious actor created (see "
            + CredentialsForOtherUserDetector.ID + "), raised once per key and network.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    String by = ctx.taintedBy(o.keyId());
    if (by == null || !ctx.once(o, ID, o.keyId() + "|" + o.network(), 0)) {
      return;
    }
    Map<String, Object> d = facts(o);
    d.put("created_by", by);
    String why = "Key " + o.keyId() + " of " + o.principal() + ", created by suspicious " + by + ", called "
        + o.event().action() + " from " + o.event().sourceIp() + " ('" + o.family() + "').";
    ctx.emit(o, alert(severity(), why, List.of(o.event()), d));
  }
}
