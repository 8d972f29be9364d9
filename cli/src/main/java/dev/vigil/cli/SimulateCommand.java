package dev.vigil.cli;

import dev.vigil.simulate.EcBreachSimulation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil simulate SCENARIO}: realistic CloudTrail datasets with known ground truth. */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = VigilCli.Version.class,
    description = {"Write a realistic CloudTrail dataset with known ground truth, for demos, tests and benchmarks.",
        "", "Scenarios:", "  ec-breach   the 2026 European Commission cloud breach (stolen CI key, TruffleHog, "
        + "persistence key, 92 GB read from 71 tenants)", "",
        "Run 'vigil simulate ec-breach --help' for its options."},
    subcommands = {SimulateCommand.EcBreach.class})
final class SimulateCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a scenario is required (ec-breach)");
  }

  @Command(name = "ec-breach", sortOptions = false, mixinStandardHelpOptions = true,
      versionProvider = VigilCli.Version.class,
      description = {
        "Simulate a web-hosting AWS account with many tenants over D days and, on the attack day, the European "
            + "Commission breach as CERT-EU described it: the CI deploy user's long-lived key, stolen by the poisoned "
            + "Trivy GitHub Action, is validated with TruffleHog (sts:GetCallerIdentity), a new access key is "
            + "created on an existing IAM user, the new key does reconnaissance and reads about 91.7 GB "
            + "(51,992 mail files and site files) from all 71 tenants' buckets.",
        "",
        "The ordinary world around it is what makes detection hard: a CI key used from a new GitHub runner address "
            + "on every run, a nightly backup that reads every tenant, operators and administrators through SSO "
            + "roles (including IAM changes and key rotations), new employees and new automation mid-period, "
            + "service roles, scheduled jobs, AccessDenied and throttling noise.",
        "",
        "Writes DIR/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/*.json.gz (the S3 delivery layout, one "
            + "file per region and 5-minute window) and DIR/truth.json: event_count, first_attacker_event_id, "
            + "attacker_event_ids, attacker_ips, stolen_key_id, persistence_key_id, per-tenant objects and bytes "
            + "read, and facts about the benign world. The same options always give byte-identical files.",
        "",
        "Examples:",
        "  # 30 days, 200,000 background events, 71 tenants (about 15 s):",
        "  vigil simulate ec-breach --out /tmp/breach",
        "  # a small world in a few seconds, for a demo:",
        "  vigil simulate ec-breach --out /tmp/small --tenants 5 --days 10 --background-events 20000",
        "  # ten million events for a benchmark (memory stays flat):",
        "  vigil simulate ec-breach --out /tmp/big --background-events 10000000 --compression 1",
        "  vigil stats /tmp/breach; jq .first_attacker_event_id /tmp/breach/truth.json",
        ""},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:dataset written", "2:could not run (bad option, DIR not empty without --force, disk error)"})
  static final class EcBreach implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Directory to write into; created if missing, must be empty unless --force.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "Random seed; the same seed gives the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--days", paramLabel = "D", defaultValue = "30",
        description = "Length of the simulated period, ending a few days after the attack (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--background-events", paramLabel = "N", defaultValue = "200000",
        description = "Exact number of benign events (default: ${DEFAULT-VALUE}; 1,000,000 and more work, "
            + "memory does not grow with it).")
    long backgroundEvents;

    @Option(names = "--tenants", paramLabel = "T", defaultValue = "71",
        description = "Hosted tenants; the attack's volume scales with it (default: ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--attack-date", paramLabel = "YYYY-MM-DD", defaultValue = "2026-03-19",
        description = "Day of the attack; it starts in the evening UTC (default: ${DEFAULT-VALUE}).")
    LocalDate attackDate;

    @Option(names = "--compression", paramLabel = "1-9", defaultValue = "6",
        description = "gzip level of the log files; 1 is fastest (default: ${DEFAULT-VALUE}).")
    int compression;

    @Option(names = "--force",
        description = "Replace a previous simulation in DIR (AWSLogs/, repo/, run-logs/, mirror/, truth.json and the maps); "
            + "other files are kept.")
    boolean force;

    @Option(names = "--no-mirror",
        description = "Do not write DIR/mirror/<bucket>/<key>, the local copy of every object the attacker read "
            + "(generated mail with named senders and recipients, phone numbers, IBANs; site pages) that "
            + "'vigil investigate --mirror' classifies. It is on by default; truth.json then counts each "
            + "tenant's messages and data subjects.")
    boolean noMirror;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
      EcBreachSimulation.Options options;
      try {
        options = new EcBreachSimulation.Options(seed, days, backgroundEvents, tenants, attackDate, compression);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
      prepare(out);
      PrintStream err = System.err;
      boolean progress = !quiet && Terminal.interactive();
      long started = System.nanoTime();
      EcBreachSimulation.Summary s;
      try {
        s = EcBreachSimulation.write(out, options, progress ? (done, total) -> err.printf(
            "\rsimulating: %,d / %,d events (%d%%)", done, total, done * 100 / Math.max(1, total)) : null, !noMirror);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
      if (progress) {
        err.print("\r\033[K");
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      if (!quiet) {
        PrintStream o = System.out;
        o.printf("Wrote %,d events (%,d background, %,d by the attacker) in %,d files under %s%n", s.events(),
            s.backgroundEvents(), s.attackerEvents(), s.files(), out.resolve("AWSLogs"));
        o.printf("Ground truth: %s (first attacker event %s; %,d objects, %.1f GB read from %d tenants)%n",
            s.truth(), s.firstAttackerEventId(), s.objectsStolen(), s.bytesStolen() / 1e9, tenants);
        o.printf("Took %.1f s (%,.0f events/s). Next: vigil stats %s   or   vigil detect %s%n", seconds,
            s.events() / Math.max(seconds, 1e-3), out, out);
      }
      return ExitCode.OK;
    }

    private void prepare(Path dir) throws IOException {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new UserException(dir + " exists and is not a directory");
      }
      if (Files.isDirectory(dir)) {
        boolean empty;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
          empty = !entries.iterator().hasNext();
        }
        if (!empty) {
          if (!force) {
            throw new UserException(dir + " is not empty; choose an empty or new directory, or add --force to "
                + "replace a previous simulation in it");
          }
          // only what a simulation writes is replaced; anything else in DIR is left alone
          for (String tree : new String[] {"AWSLogs", "repo", "run-logs", "mirror"}) {
            deleteTree(dir.resolve(tree));
          }
          for (String file : new String[] {"truth.json", "secret-map.json", "tenants.json"}) {
            Files.deleteIfExists(dir.resolve(file));
          }
        }
      }
      Files.createDirectories(dir);
    }

    private static void deleteTree(Path root) throws IOException {
      if (!Files.exists(root)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }
}
