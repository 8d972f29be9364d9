package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;

/** Any event with a watched honey-credential key id: nobody legitimate ever uses it. */
public final class HoneytokenUsedDetector extends BehaviourDetector {

  public static final String ID = "vigil.honeytoken.used";

  public HoneytokenUsedDetector() {
    super(ID, "Honey credential used", Severity.CRITICAL, List.of("T1078.004", "T1552.001"),
        List.of("initial-access", "credential-access"),
        List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"),
        "Every event whose access key id is on the honeytoken watch list (vigil honeytoken create, "
            + "--watchlist, honeytokens.key_ids). The key has a deny-all policy: any call means it was stolen.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    if (o.keyId() == null || !ctx.honeytokens().contains(o.keyId())) {
      return;
    }
    Map<String, Object> d = facts(o);
    String why = "Honey credential " + o.keyId() + " (" + o.principal() + ") was used: " + o.event().action()
        + " from " + o.event().sourceIp() + " with '" + o.event().userAgent() + "'. It exists only to be stolen.";
    ctx.emit(o, alert(severity(), why, List.of(o.event()), d));
  }
}
