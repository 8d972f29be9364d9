package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.intel.FeedException;
import dev.vigil.intel.IocFeed;
import dev.vigil.respond.Investigation;
import dev.vigil.respond.InvestigationOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "investigate",
    description = {"From \"we ran the compromised tool\" to the notices, in one run: which pipelines ran it, which "
        + "secrets they exposed, what the keys did afterwards, what was read per tenant, whose personal data it "
        + "is; then GDPR Art. 33/34 drafts, one notice per tenant, a STIX 2.1 bundle and a remediation checklist.",
        "",
        "Every input is optional except --logs or --repo; what is missing is named in the report.",
        "",
        "Examples:",
        "  vigil investigate --repo . --run-logs logs/ --secret-map secrets.json --logs AWSLogs/ \\",
        "      --tenants tenants.json --mirror mirror/ --out case-42",
        "  vigil simulate ec-breach --out sim && vigil investigate --repo sim/repo --run-logs sim/run-logs \\",
        "      --secret-map sim/secret-map.json --logs sim --tenants sim/tenants.json --mirror sim/mirror --out case"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:investigated, all input read", "2:could not run (bad usage, unreadable input)",
        "3:investigated, but some input was quarantined or unreadable (see the report)"})
final class InvestigateCommand implements Callable<Integer> {

  @Option(names = "--repo", paramLabel = "DIR", description = "A repository (git history is used when present).")
  List<Path> repos = new ArrayList<>();

  @Option(names = "--run-logs", paramLabel = "PATH",
      description = "GitHub Actions run logs (folders or the API's zips): prove which jobs ran the action.")
  List<Path> runLogs = new ArrayList<>();

  @Option(names = "--secret-map", paramLabel = "FILE",
      description = "JSON {\"SECRET_NAME\": \"AKIA...\"}: which CI secret holds which access key.")
  Path secretMap;

  @Option(names = "--logs", paramLabel = "PATH", description = "CloudTrail logs (files, directories, AWSLogs/).")
  List<Path> logs = new ArrayList<>();

  @Option(names = "--tenants", paramLabel = "FILE",
      description = "Tenant map (bucket or bucket/prefix -> tenant; optional 'contacts: {tenant: e-mail}').")
  Path tenants;

  @Option(names = "--mirror", paramLabel = "DIR",
      description = "Local copy of the objects read (DIR/<bucket>/<key>), to count personal data.")
  Path mirror;

  @Option(names = "--feed", paramLabel = "FILE", description = "Extra IOC feed(s) beside Vigil's bundled feed.")
  List<Path> feeds = new ArrayList<>();

  @Option(names = "--org", paramLabel = "NAME", defaultValue = "Our organisation",
      description = "Who notifies (default: ${DEFAULT-VALUE}).")
  String organisation;

  @Option(names = "--contact", paramLabel = "TEXT", defaultValue = "Data Protection Officer (contact details to fill in)",
      description = "Contact point for the notices (default: ${DEFAULT-VALUE}).")
  String contact;

  @Option(names = "--aware", paramLabel = "TIME",
      description = "When you became aware of the breach (ISO-8601; default: now): starts the 72-hour clock.")
  String aware;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the report and notices go.")
  Path out;

  @Override
  public Integer call() throws IOException {
    return run(System.out, System.err);
  }

  /** The investigation, printing its summary on {@code stdout} and progress on {@code err} (the demo reuses it). */
  int run(PrintStream stdout, PrintStream err) throws IOException {
    if (repos.isEmpty() && logs.isEmpty()) {
      throw new UserException("give at least --logs or --repo (see 'vigil investigate --help')");
    }
    for (List<Path> group : List.of(repos, runLogs, logs)) {
      for (Path p : group) {
        if (!Files.exists(p)) {
          throw new UserException("no such file or directory: " + p);
        }
      }
    }
    IocFeed feed = IocFeed.bundled();
    for (Path f : feeds) {
      try {
        feed = feed.merge(IocFeed.load(f));
      } catch (FeedException e) {
        throw new UserException(e.getMessage());
      }
    }
    TenantMap tenantMap = null;
    Map<String, String> contacts = Map.of();
    if (tenants != null) {
      try {
        tenantMap = TenantMap.load(tenants);
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
      contacts = tenantMap.contacts();
    }
    if (mirror != null && !Files.isDirectory(mirror)) {
      throw new UserException("--mirror must be a directory: " + mirror);
    }
    Instant now = Instant.now();
    Instant awareness = now;
    if (aware != null) {
      try {
        awareness = Instant.parse(aware);
      } catch (DateTimeParseException e) {
        throw new UserException("--aware: not an ISO-8601 time such as 2026-03-24T09:00:00Z: " + aware);
      }
    }
    DetectCommand detect = new DetectCommand();
    new CommandLine(detect).parseArgs(logs.isEmpty() ? "." : logs.get(0).toString());
    Investigation.Inputs inputs = new Investigation.Inputs(repos, runLogs, secretMap(), logs, tenantMap, contacts,
        mirror, feed);
    Investigation.Findings f = Investigation.run(inputs, detect.detectors(), line -> err.println("vigil: " + line));
    InvestigationOutputs.write(f, new InvestigationOutputs.Context(organisation, contact, awareness, now, feed), out);
    summary(stdout, f);
    stdout.println("Report: " + out.resolve("report.html") + " (also report.md, investigation.json, notices/, "
        + "stix-bundle.json)");
    return f.quarantined() > 0 || !f.problems().isEmpty() ? ExitCode.PARTIAL_INPUT : ExitCode.OK;
  }

  private void summary(PrintStream o, Investigation.Findings f) {
    boolean c = Terminal.colour();
    o.println(Terminal.paint("1", "Investigation summary", c));
    f.exposedJobs().forEach(j -> o.println("  exposed: " + j.workflowPath() + " job " + j.jobId() + " ran "
        + j.actionRepo() + "@" + j.ref() + (j.executionProven() ? " (proven by run logs)" : " (not proven)")
        + "; secrets " + j.secrets()));
    f.keyActivity().forEach(k -> o.println("  key " + k.accessKeyId() + " (" + k.origin() + "): " + k.suspicious()
        + " suspicious, " + k.expected() + " expected event(s)"));
    long objects = f.tenants().stream().mapToLong(Investigation.TenantFindings::objectsRead).sum();
    long bytes = f.tenants().stream().mapToLong(Investigation.TenantFindings::bytesRead).sum();
    long subjects = f.tenants().stream().mapToLong(t -> t.personalData().dataSubjects()).sum();
    o.printf("  blast radius: %,d objects, %.1f GB, %d tenant(s), %,d data subject(s)%n", objects, bytes / 1e9,
        f.tenants().size(), subjects);
    f.notes().forEach(n -> o.println("  note: " + n));
  }

  private Map<String, String> secretMap() {
    if (secretMap == null) {
      return Map.of();
    }
    try {
      JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(secretMap));
      Map<String, String> out = new LinkedHashMap<>();
      if (root == null || !root.isObject()) {
        throw new UserException(secretMap + ": expected a JSON object {\"SECRET_NAME\": \"AKIA...\"}");
      }
      root.fields().forEachRemaining(e -> {
        if (!e.getValue().isTextual()) {
          throw new UserException(secretMap + ": " + e.getKey() + ": expected an access key id string");
        }
        out.put(e.getKey(), e.getValue().asText());
      });
      return out;
    } catch (IOException e) {
      throw new UserException(secretMap + ": cannot read the secret map: " + e.getMessage());
    }
  }


}
