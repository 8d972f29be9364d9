package dev.vigil.cli;

import dev.vigil.intel.FeedException;
import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.AuditConfig;
import dev.vigil.pipeline.AuditEngine;
import dev.vigil.pipeline.AuditResult;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.audits.Audits;
import dev.vigil.pipeline.fix.PinFixer;
import dev.vigil.pipeline.lock.ActionLock;
import dev.vigil.pipeline.lock.LockBuilder;
import dev.vigil.pipeline.report.JsonReport;
import dev.vigil.pipeline.report.SarifReport;
import dev.vigil.pipeline.report.TextReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "audit-ci",
    description = {"Audit CI workflows for supply-chain exposure: known-compromised actions and images (IOC feeds, "
        + "GitHub advisories), unpinned actions/images/tools, secrets in reach of third-party code, long-lived "
        + "cloud keys, pwn-request triggers, template injection, token permissions, cache poisoning, curl|sh, "
        + "self-hosted runners. Reads GitHub Actions workflows, action.yml files and .gitlab-ci.yml. Offline.", "",
        "Examples:",
        "  vigil audit-ci .                          # the repository here",
        "  vigil audit-ci . --format sarif > ci.sarif  # for code scanning",
        "  vigil audit-ci . --persona pedantic --fail-on medium",
        "  vigil audit-ci . --feed extra-iocs.json \\",
        "      --advisories advisory-database/advisories/github-reviewed",
        "  vigil audit-ci lock ~/src/checkout ~/src/trivy=aquasecurity/trivy-action",
        "  vigil audit-ci . --fix            # diff pinning tags to commits",
        "  vigil audit-ci . --fix --write    # apply it",
        "  vigil audit-ci --list-audits",
        "",
        "Suppress a finding with a comment on its line (or the line above): '# vigil: ignore[unpinned-uses] why', "
            + "or in .vigil-ci.yml (disable, first-party, ignore with a reason).", ""},
    subcommands = {AuditCiCommand.Lock.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no finding at or above --fail-on", "1:findings at or above --fail-on",
        "2:could not run (bad option, unreadable feed, lock or config)",
        "3:some files could not be read or parsed (the others were audited)"})
