package dev.vigil.detect.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data handed to another account or to everyone: EBS snapshots, AMIs and RDS snapshots shared, bucket policies
 * opened to foreign or anonymous principals, replication to a bucket of another account.
 */
public final class ResourceSharedExternallyDetector extends BehaviourDetector {

  public static final String ID = "vigil.exfil.resource-shared-externally";
  static final Set<String> ACTIONS = Set.of("ModifySnapshotAttribute", "ModifyImageAttribute",
      "ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute", "PutBucketPolicy", "PutBucketReplication",
      "PutBucketAcl");
  private static final Pattern ACCOUNT = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");

  public ResourceSharedExternallyDetector() {
    super(ID, "Data shared with another account", Severity.HIGH, List.of("T1537"), List.of("exfiltration"),
        List.of("https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ebs-snapshot/",
            "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html"),
        "A successful snapshot, AMI or RDS snapshot permission change, bucket policy, ACL or replication rule "
            + "whose parameters name an account other than the event's own, or everyone (\"all\", \"*\", AllUsers).");
  }

  @Override
  public boolean marksSuspicion() {
    return false;
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    if (!ACTIONS.contains(o.event().action()) || o.event().failed()) {
      return;
    }
    JsonNode params = o.event().field("requestParameters");
    if (params.isMissingNode() || params.isNull()) {
      return;
    }
    String text = params.toString();
    String own = o.event().account();
    Set<String> foreign = new TreeSet<>();
    Matcher m = ACCOUNT.matcher(text);
    while (m.find()) {
      if (!m.group().equals(own) && !m.group().equals(o.event().actor().accountId())) {
        foreign.add(m.group());
      }
    }
    List<String> everyone = new ArrayList<>();
    if (text.contains("\"group\":\"all\"") || text.contains("\"Group\":\"all\"")) {
      everyone.add("all");
    }
    if (text.matches("(?s).*\\\\?\"(Principal|AWS)\\\\?\"\\s*:\\s*\\\\?\"\\*\\\\?\".*") || text.contains("AllUsers")) {
      everyone.add("*");
    }
    boolean rdsRestore = o.event().action().startsWith("ModifyDB")
        && "restore".equals(o.event().text("requestParameters.attributeName"))
        && params.path("valuesToAdd").size() > 0;
    if (rdsRestore && foreign.isEmpty()) {
      params.path("valuesToAdd").forEach(v -> {
        if ("all".equalsIgnoreCase(v.asText())) {
          everyone.add("all");
        } else if (!v.asText().equals(own)) {
          foreign.add(v.asText());
        }
      });
    }
    if (foreign.isEmpty() && everyone.isEmpty()) {
      return;
    }
    if (o.event().action().equals("ModifySnapshotAttribute") || o.event().action().equals("ModifyImageAttribute")) {
      if (!text.contains("\"add\"")) {
        return;
      }
    }
    Map<String, Object> d = facts(o);
    d.put("foreign_accounts", List.copyOf(foreign));
    d.put("public", !everyone.isEmpty());
    String why = o.principal() + " called " + o.event().action() + " granting access to "
        + (everyone.isEmpty() ? "" : "everyone" + (foreign.isEmpty() ? "" : " and ")) 
        + (foreign.isEmpty() ? "" : "account(s) " + foreign) + " (own account " + own + ").";
    ctx.emit(o, alert(everyone.isEmpty() ? severity() : Severity.CRITICAL, why, List.of(o.event()), d));
  }
}
