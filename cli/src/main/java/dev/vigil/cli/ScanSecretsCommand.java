package dev.vigil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.secrets.Finding;
import dev.vigil.secrets.GitHistory;
import dev.vigil.secrets.RuleSet;
import dev.vigil.secrets.ScanReport;
import dev.vigil.secrets.SecretReports;
import dev.vigil.secrets.SecretScan;
import dev.vigil.secrets.SecretScanner;
import dev.vigil.secrets.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan-secrets", mixinStandardHelpOptions = true,
    description = {"Find leaked credentials (cloud keys, tokens, private keys, passwords) in files, archives, CI "
        + "logs and git history. Secrets are redacted in every output unless --show-secrets.", "",
        "Examples:",
        "  vigil scan-secrets .                     # files; archives one level deep",
        "  vigil scan-secrets . --git               # every commit, deleted files too",
        "  vigil scan-secrets . --format sarif      # SARIF 2.1.0 for code scanning",
        "  vigil scan-secrets . --format json > base.json",
        "  vigil scan-secrets . --baseline base.json   # only findings not in base",
        "  vigil scan-secrets logs/ --aws-keys-out keys.json   # for investigate",
        "  kubectl logs job/deploy | vigil scan-secrets -",
        "  vigil scan-secrets . --rules mine.yaml --fail-on high",
        "Docs: docs/SECRETS.md"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no finding at or above --fail-on, all input read",
        "1:findings at or above --fail-on (checked first)",
        "2:could not run (bad usage, bad rules file, not a git repository)",
        "3:some input could not be read (listed on stderr); the rest was scanned"})
