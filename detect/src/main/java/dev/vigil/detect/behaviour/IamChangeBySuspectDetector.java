package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** New users, roles, policies and grants made by an actor that is already suspicious. */
public final class IamChangeBySuspectDetector extends BehaviourDetector {

  public static final String ID = "vigil.persistence.iam-change-by-suspect";
  static final Set<String> ACTIONS = Set.of("CreateUser", "CreateRole", "CreatePolicy", "CreatePolicyVersion",
      "AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "PutUserPolicy", "PutRolePolicy",
      "PutGroupPolicy", "UpdateAssumeRolePolicy", "AddUserToGroup", "CreateGroup", "CreateServiceLinkedRole",
      "CreateOpenIDConnectProvider", "CreateSAMLProvider", "CreateTrustAnchor", "CreateProfile",
      "GetFederationToken", "UpdateFunctionCode20150331v2", "AddPermission20150331v2", "CreateVirtualMFADevice");

  public IamChangeBySuspectDetector() {
    super(ID, "Identity change by a suspicious actor", Severity.HIGH, List.of("T1136.003", "T1098"),
        List.of("persistence", "privilege-escalation"),
        List.of("https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html"),
        "A new user, role, policy, policy attachment, trust change or federation token made by a key or principal "
            + "that an earlier high-severity alert (or a suspicious creator) marked. Administrators' ordinary IAM "
            + "work does not alert.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    if (!ACTIONS.contains(o.event().action())) {
      return;
    }
    String suspicion = ctx.suspicion(o);
    if (suspicion == null || !ctx.once(o, ID, o.event().eventId(), 0)) {
      return;
    }
    Map<String, Object> d = facts(o);
    d.put("caller_suspicious_because", suspicion);
    String why = "Suspicious " + o.principal() + " (" + suspicion + ") called " + o.event().action()
        + (o.event().failed() ? " (failed: " + o.event().errorCode() + ")" : "") + ".";
    ctx.emit(o, alert(o.event().failed() ? Severity.MEDIUM : severity(), why, List.of(o.event()), d));
  }
}
