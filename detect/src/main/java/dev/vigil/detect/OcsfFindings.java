package dev.vigil.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.ingest.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes alerts as OCSF 1.3 Detection Findings (class_uid 2004), the shape SIEMs and data lakes ingest.
 *
 * <p>Where the rule is: {@code finding_info.analytic.uid}; the evidence: {@code finding_info.related_events[].uid}
 * (CloudTrail eventIDs); the actor's key: {@code actor.user.credential_uid}; the address: {@code src_endpoint.ip}.
 */
public final class OcsfFindings {
  public static final String OCSF_VERSION = "1.3.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OcsfFindings() {}

  /** A stable id for an alert: the same rule on the same events always gets the same uid. */
  public static String alertUid(Alert a) {
    StringBuilder b = new StringBuilder(a.ruleId());
    for (AuditEvent e : a.events()) {
      b.append('|').append(e.eventId());
    }
    return UUID.nameUUIDFromBytes(b.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  public static ObjectNode detectionFinding(Alert a) {
    AuditEvent trigger = a.trigger();
    ObjectNode o = JSON.createObjectNode();
    o.put("class_uid", 2004);
    o.put("class_name", "Detection Finding");
    o.put("category_uid", 2);
    o.put("category_name", "Findings");
    o.put("activity_id", 1);
    o.put("activity_name", "Create");
    o.put("type_uid", 200401);
    o.put("type_name", "Detection Finding: Create");
    o.put("time", a.time().toEpochMilli());
    o.put("time_dt", a.time().toString());
    o.put("severity_id", a.severity().ocsfId());
    o.put("severity", a.severity().caption());
    o.put("status_id", 1);
    o.put("status", "New");
    o.put("message", a.title());
    metadata(o.putObject("metadata"), a.source());

    ObjectNode info = o.putObject("finding_info");
    info.put("uid", alertUid(a));
    info.put("title", a.title());
    if (a.explanation() != null) {
      info.put("desc", a.explanation());
    }
    info.put("first_seen_time", a.events().get(0).time().toEpochMilli());
    info.put("last_seen_time", trigger.time().toEpochMilli());
    ObjectNode analytic = info.putObject("analytic");
    analytic.put("uid", a.ruleId());
    analytic.put("name", a.title());
    analytic.put("type_id", a.source().equals("sigma") ? 1 : 2);
    analytic.put("type", a.source().equals("sigma") ? "Rule" : "Behavioral");
    attacks(info.putArray("attacks"), a);
    ArrayNode related = info.putArray("related_events");
    for (AuditEvent e : a.events()) {
      ObjectNode r = related.addObject();
      r.put("uid", e.eventId());
      r.put("product_uid", "aws-cloudtrail");
      r.put("time", e.time().toEpochMilli());
      if (e.action() != null) {
        r.put("type", e.action());
      }
    }
    if (!a.references().isEmpty()) {
      ArrayNode refs = info.putArray("src_url");
      a.references().forEach(refs::add);
    }

    actor(o.putObject("actor"), trigger.actor());
    if (trigger.sourceIp() != null) {
      ObjectNode src = o.putObject("src_endpoint");
      src.put("ip", trigger.sourceIp());
    }
    if (trigger.userAgent() != null) {
      o.putObject("http_request").put("user_agent", trigger.userAgent());
    }
    ObjectNode api = o.putObject("api");
    if (trigger.action() != null) {
      api.put("operation", trigger.action());
    }
    if (trigger.service() != null) {
      api.putObject("service").put("name", trigger.service());
    }
    ObjectNode cloud = o.putObject("cloud");
    cloud.put("provider", "AWS");
    if (trigger.region() != null) {
      cloud.put("region", trigger.region());
    }
    if (trigger.account() != null) {
      cloud.putObject("account").put("uid", trigger.account());
    }
    if (!a.details().isEmpty()) {
      ObjectNode unmapped = o.putObject("unmapped");
      for (Map.Entry<String, Object> d : a.details().entrySet()) {
        unmapped.set(d.getKey(), JSON.valueToTree(d.getValue()));
      }
    }
    return o;
  }

  /** ATT&CK enterprise tactic ids by the names Sigma tags use. */
  private static final Map<String, String> TACTIC_IDS = Map.ofEntries(
      Map.entry("reconnaissance", "TA0043"), Map.entry("resource-development", "TA0042"),
      Map.entry("initial-access", "TA0001"), Map.entry("execution", "TA0002"), Map.entry("persistence", "TA0003"),
      Map.entry("privilege-escalation", "TA0004"), Map.entry("defense-evasion", "TA0005"),
      Map.entry("credential-access", "TA0006"), Map.entry("discovery", "TA0007"),
      Map.entry("lateral-movement", "TA0008"), Map.entry("collection", "TA0009"),
      Map.entry("exfiltration", "TA0010"), Map.entry("command-and-control", "TA0011"), Map.entry("impact", "TA0040"));

  /**
   * One OCSF attack object per (technique, tactic) pair; a technique without tactics, or tactics without
   * techniques, still get one object each. A sub-technique (T1098.001) also fills {@code sub_technique}.
   */
  static void attacks(ArrayNode attacks, Alert a) {
    List<String> tactics = a.tactics().isEmpty() ? java.util.Collections.singletonList(null) : a.tactics();
    for (String t : a.techniques()) {
      for (String tactic : tactics) {
        ObjectNode attack = attacks.addObject();
        attack.putObject("technique").put("uid", t);
        if (t.contains(".")) {
          attack.putObject("sub_technique").put("uid", t);
        }
        if (tactic != null) {
          tactic(attack.putObject("tactic"), tactic);
        }
      }
    }
    if (a.techniques().isEmpty()) {
      for (String tactic : a.tactics()) {
        tactic(attacks.addObject().putObject("tactic"), tactic);
      }
    }
  }

  private static void tactic(ObjectNode o, String name) {
    String id = TACTIC_IDS.get(name);
    if (id != null) {
      o.put("uid", id);
    }
    o.put("name", name);
  }

  static void metadata(ObjectNode m, String source) {
    m.put("version", OCSF_VERSION);
    ObjectNode product = m.putObject("product");
    product.put("name", "Vigil");
    product.put("vendor_name", "Vigil");
    product.put("feature", source);
    m.put("log_provider", "aws-cloudtrail");
  }

  static void actor(ObjectNode actor, AuditEvent.Actor who) {
    ObjectNode user = actor.putObject("user");
    if (who.principalArn() != null) {
      user.put("uid", who.principalArn());
    }
    if (who.userName() != null) {
      user.put("name", who.userName());
    } else if (who.sessionName() != null) {
      user.put("name", who.sessionName());
    }
    if (who.type() != null) {
      user.put("type", who.type());
    }
    if (who.accessKeyId() != null) {
      user.put("credential_uid", who.accessKeyId());
    }
    if (who.accountId() != null) {
      user.putObject("account").put("uid", who.accountId());
    }
    if (who.sessionIssuerArn() != null) {
      actor.putObject("session").put("issuer", who.sessionIssuerArn());
    }
    if (who.invokedBy() != null) {
      actor.put("app_name", who.invokedBy());
    }
  }
}
