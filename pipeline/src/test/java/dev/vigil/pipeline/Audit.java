package dev.vigil.pipeline;

import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.model.CiFile;
import java.util.List;

/** Test helper: audit a YAML text and list findings as "audit-id@line". */
final class Audit {
  private Audit() {}

  static AuditResult run(String yaml) {
    return AuditEngine.defaults().withPersona(Persona.AUDITOR).auditText("w.yml", CiFile.Kind.WORKFLOW, yaml);
  }

  static AuditResult run(CiFile.Kind kind, String yaml) {
    return AuditEngine.defaults().withPersona(Persona.AUDITOR).auditText("f.yml", kind, yaml);
  }

  /** "id@line" of every finding of {@code audit}. */
  static List<String> of(String audit, String yaml) {
    return of(audit, run(yaml));
  }

  static List<String> of(String audit, AuditResult r) {
    return r.findings().stream().filter(f -> f.auditId().equals(audit)).map(f -> f.auditId() + "@" + f.line())
        .toList();
  }

  static Finding first(String audit, String yaml) {
    return run(yaml).findings().stream().filter(f -> f.auditId().equals(audit)).findFirst().orElseThrow();
  }
}
