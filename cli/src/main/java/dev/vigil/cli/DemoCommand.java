package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Alert;
import dev.vigil.detect.incident.Bytes;
import dev.vigil.detect.incident.Incident;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.IngestReport;
import dev.vigil.ingest.ReadAhead;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the EC breach, end to end, in seconds. Simulates the scenario, runs every detector, prints the
 * incident beside the simulator's ground truth, and writes the report.
 */
@Command(name = "demo",
    description = {"Replay the 2026 European Commission cloud breach: simulate it, detect it, report it, "
        + "investigate it.", "",
        "Simulates a hosting account (71 tenants, CI, backups, operators) in which a CI key stolen through the "
            + "poisoned Trivy action is validated with TruffleHog, used to create a second access key, and then "
            + "used to read the tenants' mail out of S3. Runs Vigil's Sigma rules and behavioural detectors over "
            + "the logs, prints the incident and when the first alert fired, and writes the incident report. Then "
            + "investigates: the pipeline that ran the poisoned action, the secrets it exposed, the keys' use, the "
            + "blast radius per tenant, GDPR notices and a STIX 2.1 bundle (DIR/investigation).", "",
        "Examples:",
        "  vigil demo                          # writes ./demo-out/report.html and ./demo-out/investigation/",
        "  vigil demo --out /tmp/ec --seed 9   # another world, same attack"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the attack was detected", "1:the attack was NOT detected (a Vigil bug: please report it)",
        "2:could not run"})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
      description = "Where to write the simulated logs (DIR/logs) and the report (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "7",
      description = "Simulation seed: same seed, same world (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--background-events", paramLabel = "N", defaultValue = "40000",
      description = "Benign events around the attack (default: ${DEFAULT-VALUE}).")
  long backgroundEvents;

  @Option(names = "--days", paramLabel = "D", defaultValue = "14",
      description = "Days of activity simulated (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--tenants", paramLabel = "T", defaultValue = "71",
      description = "Hosted tenants; the attack's volume scales with it (default: ${DEFAULT-VALUE}, as at the "
          + "Commission).")
  int tenants;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    boolean colour = Terminal.colour();
    Path logs = outDir.resolve("logs");
    prepare(logs);

    out.println(Terminal.paint("1", "Vigil demo: the European Commission cloud breach (March 2026), replayed", colour));
    out.println();
    out.println(step(colour, "1/4") + " Simulating the hosting account (" + days + " days, " + n(backgroundEvents)
        + " benign events, seed " + seed + ") ...");
    simulate(logs);
    JsonNode truth = readTruth(logs.resolve("truth.json"));
    Set<String> attackerEvents = new HashSet<>();
    truth.path("attacker_event_ids").forEach(n -> attackerEvents.add(n.asText()));
    Set<String> attackerIps = new HashSet<>();
    truth.path("attacker_ips").forEach(n -> attackerIps.add(n.asText()));
    String firstAttackerEvent = truth.path("first_attacker_event_id").asText();
    String stolen = truth.path("stolen_key_id").asText();
    String persistence = truth.path("persistence_key_id").asText();
    long truthObjects = truth.at("/exfiltration/objects_read").asLong();
    long truthBytes = truth.at("/exfiltration/bytes_read").asLong();
    int tenantsRead = truth.at("/exfiltration/tenants_read").asInt();
    out.println("      " + n(truth.path("event_count").asLong()) + " CloudTrail events written to " + logs
        + " (S3 delivery layout), " + n(attackerEvents.size()) + " of them by the attacker:");
    out.println("        - the CI deploy key " + stolen + ", stolen from the pipeline, is validated with TruffleHog");
    out.println("        - it creates a second access key, " + persistence + ", on an existing user");
    out.println("        - that key reads " + n(truthObjects) + " objects (" + Bytes.human(truthBytes) + ") of "
        + tenantsRead + " tenants, from " + attackerIps.size() + " addresses");
    out.println();

    out.println(step(colour, "2/4") + " Detecting: Vigil's Sigma rules and behavioural detectors over every event ...");
    DetectCommand detect = new DetectCommand();
    new CommandLine(detect).parseArgs(logs.toString());
    long[] attackerSeenBeforeFirstAlert = {0};
    Instant[] firstAttackerTime = {null};
    Path tenantMap = writeTenantMap(truth, outDir.resolve("tenants.json"));
    DetectionRun run = new DetectionRun(detect.detectors(), DetectionRun.tenants(tenantMap), false, true, outDir,
        out, System.err);
    // the first alert that names an attacker event: a false alert elsewhere must not pass for a detection
    Alert[] firstOnAttacker = {null};
    run.onAlert(a -> {
      if (firstOnAttacker[0] == null && a.events().stream().anyMatch(x -> attackerEvents.contains(x.eventId()))) {
        firstOnAttacker[0] = a;
      }
    });
    IngestReport report = ReadAhead.read(detect.input.reader(System.err), List.of(logs), e -> {
      boolean attacker = attackerEvents.contains(e.eventId());
      if (e.eventId().equals(firstAttackerEvent)) {
        firstAttackerTime[0] = e.time();
      }
      boolean noAlertYet = firstOnAttacker[0] == null;
      run.event(e);
      if (attacker && noAlertYet) {
        attackerSeenBeforeFirstAlert[0]++; // up to and including the one that fired the first alert
      }
    });
    System.err.flush();
    DetectionRun.Result result = run.finish(List.of(logs), report);
    out.println();

    out.println(step(colour, "3/4") + " What Vigil found");
    Alert first = firstOnAttacker[0];
    if (first == null) {
      out.println(Terminal.paint("1;31", "      No alert: the attack went unseen. This is a bug in Vigil.", colour));
      return ExitCode.FINDINGS;
    }
    boolean onFirst = first.events().stream().anyMatch(e -> e.eventId().equals(firstAttackerEvent));
    AuditEvent trigger = first.trigger();
    out.println("      First alert: " + first.severity().name() + " \"" + first.title() + "\" at " + trigger.time()
        + ", " + trigger.action() + " from " + trigger.sourceIp());
    if (onFirst) {
      out.println("      " + Terminal.paint("1;32", "=> on the attacker's very first call,", colour)
          + " before the new key, the reconnaissance and any data left.");
      out.println("         (The Commission's SOC raised its first alert five days after the key was stolen.)");
    } else if (firstAttackerTime[0] != null) {
      out.println("      " + Terminal.paint("1;33", "=> " + forPeople(Duration.between(firstAttackerTime[0],
          trigger.time())) + " after the attacker's first call,", colour) + " on the attacker's event number "
          + n(attackerSeenBeforeFirstAlert[0]) + ".");
    }
    List<Incident> incidents = result.incidents();
    for (Incident inc : incidents) {
      out.print(TextIncidents.summary(inc, colour));
    }
    out.println();
    Incident main = incidents.stream().max(Comparator.comparingLong(Incident::evidenceCount)).orElse(null);
    if (main != null) {
      Set<String> flagged = new HashSet<>(main.evidenceEventIds());
      long flaggedAttacker = attackerEvents.stream().filter(flagged::contains).count();
      Set<String> addresses = new HashSet<>(main.addresses());
      long knownAddresses = attackerIps.stream().filter(addresses::contains).count();
      Incident.Credential root = main.credential(Incident.Role.COMPROMISED);
      Incident.Credential made = main.credential(Incident.Role.CREATED);
      out.println("      Checked against the simulator's ground truth (" + logs.resolve("truth.json") + "):");
      row(out, colour, "incidents", incidents.size() == 1, Integer.toString(incidents.size()));
      row(out, colour, "stolen key named", root != null && root.accessKeyId().equals(stolen), stolen);
      row(out, colour, "persistence key named", made != null && made.accessKeyId().equals(persistence),
          persistence);
      row(out, colour, "attacker addresses", knownAddresses == attackerIps.size()
          && addresses.size() == attackerIps.size(), knownAddresses + " of " + attackerIps.size()
          + (addresses.size() > knownAddresses ? ", and " + (addresses.size() - knownAddresses) + " others" : ""));
      row(out, colour, "attacker events followed", main.eventsObserved() == attackerEvents.size(),
          n(main.eventsObserved()) + " of " + n(attackerEvents.size()) + " (" + n(flaggedAttacker)
              + " flagged by an alert)");
      long exact = tenantsMatching(truth, main);
      row(out, colour, "tenants, objects and bytes", exact == truth.path("tenants").size(), exact + " of "
          + truth.path("tenants").size() + " exact (" + n(main.objectsRead()) + " objects, "
          + Bytes.human(main.bytesRead()) + ")");
    }
    out.println();
    out.println(Terminal.paint("1", "Report: " + outDir.resolve(DetectionRun.HTML_REPORT), colour)
        + "  (open it in a browser; also report.md, alerts.jsonl, incidents.jsonl in " + outDir + ")");
    out.println();

    out.println(step(colour, "4/4") + " Investigating: which pipeline ran the poisoned action, which secrets it "
        + "exposed, what the keys did, whose data was read; notices and IOCs ...");
    int investigated = investigate(logs, trigger.time(), out);
    return investigated == ExitCode.OK ? ExitCode.OK : investigated;
  }

  /**
   * Runs {@code vigil investigate} on what the simulator wrote beside the logs (repository, run logs, secret map,
   * tenant map with contacts). The SOC becomes aware at Vigil's first alert: that starts the 72-hour clock.
   */
  private int investigate(Path logs, Instant aware, PrintStream out) throws IOException {
    Path case_ = outDir.resolve("investigation");
    List<String> args = new ArrayList<>(List.of("--logs", logs.toString(), "--out", case_.toString(),
        "--aware", aware.toString(), "--org", "The hosting provider (simulated)"));
    String[][] optional = {{"--repo", "repo"}, {"--run-logs", "run-logs"}, {"--secret-map", "secret-map.json"},
        {"--tenants", "tenants.json"}, {"--mirror", "mirror"}};
    for (String[] o : optional) {
      if (Files.exists(logs.resolve(o[1]))) {
        args.add(o[0]);
        args.add(logs.resolve(o[1]).toString());
      }
    }
    InvestigateCommand command = new InvestigateCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    PrintStream indented = new PrintStream(new java.io.FilterOutputStream(out) {
      private boolean lineStart = true;

      @Override
      public void write(int b) throws IOException {
        if (lineStart) {
          out.write("      ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(b);
        lineStart = b == '\n';
      }
    }, true, java.nio.charset.StandardCharsets.UTF_8);
    int code = command.run(indented, System.err);
    indented.flush();
    return code;
  }

  private static void row(PrintStream out, boolean colour, String what, boolean ok, String value) {
    out.println(String.format(Locale.ROOT, "        %s %-28s %s",
        ok ? Terminal.paint("32", "ok  ", colour) : Terminal.paint("31", "DIFF", colour), what, value));
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** How many truth tenants the incident reports with exactly the same objects and bytes. */
  static long tenantsMatching(JsonNode truth, Incident incident) {
    long n = 0;
    Iterator<Map.Entry<String, JsonNode>> it = truth.path("tenants").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> t = it.next();
      Incident.TenantImpact got = incident.tenant(t.getKey());
      if (got == null && t.getValue().path("objects_read").asLong() == 0) {
        n++;
      } else if (got != null && got.objectsRead() == t.getValue().path("objects_read").asLong()
          && got.bytesRead() == t.getValue().path("bytes_read").asLong()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The hosting platform's inventory (which bucket is whose) as a {@code --tenants} file, so that the incident
   * names tenants as their owners do. Only the inventory is taken from truth.json, nothing about the attack.
   */
  static Path writeTenantMap(JsonNode truth, Path file) {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root = json.createObjectNode();
    com.fasterxml.jackson.databind.node.ObjectNode tenants = root.putObject("tenants");
    Iterator<Map.Entry<String, JsonNode>> it = truth.path("tenants").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> t = it.next();
      tenants.put(t.getKey(), t.getValue().path("bucket").asText());
    }
    try {
      Files.createDirectories(file.getParent());
      json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage());
    }
    return file;
  }

  private static String step(boolean colour, String s) {
    return Terminal.paint("1;36", "[" + s + "]", colour);
  }

  /** Runs {@code vigil simulate ec-breach} into {@code logs}, keeping its chatter off the demo's output. */
  private void simulate(Path logs) {
    PrintStream saved = System.out;
    List<String> args = new ArrayList<>(List.of("simulate", "ec-breach", "--out", logs.toString(), "--seed",
        Long.toString(seed), "--days", Integer.toString(days), "--background-events", Long.toString(backgroundEvents),
        "--tenants", Integer.toString(tenants), "--compression", "1", "--quiet"));
    int code;
    try {
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      code = VigilCli.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(saved);
    }
    if (code != ExitCode.OK) {
      throw new UserException("the simulation failed (exit code " + code + "): " + String.join(" ", args));
    }
  }

  /** Clears a previous demo's logs (only if they are one: they hold a truth.json). */
  static void prepare(Path logs) throws IOException {
    if (!Files.exists(logs)) {
      return;
    }
    if (!Files.exists(logs.resolve("truth.json"))) {
      throw new UserException(logs + " exists and is not a previous demo's output; choose another --out");
    }
    try (Stream<Path> all = Files.walk(logs)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static JsonNode readTruth(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UserException("cannot read the simulator's ground truth " + file + ": " + e.getMessage());
    }
  }

  /** "3 min 20 s", "2 h 5 min", "1 d 4 h": a delay as an analyst reads it. */
  static String forPeople(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    if (s < 86_400) {
      return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
    return (s / 86_400) + " d " + (s % 86_400 / 3600) + " h";
  }
}