final class ScanSecretsCommand implements Callable<Integer> {

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "Files, directories (recursively), zip/jar/tar/tar.gz archives (one level deep), - for "
          + "standard input; with --git, git repositories.")
  List<Path> paths;

  @Option(names = "--git", description = "Scan the git history of each PATH (every commit reachable from any ref) "
      + "instead of the files on disk; findings name the commit that added the secret.")
  boolean git;

  @Option(names = "--format", paramLabel = "text|json|sarif", defaultValue = "text",
      description = "Output format on stdout (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--show-secrets", description = "Print secrets whole. Without it every output redacts them "
      + "to a few leading and trailing characters.")
  boolean showSecrets;

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "A previous JSON or SARIF output: findings with the same fingerprint are not reported again.")
  Path baseline;

  @Option(names = "--aws-keys-out", paramLabel = "FILE",
      description = "Write the AWS access key ids found (key id, account, file/commit, line, whether the secret key "
          + "was next to it; never the secret) as JSON, for 'vigil investigate'.")
  Path awsKeysOut;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "low",
      description = "Exit 1 when a finding has this severity or higher: info, low, medium, high, critical, or none "
          + "(default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--rules", paramLabel = "FILE",
      description = "A rules file (YAML or JSON, format in docs/SECRETS.md) that adds rules, replaces built-in ones "
          + "by id, disables some ('disable: [id]') or extends the allowlist (repeatable).")
  List<Path> rules = new ArrayList<>();

  @Option(names = "--respect-gitignore", description = "Skip files matched by .gitignore files (default: scan "
      + "them; an ignored .env is still a leak on this disk).")
  boolean respectGitignore;

  @Option(names = "--max-file-size", paramLabel = "MB", defaultValue = "50",
      description = "Skip files (and archive entries, blobs) larger than this many MiB (default: ${DEFAULT-VALUE}).")
  long maxFileMb;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
  Integer threads;

  enum Format { text, json, sarif }

  @Override
  public Integer call() throws IOException {
    // JGit logs through SLF4J; without a provider SLF4J would print a warning on stderr
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    Severity threshold = threshold();
    for (Path p : paths) {
      if (!p.toString().equals("-") && !Files.exists(p)) {
        throw new UserException("no such file or directory: " + p);
      }
    }
    RuleSet ruleSet;
    try {
      ruleSet = RuleSet.load(rules);
    } catch (RuleSet.RuleFileException e) {
      throw new UserException(e.getMessage());
    }
    Set<String> known = Set.of();
    if (baseline != null) {
      try {
        known = SecretReports.baseline(baseline);
      } catch (IOException e) {
        throw new UserException("cannot read the baseline " + baseline + ": " + e.getMessage());
      }
    }
    SecretScan.Options options = new SecretScan.Options(git, respectGitignore, maxFileMb * 1024 * 1024,
        threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors());
    SecretScan scan = new SecretScan(SecretScanner.forRules(ruleSet), options);
    PrintStream err = System.err;
    ProgressLine progress = Terminal.interactive() ? new ProgressLine(scan.report(), err) : null;
    SecretScan.Result result;
    try {
      result = scan.run(paths, System.in, progress == null ? null : progress::total);
    } catch (GitHistory.NotARepository e) {
      throw new UserException(e.getMessage() + " (drop --git to scan its files)");
    } finally {
      if (progress != null) {
        progress.stop();
      }
    }
    List<Finding> findings = SecretReports.withoutBaseline(result.findings(), known);
    int suppressed = result.findings().size() - findings.size();
    String version = VigilCli.versionString();
    PrintStream out = System.out;
    switch (format) {
      case json -> SecretReports.write(SecretReports.json(findings, result.report(), suppressed, showSecrets,
          version), out);
      case sarif -> SecretReports.write(SecretReports.sarif(findings, result.report(), showSecrets, version), out);
      default -> SecretReports.text(out, findings, showSecrets, Terminal.colour());
    }
    out.flush();
    if (awsKeysOut != null) {
      ObjectNode keys = SecretReports.awsKeys(findings);
      try {
        SecretReports.write(keys, awsKeysOut);
      } catch (IOException e) {
        throw new UserException("cannot write " + awsKeysOut + ": " + e.getMessage());
      }
    }
    ScanReport report = result.report();
    int printed = 0;
    for (ScanReport.Problem p : report.problems()) {
      if (printed++ < InputOptions.PRINTED_PROBLEMS) {
        err.println("vigil: unreadable: " + p);
      }
    }
    if (report.problems().size() > InputOptions.PRINTED_PROBLEMS) {
      err.println("vigil: ... " + (report.problems().size() - InputOptions.PRINTED_PROBLEMS)
          + " more unreadable inputs (all listed in --format json/sarif)");
    }
    err.println("vigil: " + findings.size() + " finding(s)" + (suppressed > 0 ? " (" + suppressed
        + " more in the baseline)" : "") + "; " + report.summary());
    if (threshold != null && findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0)) {
      return ExitCode.FINDINGS;
    }
    return report.clean() ? ExitCode.OK : ExitCode.PARTIAL_INPUT;
  }

  private Severity threshold() {
    if (failOn.equalsIgnoreCase("none")) {
      return null;
    }
    try {
      return Severity.parse(failOn);
    } catch (IllegalArgumentException e) {
      throw new UserException("--fail-on must be info, low, medium, high, critical or none, not '" + failOn + "'");
    }
  }

  /** "scanning: 1,234/5,678 files, 512 MB, 3 findings" on one refreshed stderr line, only on a terminal. */
  static final class ProgressLine {
    private final ScanReport report;
    private final PrintStream err;
    private final Thread thread;
    private volatile long total = -1;
    private volatile boolean done;

    ProgressLine(ScanReport report, PrintStream err) {
      this.report = report;
      this.err = err;
      this.thread = new Thread(this::loop, "vigil-progress");
      thread.setDaemon(true);
      thread.start();
    }

    void total(long files) {
      total = files;
    }

    private void loop() {
      long start = System.nanoTime();
      boolean shown = false;
      while (!done) {
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
        if (done || System.nanoTime() - start < 1_000_000_000L) {
          continue; // short scans get no progress line
        }
        long t = total;
        String files = t >= 0 ? String.format(Locale.ROOT, "%,d/%,d files", report.files() + report.skippedTotal(), t)
            : String.format(Locale.ROOT, "%,d blobs, %,d commits", report.files(), report.commits());
        err.print(String.format(Locale.ROOT, "\rscanning: %s, %,d MB, %,d findings   ", files,
            report.bytes() >> 20, report.findingsSoFar()));
        err.flush();
        shown = true;
      }
      if (shown) {
        err.print("\r\u001b[2K");
        err.flush();
      }
    }

    void stop() {
      done = true;
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
