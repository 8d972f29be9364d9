package dev.vigil.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.incident.Incident;
import dev.vigil.intel.IocFeed;
import dev.vigil.respond.exposure.ActionExecution;
import dev.vigil.respond.exposure.ExposureAnalyzer;
import dev.vigil.respond.notice.BreachFacts;
import dev.vigil.respond.notice.GdprNotices;
import dev.vigil.respond.stix.StixBundleBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes what an investigation found: {@code investigation.json}, {@code report.md}, {@code report.html}, the
 * notices ({@code notices/article-33.md}, {@code notices/article-34-<tenant>.md},
 * {@code notices/tenants/<tenant>.md}) and {@code stix-bundle.json}.
 */
public final class InvestigationOutputs {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Who is notifying, and when they became aware. */
  public record Context(String organisation, String contactPoint, Instant awareness, Instant now, IocFeed feed) {}

  private InvestigationOutputs() {}

  public static void write(Investigation.Findings f, Context ctx, Path out) throws IOException {
    Files.createDirectories(out.resolve("notices/tenants"));
    BreachFacts facts = facts(f, ctx);
    Files.writeString(out.resolve("investigation.json"), JSON.writeValueAsString(json(f, ctx)));
    String md = markdown(f, ctx);
    Files.writeString(out.resolve("report.md"), md);
    Files.writeString(out.resolve("report.html"), html(md));
    Files.writeString(out.resolve("notices/article-33.md"), GdprNotices.article33(facts, ctx.now()));
    for (BreachFacts.TenantImpact t : facts.tenants()) {
      String file = safe(t.tenant());
      Files.writeString(out.resolve("notices/tenants/" + file + ".md"), GdprNotices.tenantNotice(facts, t, ctx.now()));
      if (t.dataSubjects() > 0) {
        Files.writeString(out.resolve("notices/article-34-" + file + ".md"), GdprNotices.article34(facts, t));
      }
    }
    Files.writeString(out.resolve("stix-bundle.json"), JSON.writeValueAsString(stix(f, ctx).build()));
  }

  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The facts in the shape the GDPR notices take. */
  public static BreachFacts facts(Investigation.Findings f, Context ctx) {
    Instant start = f.incidents().stream().map(Incident::firstSeen).min(Instant::compareTo)
        .orElse(f.exposureStart() != null ? f.exposureStart() : ctx.awareness());
    Instant end = f.incidents().stream().map(Incident::lastSeen).max(Instant::compareTo).orElse(start);
    List<BreachFacts.TenantImpact> tenants = new ArrayList<>();
    for (Investigation.TenantFindings t : f.tenants()) {
      tenants.add(new BreachFacts.TenantImpact(t.tenant(), t.contact(), t.objectsRead(), t.bytesRead(),
          t.personalData().dataSubjects(), t.personalData().messages(), t.personalData().categories(),
          t.personalData().samples()));
    }
    String nature = nature(f);
    List<String> proposed = remediation(f, ctx.feed());
    List<String> taken = new ArrayList<>();
    taken.add("Investigated the audit logs and the repositories with Vigil; the attacker's credentials and addresses "
        + "are identified (see the indicators shared with CERTs)");
    return new BreachFacts(ctx.organisation(), ctx.contactPoint(), ctx.awareness(), start, end, nature, tenants, taken,
        proposed);
  }

