package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.yaml.YNode;
import dev.vigil.pipeline.model.Workflow;
import dev.vigil.pipeline.model.ActionFile;
import java.util.List;
import java.util.regex.Pattern;

/** The whole {@code secrets} context handed over ({@code toJSON(secrets)}, {@code secrets[dynamic]}). */
public final class OverprovisionedSecrets implements Audit {
  static final AuditInfo INFO = new AuditInfo("overprovisioned-secrets", "every secret passed at once",
      Severity.MEDIUM,
      "toJSON(secrets) or a computed secrets[...] index makes every secret of the repository available where one "
          + "was needed, and defeats log masking of structured values.",
      "Reference the individual secrets by name.",
      List.of("https://docs.github.com/en/actions/learn-github-actions/contexts#secrets-context"),
      "overprovisioned-secrets");

  private static final Pattern WHOLE = Pattern.compile(
      "(?i)(tojson\\s*\\(\\s*secrets\\s*\\)|secrets\\s*\\[\\s*(?!['\"])[^\\]]+\\])");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void workflow(Workflow w, AuditContext ctx) {
    scan(w.file(), w.root(), ctx);
  }

  @Override
  public void action(ActionFile a, AuditContext ctx) {
    scan(a.file(), a.root(), ctx);
  }

  private void scan(CiFile file, YNode root, AuditContext ctx) {
    for (CiFile.Expression e : file.expressions(root)) {
      if (WHOLE.matcher(e.body()).find()) {
        ctx.finding(this, file, null).at(e.line(), e.column()).confidence(Confidence.HIGH)
            .message("'${{ " + e.body() + " }}' injects every secret").emit();
      }
    }
  }
}