final class AuditCiCommand implements Callable<Integer> {

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "Repositories, directories or files to audit (default: the current directory).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--format", paramLabel = "text|json|sarif", defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}). SARIF 2.1.0 is what GitHub code scanning reads.")
  Format format;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "high",
      description = "Exit with 1 when a finding is at least this severe: info, low, medium, high, critical, or "
          + "never (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--persona", paramLabel = "regular|pedantic|auditor", defaultValue = "regular",
      description = "How much to show: regular (default), pedantic (adds hygiene findings such as images pinned "
          + "by tag), auditor (adds everything worth a look in a review).")
  Persona persona;

  @Option(names = "--feed", paramLabel = "FILE", description = "Extra IOC feed (vigil-ioc-feed JSON), repeatable; "
      + "Vigil's bundled TeamPCP feed is always read.")
  List<Path> feeds = new ArrayList<>();

  @Option(names = "--advisories", paramLabel = "DIR", description = "GitHub Advisory Database OSV files (a "
      + "directory tree or one file) for the GitHub Actions ecosystem, repeatable. Read offline.")
  List<Path> advisories = new ArrayList<>();

  @Option(names = "--lock", paramLabel = "FILE", description = "Lock file of tag-to-commit pins (default: "
      + "vigil-ci.lock.json in the first PATH, if present). Build it with 'vigil audit-ci lock'.")
  Path lock;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration (default: .vigil-ci.yml in the "
      + "first PATH, if present).")
  Path config;

  @Option(names = "--first-party", paramLabel = "OWNER", description = "GitHub owner whose actions are your own "
      + "code (graded lower by unpinned-uses, not third party for secrets), repeatable.")
  List<String> firstParty = new ArrayList<>();

  @Option(names = "--fix", description = "Show a unified diff that pins tags to commit SHAs from the lock file, "
      + "keeping the tag as a comment.")
  boolean fix;

  @Option(names = "--write", description = "With --fix: apply the changes to the files.")
  boolean write;

  @Option(names = "--online", description = "Allow network access to resolve tags not in the lock file.")
  boolean online;

  @Option(names = "--list-audits", description = "List every audit with its severity and zizmor equivalent, then exit.")
  boolean listAudits;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  enum Format { text, json, sarif }

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    if (listAudits) {
      for (Audit a : Audits.all()) {
        out.printf("%-30s %-9s %s%s%n", a.info().id(), a.info().severity().label(), a.info().title(),
            a.info().zizmor() == null ? "" : "  [zizmor: " + a.info().zizmor() + "]");
      }
      return ExitCode.OK;
    }
    if (online) {
      throw new UserException("--online is not implemented yet: Vigil resolves tags only from a local lock file; "
          + "build one with 'vigil audit-ci lock CLONE...' from local clones of the action repositories");
    }
    if (write && !fix) {
      throw new UserException("--write applies the changes of --fix: give both");
    }
    Severity threshold = parseThreshold(failOn);
    if (paths.isEmpty()) {
      paths.add(Path.of("."));
    }
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new UserException(p + ": no such file or directory");
      }
    }
    Path base = Files.isDirectory(paths.get(0)) ? paths.get(0) : Path.of(".");
    IocFeed feed = IocFeed.bundled();
    for (Path f : feeds) {
      try {
        feed = feed.merge(IocFeed.load(f));
      } catch (FeedException e) {
        throw new UserException(e.getMessage());
      }
    }
    OsvAdvisories osv = OsvAdvisories.none();
    for (Path d : advisories) {
      if (!Files.exists(d)) {
        throw new UserException(d + ": no such advisory directory or file");
      }
      OsvAdvisories loaded = OsvAdvisories.load(d);
      loaded.errors().forEach(e -> System.err.println("vigil: warning: " + e));
      osv = OsvAdvisories.merge(osv, loaded);
    }
    ActionLock actionLock = ActionLock.empty();
    Path lockFile = lock != null ? lock : base.resolve("vigil-ci.lock.json");
    if (lock != null || Files.exists(lockFile)) {
      try {
        actionLock = ActionLock.load(lockFile);
      } catch (IOException e) {
        throw new UserException("lock file " + e.getMessage());
      }
    }
    AuditConfig cfg = AuditConfig.empty();
    Path cfgFile = config != null ? config : base.resolve(AuditConfig.FILE_NAME);
    if (config != null || Files.exists(cfgFile)) {
      try {
        cfg = AuditConfig.load(cfgFile);
      } catch (IOException e) {
        throw new UserException("config " + e.getMessage());
      }
    }
    AuditEngine engine = new AuditEngine(feed, osv, actionLock, cfg, persona, new LinkedHashSet<>(firstParty));
    AuditResult result = engine.audit(paths);
    TextReport.problems(result, System.err);
    if (result.filesAudited() + result.filesFailed() == 0) {
      System.err.println("vigil: warning: no CI files found under " + paths + " (looked for .github/workflows/*.yml, "
          + "action.yml and .gitlab-ci.yml)");
    }
    if (fix) {
      return fix(result, actionLock, out);
    }
    switch (format) {
      case json -> JsonReport.write(result, out);
      case sarif -> SarifReport.write(result, version(), out);
      default -> TextReport.write(result, out, Terminal.colour());
    }
    out.println();
    out.flush();
    if (result.filesFailed() > 0) {
      System.err.println("vigil: " + result.filesFailed() + " file(s) could not be audited (see errors above)");
      return ExitCode.PARTIAL_INPUT;
    }
    return threshold != null && result.anyAtLeast(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
  }

  private int fix(AuditResult result, ActionLock actionLock, PrintStream out) throws IOException {
    Map<String, List<Finding.PinFix>> byFile = new LinkedHashMap<>();
    int unpinned = 0;
    for (Finding f : result.findings()) {
      if (f.auditId().equals("unpinned-uses")) {
        unpinned++;
      }
      if (f.fix() != null) {
        byFile.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(f.fix());
      }
    }
    int fixed = 0;
    for (Map.Entry<String, List<Finding.PinFix>> e : byFile.entrySet()) {
      Path file = result.sources().get(e.getKey());
      if (file == null) {
        continue;
      }
      String text = Files.readString(file);
      PinFixer.Result r = PinFixer.apply(text, e.getValue());
      out.print(PinFixer.diff(e.getKey(), r));
      fixed += r.changes().size();
      if (write && r.changed()) {
        Files.writeString(file, r.text());
      }
    }
    System.err.println("vigil: " + fixed + " of " + unpinned + " unpinned reference(s) " + (write ? "pinned" :
        "can be pinned (add --write to apply)") + (unpinned > fixed ? "; " + (unpinned - fixed)
        + " have no entry in the lock file (" + actionLock.repositories() + " repositories): add clones with "
        + "'vigil audit-ci lock'" : ""));
    return result.filesFailed() > 0 ? ExitCode.PARTIAL_INPUT : ExitCode.OK;
  }

  static Severity parseThreshold(String s) {
    if (s.equalsIgnoreCase("never") || s.equalsIgnoreCase("none")) {
      return null;
    }
    try {
      return Severity.parse(s);
    } catch (IllegalArgumentException e) {
      throw new UserException("--fail-on: " + e.getMessage() + " or never");
    }
  }

  static String version() {
    try {
      return new VigilCli.Version().getVersion()[0].replace("vigil ", "");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Command(name = "lock",
      description = {"Build the lock file that --fix pins from: the commit of every tag in local clones of action "
          + "repositories (JGit, no network), plus known-good artifact hashes for verify-artifact.", "",
          "Examples:",
          "  git clone --bare https://github.com/actions/checkout /tmp/checkout",
          "  vigil audit-ci lock /tmp/checkout        # name from the origin remote",
          "  vigil audit-ci lock ./mirror/trivy=aquasecurity/trivy-action",
          "  vigil audit-ci lock --artifact trivy_0.69.3_Linux-64bit.tar.gz", ""})
  static final class Lock implements Callable<Integer> {
    @Parameters(paramLabel = "CLONE[=owner/repo]", arity = "0..*",
        description = "Local clones (bare or not) of action repositories.")
    List<String> clones = new ArrayList<>();

    @Option(names = "--artifact", paramLabel = "FILE", description = "Record a file's SHA-256 as known good "
        + "(repeatable).")
    List<Path> artifacts = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "vigil-ci.lock.json",
        description = "Lock file to create or update (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() throws IOException {
      if (clones.isEmpty() && artifacts.isEmpty()) {
        throw new UserException("give at least one clone directory or --artifact FILE");
      }
      ActionLock lock = ActionLock.empty();
      if (Files.exists(out)) {
        try {
          lock = ActionLock.load(out);
        } catch (IOException e) {
          throw new UserException("existing lock file " + e.getMessage());
        }
      }
      for (String c : clones) {
        int eq = c.indexOf('=');
        Path dir = Path.of(eq < 0 ? c : c.substring(0, eq));
        String name = eq < 0 ? null : c.substring(eq + 1);
        if (!Files.isDirectory(dir)) {
          throw new UserException(dir + ": not a directory");
        }
        int before = lock.tagCount();
        try {
          String used = LockBuilder.addClone(lock, dir, name);
          System.err.println("vigil: " + used + ": " + (lock.tagCount() - before) + " new tag(s)");
        } catch (IOException e) {
          throw new UserException(e.getMessage());
        }
      }
      for (Path a : artifacts) {
        if (!Files.isRegularFile(a)) {
          throw new UserException(a + ": not a file");
        }
        lock.putArtifact(dev.vigil.pipeline.artifact.ArtifactVerifier.sha256(a), a.getFileName().toString());
      }
      lock.write(out);
      System.err.println("vigil: wrote " + out + " (" + lock.repositories() + " repositories, " + lock.tagCount()
          + " tags, " + lock.artifactCount() + " artifacts)");
      return ExitCode.OK;
    }
  }
}
