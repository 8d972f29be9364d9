package dev.vigil.pipeline.audit;

import java.util.List;

/**
 * What an audit is: its stable id (used in SARIF ruleId, ignore comments and configuration), a one-line title,
 * its usual severity, why it matters, how to fix it, and references.
 *
 * @param zizmor the equivalent zizmor audit id, or null (see docs/AUDITS.md)
 */
public record AuditInfo(String id, String title, Severity severity, String explanation, String howToFix,
    List<String> references, String zizmor) {}
