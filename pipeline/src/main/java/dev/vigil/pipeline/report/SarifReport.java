package dev.vigil.pipeline.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.pipeline.AuditResult;
import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audits.Audits;
import dev.vigil.pipeline.model.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * SARIF 2.1.0 for code scanning: one rule per audit (with help text), one result per finding ({@code ruleId} =
 * audit id, physical location with region), suppressed findings carried with their justification, and input
 * problems as tool execution notifications.
 */
public final class SarifReport {
  public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private SarifReport() {}

  public static ObjectNode toSarif(AuditResult r, String toolVersion) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "vigil");
    driver.put("version", toolVersion);
    driver.put("informationUri", "https://github.com/vigil-sec/vigil");
    ArrayNode rules = driver.putArray("rules");
    List<Audit> audits = Audits.all();
    for (Audit a : audits) {
      AuditInfo i = a.info();
      ObjectNode rule = rules.addObject();
      rule.put("id", i.id());
      rule.put("name", i.id());
      rule.putObject("shortDescription").put("text", i.title());
      rule.putObject("fullDescription").put("text", i.explanation());
      ObjectNode help = rule.putObject("help");
      help.put("text", i.explanation() + "\n\nHow to fix: " + i.howToFix());
      help.put("markdown", "**" + i.title() + "**\n\n" + i.explanation() + "\n\n**How to fix:** " + i.howToFix()
          + (i.references().isEmpty() ? "" : "\n\nReferences: " + String.join(", ", i.references())));
      if (!i.references().isEmpty()) {
        rule.put("helpUri", i.references().get(0));
      }
      rule.putObject("defaultConfiguration").put("level", i.severity().sarifLevel());
      ObjectNode props = rule.putObject("properties");
      props.put("security-severity", i.severity().securitySeverity());
      props.putArray("tags").add("security").add("supply-chain");
    }
    ArrayNode results = run.putArray("results");
    r.findings().forEach(f -> results.add(result(json, f, audits)));
    for (AuditResult.Suppressed s : r.suppressed()) {
      ObjectNode res = result(json, s.finding(), audits);
      ObjectNode sup = res.putArray("suppressions").addObject();
      sup.put("kind", "inSource".equals(s.source()) || s.source().startsWith("inline") ? "inSource" : "external");
      sup.put("justification", s.reason());
      results.add(res);
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", r.filesFailed() == 0);
    ArrayNode notes = invocation.putArray("toolExecutionNotifications");
    for (Problem p : r.problems()) {
      ObjectNode n = notes.addObject();
      n.put("level", p.fatal() ? "error" : "warning");
      n.putObject("message").put("text", p.message());
      ObjectNode loc = n.putArray("locations").addObject().putObject("physicalLocation");
      loc.putObject("artifactLocation").put("uri", p.path());
      if (p.line() > 0) {
        ObjectNode region = loc.putObject("region");
        region.put("startLine", p.line());
        if (p.column() > 0) {
          region.put("startColumn", p.column());
        }
      }
    }
    return root;
  }

  private static ObjectNode result(ObjectMapper json, Finding f, List<Audit> audits) {
    ObjectNode res = json.createObjectNode();
    res.put("ruleId", f.auditId());
    for (int i = 0; i < audits.size(); i++) {
      if (audits.get(i).info().id().equals(f.auditId())) {
        res.put("ruleIndex", i);
      }
    }
    res.put("level", f.severity().sarifLevel());
    res.putObject("message").put("text", f.message());
    ObjectNode phys = res.putArray("locations").addObject().putObject("physicalLocation");
    phys.putObject("artifactLocation").put("uri", f.path());
    ObjectNode region = phys.putObject("region");
    region.put("startLine", Math.max(1, f.line()));
    region.put("startColumn", Math.max(1, f.column()));
    if (!f.notes().isEmpty()) {
      ArrayNode related = res.putArray("relatedLocations");
      int id = 1;
      for (Finding.Note n : f.notes()) {
        ObjectNode rl = related.addObject();
        rl.put("id", id++);
        ObjectNode p = rl.putObject("physicalLocation");
        p.putObject("artifactLocation").put("uri", f.path());
        p.putObject("region").put("startLine", Math.max(1, n.line())).put("startColumn", Math.max(1, n.column()));
        rl.putObject("message").put("text", n.label());
      }
    }
    ObjectNode props = res.putObject("properties");
    props.put("severity", f.severity().label());
    props.put("confidence", f.confidence().name().toLowerCase());
    f.facts().forEach(props::put);
    res.putObject("partialFingerprints").put("vigil/v1",
        Integer.toHexString((f.auditId() + "|" + f.path() + "|" + f.message()).hashCode()));
    return res;
  }

  public static void write(AuditResult r, String version, OutputStream out) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, toSarif(r, version));
  }
}
