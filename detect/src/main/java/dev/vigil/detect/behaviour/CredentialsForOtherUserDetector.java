package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A long-term key (not an administrator's role session) creating an access key or a console password for
 * ANOTHER user: the persistence step of the European Commission breach. Administrators' SSO sessions rotate
 * service users' keys routinely; they only count when the session is already suspicious. The created key
 * inherits the suspicion ({@code created_access_key_id} in the details).
 */
public final class CredentialsForOtherUserDetector extends BehaviourDetector {

  public static final String ID = "vigil.persistence.credentials-for-other-user";
  static final Set<String> ACTIONS = Set.of("CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile");

  public CredentialsForOtherUserDetector() {
    super(ID, "Credentials created for another user", Severity.HIGH, List.of("T1098.001"),
        List.of("persistence", "privilege-escalation"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
                + "persistence_iam_user_created_access_keys_for_another_user.toml",
            "https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/aws_iam_backdoor_users_keys.yml",
            "https://cert.europa.eu/blog/european-commission-cloud-breach-trivy-supply-chain"),
        "CreateAccessKey, CreateLoginProfile or UpdateLoginProfile on a user other than the caller, by an IAM "
            + "user's long-term credentials or by any suspicious actor. A key created by a suspicious actor (even "
            + "for itself) is remembered: its every later use is suspicious.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    if (!ACTIONS.contains(o.event().action()) || o.event().failed()) {
      return;
    }
    String target = o.event().text("requestParameters.userName");
    String caller = o.event().actor().userName();
    boolean other = target != null && !target.equals(caller);
    String suspicion = ctx.suspicion(o);
    String created = o.event().text("responseElements.accessKey.accessKeyId");
    boolean alert = other && (o.longTermCaller() || suspicion != null);
    if (created != null && (alert || suspicion != null)) {
      ctx.taint(created, o.keyId() != null ? o.keyId() : o.principal());
    }
    if (!alert && !(suspicion != null && created != null)) {
      return;
    }
    Map<String, Object> d = facts(o);
    d.put("target_user", target == null ? caller : target);
    if (created != null) {
      d.put("created_access_key_id", created);
    }
    if (suspicion != null) {
      d.put("caller_suspicious_because", suspicion);
    }
    String why = o.principal() + (o.keyId() != null ? " (key " + o.keyId() + ")" : "") + " called "
        + o.event().action() + " for user '" + (target == null ? caller : target) + "'"
        + (created != null ? ", creating key " + created : "")
        + (o.longTermCaller() && other ? "; a user's long-term key making credentials for another user is how "
            + "attackers persist with a key nobody watches" : "")
        + (suspicion != null ? "; the caller is already suspicious (" + suspicion + ")" : "") + ".";
    ctx.emit(o, alert(severity(), why, List.of(o.event()), d));
  }
}
