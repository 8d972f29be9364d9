package dev.vigil.cli;

import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.DirectoryFollower;
import dev.vigil.ingest.EventTimeBuffer;
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

  @Option(names = "--order", paramLabel = "arrival|event-time", defaultValue = "arrival",
      description = {"In which order events are evaluated (default: ${DEFAULT-VALUE}).",
          "arrival: as read (delivery files in delivery order).",
          "event-time: each event is held until one --lateness-minutes newer has been read, then evaluated in "
              + "event-time order (CloudTrail delivers an account's records minutes out of order); later ones are "
              + "evaluated where they come and counted. The same order as vigil flink run-local --order event-time."})
  String order;

  @Option(names = "--lateness-minutes", paramLabel = "N", defaultValue = "15",
      description = "With --order event-time: how far out of order an event may come and still be evaluated in "
          + "order (default: ${DEFAULT-VALUE}).")
  int latenessMinutes;

  @Override
  public Integer call() throws IOException {
    input.validate();
    if (!order.equals("arrival") && !order.equals("event-time")) {
      throw new UserException("--order: give arrival or event-time, not " + order);
    }
    if (latenessMinutes < 0) {
      throw new UserException("--lateness-minutes " + latenessMinutes + ": must be 0 or more");
    }
    DetectionRun run = new DetectionRun(detectors(), DetectionRun.tenants(tenantsFile), format == Format.jsonl,
        false, outDir, System.out, System.err);
    if (foldMinutes < 0) {
      throw new UserException("--fold-minutes " + foldMinutes + ": must be 0 or more");
    }
    run.suppression(new AlertSuppression(Duration.ofMinutes(foldMinutes), 100_000));
    IngestReport report;
    EventTimeBuffer buffer = order.equals("event-time")
        ? new EventTimeBuffer(Duration.ofMinutes(latenessMinutes), run::event) : null;
    java.util.function.Consumer<AuditEvent> events = buffer != null ? buffer : run::event;
    if (follow) {
      int[] polls = {0};
      report = new DirectoryFollower(input.reader(System.err)).follow(input.paths, events,
          Duration.ofSeconds(Math.max(0, pollSeconds)), () -> followPolls < 0 || polls[0]++ < followPolls);
    } else {
      report = ReadAhead.read(input.reader(System.err), input.paths, events); // reading on a second core
    }
    if (buffer != null) {
      buffer.flush();
      if (buffer.late() > 0) {
        System.err.printf("vigil: %,d event(s) came more than %d minute(s) out of order and were evaluated where they"
            + " came%n", buffer.late(), latenessMinutes);
      }
    }
    run.finish(input.paths, report);
    behaviour.afterRun();
    return input.finish(System.err, report);
  }
}
