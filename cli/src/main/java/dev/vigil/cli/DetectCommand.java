package dev.vigil.cli;

import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.DirectoryFollower;
import dev.vigil.ingest.IngestReport;
import dev.vigil.ingest.ReadAhead;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Run Sigma rules and Vigil's detectors over CloudTrail logs; print alerts.", "",
        "Examples:",
        "  vigil detect AWSLogs/ --rules sigma/rules/cloud/aws   # community rules beside Vigil's own",
        "  vigil detect trail.json.gz --format jsonl > findings.jsonl   # alerts and incidents, OCSF",
        "  vigil detect AWSLogs/ --out report/ --tenants tenants.yaml   # + report.html, report.md"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:all input read", "2:could not run (bad usage, no input, unreadable rules)",
        "3:ran, but some records were quarantined"})
final class DetectCommand implements Callable<Integer> {

  @Mixin InputOptions input;

  @Mixin BehaviourOptions behaviour;

  @Option(names = "--rules", paramLabel = "DIR|FILE",
      description = "Sigma rules to load in addition to Vigil's bundled rules (repeatable).")
  List<Path> rules = new ArrayList<>();

  @Option(names = "--no-builtin-rules", description = "Do not load Vigil's bundled Sigma rules.")
  boolean noBuiltinRules;

  @Option(names = "--placeholder", paramLabel = "NAME=VALUE[,VALUE...]",
      description = "Value(s) for a Sigma |expand placeholder, e.g. --placeholder aws_admin_users=alice,bob.")
  Map<String, String> placeholders = new LinkedHashMap<>();

  @Option(names = "--format", paramLabel = "text|jsonl", defaultValue = "text",
      description = "text for people, jsonl (one OCSF object per line) for machines (default: ${DEFAULT-VALUE}).")
  Format format;

  enum Format { text, jsonl }

  /** The Sigma rule set: Vigil's bundled rules unless --no-builtin-rules, plus --rules; rejections go to stderr. */
  private Detector sigma() {
    RulesCommand.requireExisting(rules);
    SigmaRules.Loaded loaded = SigmaRules.loadAll(rules, !noBuiltinRules, RulesCommand.placeholders(placeholders));
    for (SigmaRules.Rejection r : loaded.rejected()) {
      System.err.println("vigil: Sigma rule rejected: " + r);
    }
    System.err.println("vigil: " + loaded.loaded().size() + " Sigma rule(s) loaded"
        + (loaded.rejected().isEmpty() ? "" : ", " + loaded.rejected().size() + " rejected (see above; "
        + "'vigil rules check' explains)"));
    return loaded.ruleSet();
  }

  // ---- incidents, report and progress (see DetectionRun) ----
  @Option(names = "--out", paramLabel = "DIR",
      description = "Also write alerts.jsonl, incidents.jsonl, report.html and report.md to DIR.")
  Path outDir;

  @Option(names = "--tenants", paramLabel = "FILE",
      description = "Bucket/prefix to tenant map (JSON or YAML; see docs/INCIDENTS.md). Default: a bucket is a "
          + "tenant; in a bucket named *-shared-* each top-level prefix is one.")
  Path tenantsFile;

  /** Every detector of a run, in the order they see each event. */
  List<Detector> detectors() {
    List<Detector> detectors = new ArrayList<>();
    detectors.add(sigma());
    behaviour.addTo(detectors);
    return detectors;
  }

  @Option(names = "--follow",
      description = "Keep going: after reading the inputs, pick up new files as they land in the given directories "
          + "(read once their size has settled). Alerts stream as they fire; stop with Ctrl-C.")
  boolean follow;

  @Option(names = "--poll-seconds", paramLabel = "N", defaultValue = "10",
      description = "With --follow: how often to look for new files (default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(names = "--follow-polls", hidden = true, defaultValue = "-1",
      description = "With --follow: stop after N polls (for tests and scripted runs); -1 for never.")
  int followPolls;

  @Option(names = "--fold-minutes", paramLabel = "N", defaultValue = "60",
      description = "Fold repeats: after a rule fires for an access key from an address, its further matches for "
          + "that key and address within N minutes are counted in the incident, not written as new alerts "
          + "(default: ${DEFAULT-VALUE}; 0 writes every match).")
  int foldMinutes;

  @Override
  public Integer call() throws IOException {
    input.validate();
    DetectionRun run = new DetectionRun(detectors(), DetectionRun.tenants(tenantsFile), format == Format.jsonl,
        false, outDir, System.out, System.err);
    if (foldMinutes < 0) {
      throw new UserException("--fold-minutes " + foldMinutes + ": must be 0 or more");
    }
    run.suppression(new AlertSuppression(Duration.ofMinutes(foldMinutes), 100_000));
    IngestReport report;
    if (follow) {
      int[] polls = {0};
      report = new DirectoryFollower(input.reader(System.err)).follow(input.paths, run::event,
          Duration.ofSeconds(Math.max(0, pollSeconds)), () -> followPolls < 0 || polls[0]++ < followPolls);
    } else {
      report = ReadAhead.read(input.reader(System.err), input.paths, run::event); // reading on a second core
    }
    run.finish(input.paths, report);
    behaviour.afterRun();
    return input.finish(System.err, report);
  }
}
