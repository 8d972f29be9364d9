package dev.vigil.secrets;

/**
 * One leaked credential at one place. {@link #secret()} is the raw value: only {@code --show-secrets} output uses
 * it; everything else goes through {@link #redacted()}.
 *
 * @param path the file (inside an archive: {@code archive.zip!entry}; in git history: the path in the repository)
 * @param commit the commit that added the line (git history only, else null)
 * @param paired for rules of a pair group (AWS key id and secret key): whether the other half is near; else null
 * @param fingerprint stable across runs and line moves: what {@code --baseline} matches on
 */
public record Finding(
    Rule rule,
    String path,
    int line,
    int column,
    int endLine,
    int endColumn,
    String secret,
    Commit commit,
    Boolean paired,
    String fingerprint) {

  /** Where a finding came from in git history. */
  public record Commit(String id, String author, String email, String date, String repository) {}

  public String ruleId() {
    return rule.id();
  }

  public Severity severity() {
    return rule.severity();
  }

  public String redacted() {
    return Redaction.redact(secret);
  }

  Finding withPaired(Boolean p) {
    return new Finding(rule, path, line, column, endLine, endColumn, secret, commit, p, fingerprint);
  }

  Finding withFingerprint(String f) {
    return new Finding(rule, path, line, column, endLine, endColumn, secret, commit, paired, f);
  }

  Finding withLocation(String p, Commit c) {
    return new Finding(rule, p, line, column, endLine, endColumn, secret, c, paired, fingerprint);
  }
}