  static String nature(Investigation.Findings f) {
    StringBuilder b = new StringBuilder();
    if (!f.exposedJobs().isEmpty()) {
      ExposureAnalyzer.ExposedJob j = f.exposedJobs().get(0);
      b.append("A CI pipeline (").append(j.workflowPath()).append(", job ").append(j.jobId()).append(") ran the ")
          .append("compromised GitHub Action ").append(j.actionRepo()).append("@").append(j.ref())
          .append(j.advisory() == null ? "" : " (" + j.advisory() + ")")
          .append(", which stole the secrets in reach of the job. ");
    }
    long objects = f.tenants().stream().mapToLong(Investigation.TenantFindings::objectsRead).sum();
    long bytes = f.tenants().stream().mapToLong(Investigation.TenantFindings::bytesRead).sum();
    if (!f.incidents().isEmpty()) {
      b.append("An attacker used the stolen cloud credentials from foreign infrastructure, created further access, "
          + "and read ").append(String.format(Locale.ROOT, "%,d", objects)).append(" objects (")
          .append(String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)).append(") belonging to ")
          .append(f.tenants().size()).append(" hosted organisations.");
    } else {
      b.append("No use of the exposed credentials by an attacker was found in the logs examined.");
    }
    return b.toString();
  }

  /** Secrets to rotate, keys to deactivate, workflows to pin. */
  public static List<String> remediation(Investigation.Findings f, IocFeed feed) {
    Set<String> out = new LinkedHashSet<>();
    for (ExposureAnalyzer.ExposedJob j : f.exposedJobs()) {
      for (String s : j.secrets()) {
        out.add("Rotate secret " + s + " (readable by job " + j.jobId() + " in " + j.workflowPath() + ")");
      }
      out.add("Rotate the GITHUB_TOKEN-reachable credentials of " + j.workflowPath()
          + " and review its permissions " + j.permissions());
      String pin = feed.knownGood().stream().filter(k -> k.repo().equalsIgnoreCase(j.actionRepo())).findFirst()
          .map(k -> j.actionRepo() + "@" + k.commit() + " # " + k.tag()).orElse(j.actionRepo() + "@<full commit SHA>");
      out.add("Pin " + j.workflowPath() + " (job " + j.jobId() + ") to " + pin);
    }
    for (Incident inc : f.incidents()) {
      for (Incident.Credential c : inc.credentials()) {
        String why = switch (c.role()) {
          case COMPROMISED -> "stolen and used by the attacker";
          case CREATED -> "created by the attacker (persistence)";
          default -> "issued to the attacker";
        };
        out.add("Deactivate and delete access key " + c.accessKeyId() + (c.principal() == null ? "" : " of "
            + c.principal()) + ": " + why);
      }
    }
    for (String k : f.exposedKeys()) {
      out.add("Deactivate access key " + k + " (exposed in CI) and replace it with OIDC role assumption");
    }
    for (Investigation.IamChange c : f.iamChanges()) {
      out.add("Review IAM change " + c.action() + (c.target() == null ? "" : " on " + c.target()) + " at " + c.time()
          + " (event " + c.eventId() + ")");
    }
    return List.copyOf(out);
  }

  static StixBundleBuilder stix(Investigation.Findings f, Context ctx) {
    StixBundleBuilder b = new StixBundleBuilder(ctx.now(), ctx.organisation());
    b.campaign("Cloud credential theft via compromised CI action", "Investigated by Vigil");
    Set<String> techniques = new LinkedHashSet<>();
    for (Incident inc : f.incidents()) {
      inc.killChain().forEach(s -> techniques.addAll(s.techniques()));
    }
    techniques.forEach(t -> b.technique(t, null));
    for (Investigation.KeyActivity k : f.keyActivity()) {
      if (k.suspicious() > 0) {
        String id = b.accessKey(k.accessKeyId(), k.origin());
        b.sighting(id, k.firstSuspicious(), k.lastSuspicious(), k.suspicious());
      }
    }
    for (Incident inc : f.incidents()) {
      for (String ip : inc.addresses()) {
        b.ipAddress(ip, "used with the attacker's credentials");
      }
      for (String ua : inc.userAgents()) {
        b.userAgent(ua, "user agent of the attacker's calls");
      }
      if (inc.firstSeen() != null) {
        for (String ip : inc.addresses()) {
          Investigation.KeyActivity any = f.keyActivity().stream()
              .filter(k -> k.suspiciousAddresses().contains(ip)).findFirst().orElse(null);
          if (any != null) {
            b.sighting(b.ipAddress(ip, "used with the attacker's credentials"), any.firstSuspicious(),
                any.lastSuspicious(), 1);
          }
        }
      }
    }
    for (ExposureAnalyzer.ExposedJob j : f.exposedJobs()) {
      b.actionRef(j.actionRepo(), j.ref(), j.reason());
      for (ActionExecution e : j.proof()) {
        if (e.sha() != null) {
          String id = b.actionRef(j.actionRepo(), e.sha(), "malicious commit downloaded by job " + j.jobId());
          if (e.time() != null) {
            b.sighting(id, e.time(), e.time(), 1);
          }
        }
      }
    }
    return b;
  }

  static ObjectNode json(Investigation.Findings f, Context ctx) {
    ObjectNode o = JSON.createObjectNode();
    o.put("generated", ctx.now().toString());
    o.put("organisation", ctx.organisation());
    ArrayNode exposure = o.putArray("exposure");
    for (ExposureAnalyzer.ExposedJob j : f.exposedJobs()) {
      ObjectNode e = exposure.addObject();
      e.put("workflow", j.workflowPath());
      e.put("commit", j.commit());
      e.put("job", j.jobId());
      e.put("action", j.actionRepo() + "@" + j.ref());
      e.put("reason", j.reason());
      e.put("advisory", j.advisory());
      e.put("execution_proven", j.executionProven());
      ArrayNode secrets = e.putArray("secrets");
      j.secrets().forEach(secrets::add);
      ArrayNode proof = e.putArray("proof");
      j.proof().forEach(p -> proof.add(p.log() + ":" + p.line()));
    }
    ArrayNode keys = o.putArray("exposed_keys");
    f.exposedKeys().forEach(keys::add);
    ArrayNode activity = o.putArray("credentials");
    for (Investigation.KeyActivity k : f.keyActivity()) {
      ObjectNode a = activity.addObject();
      a.put("access_key_id", k.accessKeyId());
      a.put("origin", k.origin());
      a.put("expected_events", k.expected());
      a.put("suspicious_events", k.suspicious());
      a.put("first_suspicious", k.firstSuspicious() == null ? null : k.firstSuspicious().toString());
      a.put("last_suspicious", k.lastSuspicious() == null ? null : k.lastSuspicious().toString());
      ArrayNode ips = a.putArray("suspicious_addresses");
      k.suspiciousAddresses().forEach(ips::add);
    }
    ArrayNode incidents = o.putArray("incidents");
    for (Incident inc : f.incidents()) {
      ObjectNode i = incidents.addObject();
      i.put("uid", inc.uid());
      i.put("title", inc.title());
      i.put("severity", inc.severity().name());
      i.put("first_seen", inc.firstSeen().toString());
      i.put("last_seen", inc.lastSeen().toString());
      ArrayNode creds = i.putArray("credentials");
      inc.credentials().forEach(c -> creds.addObject().put("access_key_id", c.accessKeyId())
          .put("role", c.role().name()).put("principal", c.principal()));
      ArrayNode addrs = i.putArray("addresses");
      inc.addresses().forEach(addrs::add);
    }
    ArrayNode tenants = o.putArray("tenants");
    long subjects = 0;
    for (Investigation.TenantFindings t : f.tenants()) {
      ObjectNode n = tenants.addObject();
      n.put("tenant", t.tenant());
      n.put("contact", t.contact());
      n.put("objects_read", t.objectsRead());
      n.put("bytes_read", t.bytesRead());
      n.put("objects_written", t.objectsWritten());
      n.put("objects_deleted", t.objectsDeleted());
      n.put("first_read", t.firstRead() == null ? null : t.firstRead().toString());
      n.put("last_read", t.lastRead() == null ? null : t.lastRead().toString());
      n.put("data_subjects", t.personalData().dataSubjects());
      n.put("messages", t.personalData().messages());
      n.put("phone_numbers", t.personalData().phoneNumbers());
      n.put("ibans", t.personalData().ibans());
      n.put("person_names", t.personalData().names());
      ArrayNode samples = n.putArray("redacted_samples");
      t.personalData().samples().forEach(samples::add);
      subjects += t.personalData().dataSubjects();
    }
    ObjectNode totals = o.putObject("totals");
    totals.put("events_read", f.eventsRead());
    totals.put("quarantined", f.quarantined());
    totals.put("alerts", f.alerts().size());
    totals.put("objects_read", f.tenants().stream().mapToLong(Investigation.TenantFindings::objectsRead).sum());
    totals.put("bytes_read", f.tenants().stream().mapToLong(Investigation.TenantFindings::bytesRead).sum());
    totals.put("data_subjects", subjects);
    ArrayNode iam = o.putArray("iam_changes");
    f.iamChanges().forEach(c -> iam.addObject().put("time", c.time().toString()).put("event_id", c.eventId())
        .put("action", c.action()).put("access_key_id", c.accessKeyId()).put("target", c.target()));
    ArrayNode rem = o.putArray("remediation");
    remediation(f, ctx.feed()).forEach(rem::add);
    ArrayNode notes = o.putArray("notes");
    f.notes().forEach(notes::add);
    ArrayNode problems = o.putArray("problems");
    f.problems().forEach(problems::add);
    return o;
  }

  static String markdown(Investigation.Findings f, Context ctx) {
    StringBuilder b = new StringBuilder("# Investigation report\n\n");
    b.append("Generated by Vigil on ").append(ctx.now()).append(" for ").append(ctx.organisation()).append(".\n\n");
    if (!f.notes().isEmpty()) {
      b.append("## What this report could not establish\n\n");
      f.notes().forEach(n -> b.append("- ").append(n).append("\n"));
      b.append("\n");
    }
    b.append("## 1. Exposure: pipelines that ran the compromised action\n\n");
    if (f.exposedJobs().isEmpty()) {
      b.append("No workflow used a compromised action inside its exposure window.\n\n");
    } else {
      b.append("| Workflow | Job | Action | Commit | Secrets in reach | Ran (run logs) |\n|---|---|---|---|---|---|\n");
      for (ExposureAnalyzer.ExposedJob j : f.exposedJobs()) {
        b.append("| ").append(j.workflowPath()).append(" | ").append(j.jobId()).append(" | ").append(j.actionRepo())
            .append("@").append(j.ref()).append(" | ").append(j.commit() == null ? "(current)" : j.commit(), 0,
                j.commit() == null ? 9 : 12).append(" | ").append(String.join(", ", j.secrets())).append(" | ")
            .append(j.executionProven() ? "yes (" + j.proof().size() + " download(s))" : "not proven").append(" |\n");
      }
      b.append("\n");
    }
    b.append("## 2. Credential hunt\n\n| Access key | Origin | Expected events | Suspicious events | From |\n"
        + "|---|---|---:|---:|---|\n");
    for (Investigation.KeyActivity k : f.keyActivity()) {
      b.append("| ").append(k.accessKeyId()).append(" | ").append(k.origin()).append(" | ").append(k.expected())
          .append(" | ").append(k.suspicious()).append(" | ").append(String.join(", ", k.suspiciousAddresses()))
          .append(" |\n");
    }
    b.append("\n").append(f.alerts().size()).append(" alert(s), ").append(f.incidents().size())
        .append(" incident(s) over ").append(String.format(Locale.ROOT, "%,d", f.eventsRead())).append(" events.\n\n");
    b.append("## 3. Blast radius per tenant\n\n| Tenant | Objects read | Bytes read | Written | Deleted | Data subjects "
        + "| Messages |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (Investigation.TenantFindings t : f.tenants()) {
      b.append("| ").append(t.tenant()).append(" | ").append(t.objectsRead()).append(" | ").append(t.bytesRead())
          .append(" | ").append(t.objectsWritten()).append(" | ").append(t.objectsDeleted()).append(" | ")
          .append(t.personalData().dataSubjects()).append(" | ").append(t.personalData().messages()).append(" |\n");
    }
    if (!f.iamChanges().isEmpty()) {
      b.append("\n### IAM changes by the attacker's credentials\n\n");
      f.iamChanges().forEach(c -> b.append("- ").append(c.time()).append(" ").append(c.action())
          .append(c.target() == null ? "" : " on " + c.target()).append(" with ").append(c.accessKeyId())
          .append(" (event ").append(c.eventId()).append(")\n"));
    }
    b.append("\n## 4. Remediation checklist\n\n");
    remediation(f, ctx.feed()).forEach(r -> b.append("- [ ] ").append(r).append("\n"));
    b.append("\n## 5. Notices and indicators\n\nDrafts in `notices/` (GDPR Art. 33, Art. 34, one per tenant) and the "
        + "STIX 2.1 bundle `stix-bundle.json`, ready for MISP or OpenCTI.\n");
    if (!f.problems().isEmpty()) {
      b.append("\n## Input problems\n\n");
      f.problems().stream().limit(50).forEach(p -> b.append("- ").append(p).append("\n"));
    }
    return b.toString();
  }

  /** A self-contained HTML page holding the Markdown report (no external resources). */
  static String html(String markdown) {
    String esc = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil investigation</title>"
        + "<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        + "pre{white-space:pre-wrap}</style></head><body><pre>" + esc + "</pre></body></html>\n";
  }
}
