package dev.vigil.detect.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.detect.Severity;
import dev.vigil.detect.incident.Incident.AlertRef;
import dev.vigil.detect.incident.Incident.Credential;
import dev.vigil.detect.incident.Incident.Stage;
import dev.vigil.detect.incident.Incident.TenantImpact;

/**
 * Writes incidents as OCSF 1.3 Incident Findings (class_uid 2005). Each alert of the incident is one entry of
 * {@code finding_info_list} (its uid is the alert's Detection Finding uid); the kill chain is in {@code attacks};
 * credentials and addresses are {@code observables}; the whole Vigil incident (credentials with their roles,
 * per-tenant impact, evidence) is kept losslessly under {@code unmapped.vigil_incident}.
 */
public final class OcsfIncidents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OcsfIncidents() {}

  /** The incident's current state as a Create (first revision) or Update finding. */
  public static ObjectNode incidentFinding(Incident incident) {
    return incidentFinding(incident, incident.revision() <= 1 ? IncidentUpdate.Kind.OPENED
        : IncidentUpdate.Kind.UPDATED, null);
  }

  /** Alerts a streamed change carries (the newest); the final incident carries them all. */
  public static final int STREAMED_ALERTS = 10;

  /**
   * One streamed change: OPENED → Create, UPDATED → Update, MERGED/EVICTED → Close. Light: the newest
   * {@value #STREAMED_ALERTS} alerts and no evidence list (see {@link Incident#compact}).
   */
  public static ObjectNode incidentFinding(IncidentUpdate update) {
    return incidentFinding(update.incident().compact(STREAMED_ALERTS), update.kind(), update);
  }

  private static ObjectNode incidentFinding(Incident inc, IncidentUpdate.Kind kind, IncidentUpdate update) {
    int activity = switch (kind) {
      case OPENED -> 1;
      case UPDATED -> 2;
      case MERGED, EVICTED -> 3;
    };
    ObjectNode o = JSON.createObjectNode();
    o.put("class_uid", 2005);
    o.put("class_name", "Incident Finding");
    o.put("category_uid", 2);
    o.put("category_name", "Findings");
    o.put("activity_id", activity);
    o.put("activity_name", activity == 1 ? "Create" : activity == 2 ? "Update" : "Close");
    o.put("type_uid", 200500 + activity);
    o.put("type_name", "Incident Finding: " + o.get("activity_name").asText());
    long time = (inc.lastSeen() != null ? inc.lastSeen() : inc.firstSeen()).toEpochMilli();
    o.put("time", time);
    o.put("time_dt", java.time.Instant.ofEpochMilli(time).toString());
    o.put("severity_id", inc.severity().ocsfId());
    o.put("severity", inc.severity().caption());
    o.put("priority_id", priority(inc.severity()));
    o.put("priority", switch (priority(inc.severity())) {
      case 1 -> "Low";
      case 2 -> "Medium";
      case 3 -> "High";
      default -> "Critical";
    });
    if (kind == IncidentUpdate.Kind.MERGED) {
      o.put("status_id", 5);
      o.put("status", "Closed");
      o.put("status_detail", "merged into incident " + update.mergedInto());
    } else {
      o.put("status_id", 1);
      o.put("status", "New");
    }
    int impact = impactId(inc);
    o.put("impact_id", impact);
    o.put("impact", switch (impact) {
      case 1 -> "Low";
      case 2 -> "Medium";
      case 3 -> "High";
      default -> "Critical";
    });
    o.put("is_suspected_breach", inc.bytesRead() > 0 || inc.reached(Tactic.EXFILTRATION));
    o.put("message", inc.title());
    o.put("desc", describe(inc) + (update != null ? " Change: " + update.reason() + "." : ""));
    o.put("start_time", inc.firstSeen().toEpochMilli());
    o.put("end_time", inc.lastSeen().toEpochMilli());
    o.put("count", inc.alertCount());
    ObjectNode metadata = o.putObject("metadata");
    metadata.put("version", OcsfFindings.OCSF_VERSION);
    metadata.put("uid", inc.uid());
    metadata.put("correlation_uid", inc.uid());
    metadata.putArray("profiles").add("incident").add("cloud");
    ObjectNode product = metadata.putObject("product");
    product.put("name", "Vigil");
    product.put("vendor_name", "Vigil");
    product.put("feature", "incident");
    metadata.put("log_provider", "aws-cloudtrail");

    ArrayNode infos = o.putArray("finding_info_list");
    for (AlertRef a : inc.alerts()) {
      ObjectNode info = infos.addObject();
      info.put("uid", a.uid());
      info.put("title", a.title());
      if (a.explanation() != null) {
        info.put("desc", a.explanation());
      }
      info.put("created_time", a.time().toEpochMilli());
      ObjectNode analytic = info.putObject("analytic");
      analytic.put("uid", a.ruleId());
      analytic.put("name", a.title());
      boolean sigma = "sigma".equals(a.source());
      analytic.put("type_id", sigma ? 1 : 2);
      analytic.put("type", sigma ? "Rule" : "Behavioral");
      ArrayNode related = info.putArray("related_events");
      for (String id : a.eventIds()) {
        related.addObject().put("uid", id).put("product_uid", "aws-cloudtrail");
      }
      ArrayNode attacks = info.putArray("attacks");
      for (String t : a.techniques()) {
        attacks.addObject().putObject("technique").put("uid", t);
      }
    }
    ArrayNode attacks = o.putArray("attacks");
    for (Stage st : inc.killChain()) {
      if (st.techniques().isEmpty()) {
        tactic(attacks.addObject(), st.tactic());
      }
      for (String t : st.techniques()) {
        ObjectNode attack = attacks.addObject();
        tactic(attack, st.tactic());
        attack.putObject("technique").put("uid", t);
      }
    }
    ArrayNode observables = o.putArray("observables");
    for (Credential c : inc.credentials()) {
      ObjectNode ob = observables.addObject();
      ob.put("name", "credential." + c.role().name().toLowerCase(java.util.Locale.ROOT));
      ob.put("type_id", 99);
      ob.put("type", "Other");
      ob.put("value", c.accessKeyId());
    }
    for (String a : inc.addresses()) {
      observables.addObject().put("name", "src_endpoint.ip").put("type_id", 2).put("type", "IP Address")
          .put("value", a);
    }
    for (TenantImpact t : inc.tenants()) {
      observables.addObject().put("name", "tenant").put("type_id", 99).put("type", "Other").put("value",
          t.tenant());
    }
    ObjectNode cloud = o.putObject("cloud");
    cloud.put("provider", "AWS");
    o.putObject("unmapped").set("vigil_incident", IncidentJson.toJson(inc));
    return o;
  }

  private static void tactic(ObjectNode attack, Tactic t) {
    attack.putObject("tactic").put("uid", t.uid()).put("name", t.title());
  }

  static int priority(Severity s) {
    return switch (s) {
      case INFORMATIONAL, LOW -> 1;
      case MEDIUM -> 2;
      case HIGH -> 3;
      case CRITICAL -> 4;
    };
  }

  /** OCSF impact: data of several tenants read → Critical; data read → High; persistence → Medium; else Low. */
  static int impactId(Incident inc) {
    if (inc.bytesRead() > 0 && inc.tenants().size() > 1) {
      return 4;
    }
    if (inc.bytesRead() > 0) {
      return 3;
    }
    return inc.reached(Tactic.PERSISTENCE) || !inc.credentials(Incident.Role.CREATED).isEmpty() ? 2 : 1;
  }

  /** Two or three sentences for people: who, what stages, what was taken. */
  public static String describe(Incident inc) {
    StringBuilder b = new StringBuilder();
    Credential root = inc.credentials().isEmpty() ? null : inc.credentials().get(0);
    b.append(inc.alertCount()).append(inc.alertCount() == 1 ? " alert" : " alerts");
    if (root != null) {
      b.append(" on credential ").append(root.accessKeyId());
      if (root.principal() != null) {
        b.append(" (").append(root.principal()).append(')');
      }
    }
    b.append(" from ").append(inc.addresses().size()).append(inc.addresses().size() == 1 ? " address" : " addresses");
    b.append(", ").append(inc.firstSeen()).append(" to ").append(inc.lastSeen()).append('.');
    b.append(" Stages: ").append(String.join(" → ", inc.killChain().stream().map(s -> s.tactic().title())
        .toList())).append('.');
    for (Credential c : inc.credentials(Incident.Role.CREATED)) {
      b.append(" Created access key ").append(c.accessKeyId());
      if (c.principal() != null) {
        b.append(" for ").append(c.principal());
      }
      b.append('.');
    }
    if (inc.objectsRead() > 0) {
      b.append(" Read ").append(inc.objectsRead()).append(" objects (").append(Bytes.human(inc.bytesRead()))
          .append(") from ").append(inc.tenants().size()).append(inc.tenants().size() == 1 ? " tenant." : " tenants.");
    }
    return b.toString();
  }
}
