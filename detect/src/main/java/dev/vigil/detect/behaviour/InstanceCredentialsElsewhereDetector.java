package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;

/**
 * An EC2 instance role's session credentials used away from the instance: from a desktop operating system's
 * CLI (an instance runs none), or from a network the role was never seen from.
 */
public final class InstanceCredentialsElsewhereDetector extends BehaviourDetector {

  public static final String ID = "vigil.stolen-key.instance-credentials-elsewhere";

  public InstanceCredentialsElsewhereDetector() {
    super(ID, "Instance credentials used outside their instance", Severity.HIGH, List.of("T1552.005", "T1078.004"),
        List.of("credential-access"),
        List.of("https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
            "https://stratus-red-team.cloud/attack-techniques/AWS/aws.credential-access.ec2-steal-instance-credentials/"),
        "A role session named after an EC2 instance (i-...) calls with a Windows or macOS client, or from a "
            + "network its role was never seen from once the role's baseline is mature (and it is not nomadic).");
  }

  /** {@code i-} and 8 to 17 letters or digits: an EC2 instance id, as role sessions of instance profiles are named. */
  static boolean isInstanceId(String session) {
    if (session == null || session.length() < 10 || session.length() > 19 || !session.startsWith("i-")) {
      return false;
    }
    for (int i = 2; i < session.length(); i++) { // a loop, not a regular expression: this runs for every event
      char c = session.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    String session = o.event().actor().sessionName();
    if (!"AssumedRole".equals(o.event().actor().type())) {
      return; // the cheap test first: this runs for every event
    }
    boolean instance = isInstanceId(session)
        || o.event().field("userIdentity.sessionContext.ec2RoleDelivery").isValueNode();
    if (!instance) {
      return;
    }
    String os = Origins.desktopOs(o.event().userAgent());
    boolean newPlace = !o.learning() && o.mature() && !o.nomadic() && o.newNetwork() && o.fromAddress();
    if (os == null && !newPlace) {
      return;
    }
    if (!ctx.once(o, ID, os != null ? "os:" + os + "|" + o.network() : o.network(), 0)) {
      return;
    }
    Map<String, Object> d = facts(o);
    d.put("instance_session", session);
    String why = "Instance role " + o.principal() + " (session " + session + ") called " + o.event().action()
        + " from " + o.event().sourceIp()
        + (os != null ? " with a " + os + " client, which no EC2 instance runs" : ", a network never seen for this role")
        + ".";
    ctx.emit(o, alert(severity(), why, List.of(o.event()), d));
  }
}
