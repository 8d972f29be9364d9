package dev.vigil.pipeline.report;

import dev.vigil.pipeline.AuditResult;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Problem;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Findings for people: grouped by file, one line each plus its notes; colour only when asked. */
public final class TextReport {
  private TextReport() {}

  public static void write(AuditResult r, PrintStream out, boolean colour) {
    Map<String, List<Finding>> byFile = new LinkedHashMap<>();
    for (Finding f : r.findings()) {
      byFile.computeIfAbsent(f.path(), k -> new java.util.ArrayList<>()).add(f);
    }
    for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
      out.println(paint("1", e.getKey(), colour));
      for (Finding f : e.getValue()) {
        String sev = String.format("%-8s", f.severity().label());
        out.println("  " + f.line() + ":" + f.column() + "  " + paint(colourOf(f.severity()), sev, colour) + " "
            + paint("2", f.auditId(), colour) + "  " + f.message()
            + (f.confidence().ordinal() < 2 ? " (confidence " + f.confidence().name().toLowerCase() + ")" : ""));
        for (Finding.Note n : f.notes()) {
          out.println("          " + n.line() + ":" + n.column() + "  " + n.label());
        }
        if (f.fix() != null) {
          out.println("          fix: " + f.fix().newText() + " # " + f.fix().comment() + "  (--fix)");
        }
      }
      out.println();
    }
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    r.findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
    StringBuilder s = new StringBuilder();
    s.append(r.findings().size()).append(" finding").append(r.findings().size() == 1 ? "" : "s");
    if (!r.findings().isEmpty()) {
      s.append(" (");
      boolean first = true;
      for (Severity sev : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)) {
        if (counts.containsKey(sev)) {
          s.append(first ? "" : ", ").append(counts.get(sev)).append(' ').append(sev.label());
          first = false;
        }
      }
      s.append(")");
    }
    s.append(" in ").append(r.filesAudited()).append(" file").append(r.filesAudited() == 1 ? "" : "s");
    if (!r.suppressed().isEmpty()) {
      s.append("; ").append(r.suppressed().size()).append(" suppressed");
    }
    if (r.hidden() > 0) {
      s.append("; ").append(r.hidden()).append(" more with --persona pedantic/auditor");
    }
    if (r.filesFailed() > 0) {
      s.append("; ").append(r.filesFailed()).append(" file(s) NOT audited (see errors)");
    }
    out.println(s);
  }

  /** Input problems, one line each, for stderr. */
  public static void problems(AuditResult r, PrintStream err) {
    for (Problem p : r.problems()) {
      err.println("vigil: " + (p.fatal() ? "error: " : "warning: ") + p);
    }
  }

  private static String colourOf(Severity s) {
    return switch (s) {
      case CRITICAL -> "1;35";
      case HIGH -> "1;31";
      case MEDIUM -> "33";
      case LOW -> "36";
      case INFO -> "2";
    };
  }

  private static String paint(String ansi, String text, boolean on) {
    return on ? "\u001b[" + ansi + "m" + text + "\u001b[0m" : text;
  }
}
