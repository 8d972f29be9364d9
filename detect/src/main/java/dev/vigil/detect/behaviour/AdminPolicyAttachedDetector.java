package dev.vigil.detect.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Administrator rights granted: an admin managed policy attached, or an inline policy allowing * on *. */
public final class AdminPolicyAttachedDetector extends BehaviourDetector {

  public static final String ID = "vigil.persistence.admin-policy-attached";
  static final Set<String> ATTACH = Set.of("AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy");
  static final Set<String> INLINE = Set.of("PutUserPolicy", "PutRolePolicy", "PutGroupPolicy", "CreatePolicy",
      "CreatePolicyVersion");
  static final Set<String> ADMIN_POLICIES = Set.of("AdministratorAccess", "IAMFullAccess", "PowerUserAccess");

  public AdminPolicyAttachedDetector() {
    super(ID, "Administrator rights granted", Severity.HIGH, List.of("T1098.003"),
        List.of("privilege-escalation", "persistence"),
        List.of("https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-admin-user/",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html"),
        "A successful attachment of AdministratorAccess, IAMFullAccess or PowerUserAccess, or an inline or new "
            + "policy document that allows every action on every resource.");
  }

  @Override
  public boolean marksSuspicion() {
    return false;
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    String action = o.event().action();
    if (o.event().failed() || (!ATTACH.contains(action) && !INLINE.contains(action))) {
      return;
    }
    String grant = null;
    if (ATTACH.contains(action)) {
      String arn = o.event().text("requestParameters.policyArn");
      String name = arn == null ? "" : arn.substring(arn.lastIndexOf('/') + 1);
      if (arn != null && arn.startsWith("arn:aws:iam::aws:policy/") && ADMIN_POLICIES.contains(name)) {
        grant = arn;
      }
    } else if (allowsEverything(o.event().text("requestParameters.policyDocument"))) {
      grant = "a policy document allowing * on *";
    }
    if (grant == null) {
      return;
    }
    String target = firstText(o, "requestParameters.userName", "requestParameters.roleName",
        "requestParameters.groupName", "requestParameters.policyName", "requestParameters.policyArn");
    Map<String, Object> d = facts(o);
    d.put("grant", grant);
    if (target != null) {
      d.put("target", target);
    }
    String why = o.principal() + " granted " + grant + (target != null ? " to " + target : "") + " with " + action
        + (ctx.suspicion(o) != null ? "; the caller is already suspicious (" + ctx.suspicion(o) + ")" : "") + ".";
    ctx.emit(o, alert(ctx.suspicion(o) != null ? Severity.CRITICAL : severity(), why, List.of(o.event()), d));
  }

  private static String firstText(Observation o, String... paths) {
    for (String p : paths) {
      String t = o.event().text(p);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  static boolean allowsEverything(String doc) {
    if (doc == null) {
      return false;
    }
    try {
      JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc);
      JsonNode st = root.path("Statement");
      for (JsonNode s : st.isArray() ? st : List.of(st)) {
        if ("Allow".equals(s.path("Effect").asText()) && has(s.path("Action"), "*") && has(s.path("Resource"), "*")) {
          return true;
        }
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return false;
    }
    return false;
  }

  private static boolean has(JsonNode n, String v) {
    if (n.isArray()) {
      for (JsonNode x : n) {
        if (v.equals(x.asText())) {
          return true;
        }
      }
      return false;
    }
    return v.equals(n.asText());
  }
}
