package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.GitlabCi;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scripts piped from the network into a shell, and downloaded tools run without a checksum check. */
public final class UnverifiedDownload implements Audit {
  static final AuditInfo INFO = new AuditInfo("unverified-download", "downloaded code run without verification",
      Severity.HIGH,
      "'curl ... | sh' runs whatever the server returns today; a tool downloaded and run without comparing its "
          + "checksum runs whatever was published last. The trivy v0.69.4 release reached CI through "
          + "'get.trivy.dev' install scripts and release downloads exactly like this.",
      "Download to a file, compare it with a checksum committed in the repository (sha256sum -c), then run it; "
          + "or use a pinned action or a package manager lock.",
      List.of("https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies"), null);

  private static final Pattern PIPE_TO_SHELL = Pattern.compile(
      "(curl|wget|iwr|invoke-webrequest)\\b[^|\\n]*\\|\\s*(sudo\\s+(-\\S+\\s+)*)?(ba|z|k|da)?sh\\b"
          + "|(ba|z)?sh\\s+(-c\\s+)?[\"']?\\$\\(\\s*(curl|wget)\\b|(ba|z)?sh\\s+<\\(\\s*(curl|wget)\\b"
          + "|(curl|wget)\\b[^|\\n]*\\|\\s*(sudo\\s+)?python3?\\b|iex\\s*\\(.*(iwr|invoke-webrequest|downloadstring)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DOWNLOAD_TO_FILE = Pattern.compile(
      "(curl|wget)\\b[^\\n]*?(\\S+\\.(tar\\.gz|tgz|tar\\.xz|zip|deb|rpm|sh|bin|appimage|exe)\\b|\\S*/releases/download/\\S+)",
      Pattern.CASE_INSENSITIVE);
  /** curl writes to a file only with -o/-O (possibly combined, as in -sSLo) or a redirect. */
  private static final Pattern CURL_TO_FILE = Pattern.compile(
      "\\s(-[A-Za-z]*[oO]|--output|--remote-name)(\\s|=|$)|>\\s*\\S");
  private static final Pattern VERIFIED = Pattern.compile(
      "sha256sum|sha512sum|shasum|gpg\\s+--verify|cosign\\s+verify|minisign|slsa-verifier|gh\\s+attestation\\s+verify"
          + "|Get-FileHash|--checksum|openssl\\s+dgst", Pattern.CASE_INSENSITIVE);

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    if (step.run() != null && step.run().isScalar()) {
      check(step.file(), step.run(), ctx);
    }
  }

  @Override
  public void gitlab(GitlabCi gitlab, AuditContext ctx) {
    String all = String.join("\n", gitlab.scripts().stream().map(YNode::text).toList());
    for (YNode s : gitlab.scripts()) {
      check(gitlab.file(), s, ctx, all);
    }
  }

  private void check(CiFile file, YNode run, AuditContext ctx) {
    check(file, run, ctx, run.text());
  }

  private void check(CiFile file, YNode run, AuditContext ctx, String wholeScript) {
    String text = run.text();
    Matcher m = PIPE_TO_SHELL.matcher(text);
    if (m.find()) {
      int[] at = locate(file, run, m.group());
      ctx.finding(this, file, run).at(at[0], at[1]).confidence(Confidence.HIGH)
          .message("'" + shorten(m.group()) + "' runs a script straight from the network").emit();
      return;
    }
    Matcher d = DOWNLOAD_TO_FILE.matcher(text);
    if (d.find() && (d.group(1).equalsIgnoreCase("wget") || CURL_TO_FILE.matcher(d.group()).find()
        || CURL_TO_FILE.matcher(lineAt(text, d.start())).find()) && !VERIFIED.matcher(wholeScript).find()) {
      int[] at = locate(file, run, d.group());
      ctx.finding(this, file, run).at(at[0], at[1]).severity(Severity.MEDIUM).confidence(Confidence.MEDIUM)
          .message("'" + shorten(d.group()) + "' downloads a tool that no checksum or signature check follows")
          .emit();
    }
  }

  private static String lineAt(String text, int offset) {
    int s = text.lastIndexOf('\n', offset) + 1;
    int e = text.indexOf('\n', offset);
    return text.substring(s, e < 0 ? text.length() : e);
  }

  private static String shorten(String s) {
    String t = s.replaceAll("\\s+", " ").trim();
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }

  /** Line and column of the matched text inside the node, read from the source. */
  static int[] locate(CiFile file, YNode node, String needle) {
    String first = needle.lines().findFirst().orElse(needle).trim();
    if (first.length() > 30) {
      first = first.substring(0, 30);
    }
    for (int l = node.line(); l <= Math.max(node.line(), node.endLine()); l++) {
      int c = file.line(l).indexOf(first);
      if (c >= 0) {
        return new int[] {l, c + 1};
      }
    }
    return new int[] {node.line(), node.column()};
  }
}
