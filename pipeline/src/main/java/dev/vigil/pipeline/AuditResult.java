package dev.vigil.pipeline;

import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Problem;
import java.util.List;

/**
 * The outcome of an audit run.
 *
 * @param findings    shown findings, sorted by file, line, audit
 * @param suppressed  findings silenced by an ignore comment or the configuration, with the reason
 * @param hidden      findings meant for a more thorough persona (pedantic, auditor), counted but not shown
 * @param problems    input problems; fatal ones mean the file was not audited
 * @param filesAudited files parsed and audited (possibly with non-fatal problems)
 * @param filesFailed  files that could not be read or parsed at all
 * @param sources      display path to file on disk, for --fix
 */
public record AuditResult(List<Finding> findings, List<Suppressed> suppressed, int hidden, List<Problem> problems,
    int filesAudited, int filesFailed, java.util.Map<String, java.nio.file.Path> sources) {

  /** A suppressed finding and why. {@code source} is "inline" or "config". */
  public record Suppressed(Finding finding, String reason, String source) {}

  public boolean anyAtLeast(Severity threshold) {
    return findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0);
  }
}
