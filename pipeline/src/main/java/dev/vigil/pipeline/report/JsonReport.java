package dev.vigil.pipeline.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.pipeline.AuditResult;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.model.Problem;
import java.io.IOException;
import java.io.OutputStream;

/** Findings for machines: {@code {findings, suppressed, problems, summary}} (format "vigil-audit-ci" v1). */
public final class JsonReport {
  private JsonReport() {}

  public static ObjectNode toJson(AuditResult r) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("format", "vigil-audit-ci");
    root.put("format_version", 1);
    ArrayNode fs = root.putArray("findings");
    r.findings().forEach(f -> fs.add(finding(json, f)));
    ArrayNode sup = root.putArray("suppressed");
    r.suppressed().forEach(s -> {
      ObjectNode n = finding(json, s.finding());
      n.put("suppressed_by", s.source());
      n.put("reason", s.reason());
      sup.add(n);
    });
    ArrayNode ps = root.putArray("problems");
    for (Problem p : r.problems()) {
      ObjectNode n = ps.addObject();
      n.put("path", p.path());
      n.put("line", p.line());
      n.put("column", p.column());
      n.put("message", p.message());
      n.put("fatal", p.fatal());
    }
    ObjectNode sum = root.putObject("summary");
    sum.put("files_audited", r.filesAudited());
    sum.put("files_failed", r.filesFailed());
    sum.put("findings", r.findings().size());
    sum.put("suppressed", r.suppressed().size());
    sum.put("hidden_by_persona", r.hidden());
    return root;
  }

  static ObjectNode finding(ObjectMapper json, Finding f) {
    ObjectNode n = json.createObjectNode();
    n.put("audit", f.auditId());
    n.put("severity", f.severity().label());
    n.put("confidence", f.confidence().name().toLowerCase());
    n.put("persona", f.persona().name().toLowerCase());
    n.put("path", f.path());
    n.put("line", f.line());
    n.put("column", f.column());
    n.put("end_line", f.endLine());
    n.put("message", f.message());
    ArrayNode notes = n.putArray("notes");
    for (Finding.Note note : f.notes()) {
      ObjectNode o = notes.addObject();
      o.put("line", note.line());
      o.put("column", note.column());
      o.put("label", note.label());
    }
    ObjectNode facts = n.putObject("facts");
    f.facts().forEach(facts::put);
    if (f.fix() != null) {
      ObjectNode fix = n.putObject("fix");
      fix.put("line", f.fix().line());
      fix.put("replace", f.fix().oldText());
      fix.put("with", f.fix().newText());
      fix.put("comment", f.fix().comment());
    }
    return n;
  }

  public static void write(AuditResult r, OutputStream out) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, toJson(r));
  }
}
