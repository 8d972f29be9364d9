package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;

/** Defence evasion: audit logging, threat detection or flow/DNS logs stopped, deleted or narrowed. */
public final class LoggingDisabledDetector extends BehaviourDetector {

  public static final String ID = "vigil.evasion.logging-disabled";

  /** service → action → what it does. */
  static final Map<String, Map<String, String>> ACTIONS = Map.of(
      "cloudtrail.amazonaws.com", Map.of("StopLogging", "stops a trail", "DeleteTrail", "deletes a trail",
          "PutEventSelectors", "changes which events a trail records", "UpdateTrail", "changes a trail",
          "DeleteEventDataStore", "deletes a CloudTrail Lake store"),
      "guardduty.amazonaws.com", Map.of("DeleteDetector", "deletes GuardDuty", "UpdateDetector",
          "changes or disables GuardDuty", "DisassociateFromMasterAccount", "leaves the GuardDuty administrator",
          "DisassociateFromAdministratorAccount", "leaves the GuardDuty administrator",
          "CreateIPSet", "adds a trusted IP list to GuardDuty", "StopMonitoringMembers", "stops monitoring members"),
      "config.amazonaws.com", Map.of("StopConfigurationRecorder", "stops AWS Config", "DeleteConfigurationRecorder",
          "deletes AWS Config's recorder", "DeleteDeliveryChannel", "deletes AWS Config's delivery channel"),
      "ec2.amazonaws.com", Map.of("DeleteFlowLogs", "deletes VPC flow logs"),
      "route53resolver.amazonaws.com", Map.of("DeleteResolverQueryLogConfig", "deletes DNS query logging",
          "DisassociateResolverQueryLogConfig", "detaches DNS query logging"),
      "organizations.amazonaws.com", Map.of("LeaveOrganization", "leaves the organisation and its guardrails"),
      "securityhub.amazonaws.com", Map.of("DisableSecurityHub", "disables Security Hub"),
      "access-analyzer.amazonaws.com", Map.of("DeleteAnalyzer", "deletes an access analyzer"),
      "logs.amazonaws.com", Map.of("DeleteLogGroup", "deletes a log group"));

  public LoggingDisabledDetector() {
    super(ID, "Logging or threat detection disabled", Severity.HIGH, List.of("T1562.008", "T1562.001"),
        List.of("defense-evasion"),
        List.of("https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-stop/",
            "https://github.com/SigmaHQ/sigma/tree/master/rules/cloud/aws/cloudtrail"),
        "CloudTrail stopped, deleted or its selectors changed; GuardDuty, Config, Security Hub, access analyzer, "
            + "VPC flow logs or DNS query logs removed; the account leaving its organisation. A failed attempt is "
            + "medium.");
  }

  @Override
  public boolean marksSuspicion() {
    return false;
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    Map<String, String> byAction = ACTIONS.get(o.event().service());
    String what = byAction == null ? null : byAction.get(o.event().action());
    if (what == null) {
      return;
    }
    Map<String, Object> d = facts(o);
    String target = o.event().text("requestParameters.name");
    if (target == null) {
      target = o.event().text("requestParameters.trailName");
    }
    if (target != null) {
      d.put("target", target);
    }
    String why = o.principal() + " called " + o.event().action() + ", which " + what
        + (target != null ? " (" + target + ")" : "")
        + (o.event().failed() ? "; it failed with " + o.event().errorCode() + ", but the attempt matters" : "") + ".";
    ctx.emit(o, alert(o.event().failed() ? Severity.MEDIUM : severity(), why, List.of(o.event()), d));
  }
}
