package dev.vigil.respond;

import dev.vigil.detect.Alert;
import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.EventReader;
import dev.vigil.ingest.IngestReport;
import dev.vigil.ingest.ReadAhead;
import dev.vigil.intel.IocFeed;
import dev.vigil.respond.exposure.ActionExecution;
import dev.vigil.respond.exposure.ExposureAnalyzer;
import dev.vigil.respond.exposure.RunLogReader;
import dev.vigil.respond.pii.PersonalDataScanner;
import dev.vigil.respond.pii.PersonalDataTally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * From "we ran the compromised tool" to the facts the notices need, in one pass over each input:
 * exposure (which jobs ran it, which secrets they could read), credential hunt (what the exposed keys and the keys
 * they created did afterwards, expected or suspicious), blast radius per tenant, and personal data in the objects read.
 *
 * <p>Every input but the logs or the repository is optional; what is missing is named in {@link Findings#notes()}.
 */
public final class Investigation {

  /** What the user gave. Null or empty means "not given". */
  public record Inputs(
      List<Path> repos,
      List<Path> runLogs,
      Map<String, String> secretToKey,
      List<Path> cloudTrail,
      TenantMap tenants,
      Map<String, String> tenantContacts,
      Path mirror,
      IocFeed feed) {}

  /** What one exposed key (or a key it created) did after the exposure began. */
  public record KeyActivity(String accessKeyId, String origin, long expected, long suspicious,
      Instant firstSuspicious, Instant lastSuspicious, Set<String> suspiciousAddresses) {}

  /** One tenant's side of the breach. */
  public record TenantFindings(String tenant, String contact, long objectsRead, long bytesRead, long objectsWritten,
      long objectsDeleted, Instant firstRead, Instant lastRead, List<String> addresses, PersonalDataTally personalData) {}

  /** An IAM change the attacker's credentials made. */
  public record IamChange(Instant time, String eventId, String action, String accessKeyId, String target) {}

  /** Everything established, for the report, the notices and the STIX bundle. */
  public record Findings(
      List<ExposureAnalyzer.ExposedJob> exposedJobs,
      Set<String> exposedSecrets,
      Set<String> exposedKeys,
      Instant exposureStart,
      List<KeyActivity> keyActivity,
      List<Incident> incidents,
      List<Alert> alerts,
      List<TenantFindings> tenants,
      List<IamChange> iamChanges,
      long eventsRead,
      long quarantined,
      List<String> notes,
      List<String> problems) {}

  /** Only IAM calls that change something count as changes. */
  private static final Set<String> READ_PREFIXES = Set.of("Get", "List", "Describe", "Simulate", "Generate");
  private static final int MAX_IAM_CHANGES = 1000;

  private Investigation() {}

  /**
   * Runs every step whose inputs were given.
   *
   * @param detectors the detection pipeline (the same one {@code vigil detect} runs)
   * @param progress  one line per step, for people
   */
  public static Findings run(Inputs in, List<Detector> detectors, Consumer<String> progress) throws IOException {
    List<String> notes = new ArrayList<>();
    List<String> problems = new ArrayList<>();

    // 1. exposure
    List<ActionExecution> executions = null;
    if (in.runLogs() != null && !in.runLogs().isEmpty()) {
      RunLogReader logs = new RunLogReader();
      executions = logs.read(in.runLogs());
      logs.problems().forEach(p -> problems.add(p.source() + ": " + p.reason()));
      progress.accept("run logs: " + executions.size() + " action download(s) found");
    }
    List<ExposureAnalyzer.ExposedJob> exposed = new ArrayList<>();
    if (in.repos() == null || in.repos().isEmpty()) {
      notes.add("no repository given: which pipelines ran the compromised action is not established");
    } else {
      Set<String> seenNotes = new LinkedHashSet<>();
      for (Path repo : in.repos()) {
        ExposureAnalyzer.Result r = ExposureAnalyzer.analyze(repo, in.feed(), executions);
        exposed.addAll(r.jobs());
        seenNotes.addAll(r.notes());
        problems.addAll(r.problems());
      }
      notes.addAll(seenNotes);
      progress.accept("exposure: " + exposed.size() + " job(s) used a compromised action in its window");
    }
    Set<String> exposedSecrets = new LinkedHashSet<>();
    exposed.forEach(j -> exposedSecrets.addAll(j.secrets()));
    Set<String> exposedKeys = new LinkedHashSet<>();
    if (in.secretToKey() == null || in.secretToKey().isEmpty()) {
      if (!exposedSecrets.isEmpty()) {
        notes.add("no secret map given: exposed secrets are not tied to access keys; the keys below come from "
            + "detection alone");
      }
    } else {
      for (String s : exposedSecrets) {
        String key = in.secretToKey().get(s);
        if (key != null) {
          exposedKeys.add(key);
        }
      }
    }
    Instant exposureStart = exposed.stream().map(j -> j.window() == null ? null : j.window().start())
        .filter(t -> t != null).min(Instant::compareTo).orElse(null);

    // 2-3. credential hunt and blast radius, one pass over the logs
    TenantMap tenants = in.tenants() != null ? in.tenants() : TenantMap.defaults();
    // the mirror is classified on another core while the logs are read (its problems are reported after theirs)
    List<String> mirrorProblems = new ArrayList<>();
    java.util.concurrent.FutureTask<Map<String, PersonalDataTally>> mirrorScan = null;
    if (in.mirror() != null) {
      mirrorScan = new java.util.concurrent.FutureTask<>(() -> scanMirror(in.mirror(), tenants, mirrorProblems));
      Thread scanner = new Thread(mirrorScan, "vigil-mirror-scan");
      scanner.setDaemon(true);
      scanner.start();
    }
    List<Alert> alerts = new ArrayList<>();
    IncidentTracker tracker = new IncidentTracker(tenants, u -> { });
    Hunt hunt = new Hunt(exposedKeys, exposureStart, tenants);
    long eventsRead = 0;
    long quarantined = 0;
    if (in.cloudTrail() == null || in.cloudTrail().isEmpty()) {
      notes.add("no CloudTrail logs given: whether the exposed keys were used, and what was read, is not established");
    } else {
      // repeats of a rule for one key and address within an hour are folded, as in `vigil detect`
      AlertSuppression folding = AlertSuppression.hourly();
      Consumer<Alert> sink = a -> {
        if (folding.admit(a)) {
          alerts.add(a);
          tracker.alert(a);
        }
      };
      IngestReport report = ReadAhead.read(new EventReader(dev.vigil.ingest.IngestLimits.DEFAULT,
          p -> problems.add("CloudTrail " + p), null), in.cloudTrail(), e -> {
            for (Detector d : detectors) {
              d.accept(e, sink);
            }
            tracker.observe(e);
            hunt.observe(e);
          });
      for (Detector d : detectors) {
        d.finish(sink);
      }
      tracker.finish();
      eventsRead = report.accepted();
      quarantined = report.quarantined();
      progress.accept("credential hunt: " + eventsRead + " events read, " + alerts.size() + " alert(s), "
          + tracker.incidents().size() + " incident(s)");
    }
    List<Incident> incidents = tracker.incidents();

    // the attacker's credentials and addresses, as the incidents established them
    Set<String> chainKeys = new LinkedHashSet<>(exposedKeys);
    Set<String> chainAddresses = new HashSet<>();
    for (Incident inc : incidents) {
      inc.credentials().forEach(c -> chainKeys.add(c.accessKeyId()));
      chainAddresses.addAll(inc.addresses());
    }
    List<KeyActivity> activity = hunt.activity(chainKeys, chainAddresses, exposedKeys);

    // 4. personal data in the objects read
    Map<String, PersonalDataTally> personal = new TreeMap<>();
    if (in.mirror() == null) {
      notes.add("no mirror of the objects read given: personal data and data subjects are not counted");
    } else {
      personal = awaitMirror(mirrorScan);
      problems.addAll(mirrorProblems);
      progress.accept("personal data: " + personal.values().stream().mapToLong(PersonalDataTally::objects).sum()
          + " mirrored object(s) classified");
    }

    List<TenantFindings> tenantFindings = tenantFindings(incidents, hunt, chainKeys, chainAddresses, personal,
        in.tenantContacts() == null ? Map.of() : in.tenantContacts());
    return new Findings(exposed, exposedSecrets, exposedKeys, exposureStart, activity, incidents, alerts,
        tenantFindings, hunt.iamChanges(chainKeys), eventsRead, quarantined, notes, problems);
  }

  private static List<TenantFindings> tenantFindings(List<Incident> incidents, Hunt hunt, Set<String> chainKeys,
      Set<String> chainAddresses,
      Map<String, PersonalDataTally> personal, Map<String, String> contacts) {
    Map<String, Incident.TenantImpact> reads = new TreeMap<>();
    for (Incident inc : incidents) {
      for (Incident.TenantImpact t : inc.tenants()) {
        reads.merge(t.tenant(), t, (a, b) -> new Incident.TenantImpact(a.tenant(), a.objectsRead() + b.objectsRead(),
            a.bytesRead() + b.bytesRead(), min(a.firstRead(), b.firstRead()), max(a.lastRead(), b.lastRead()),
            union(a.addresses(), b.addresses()), union(a.buckets(), b.buckets())));
      }
    }
    Set<String> names = new java.util.TreeSet<>(reads.keySet());
    names.addAll(hunt.writtenOrDeletedTenants(chainKeys, chainAddresses));
    List<TenantFindings> out = new ArrayList<>();
    for (String name : names) {
      Incident.TenantImpact r = reads.get(name);
      long[] wd = hunt.writesAndDeletes(chainKeys, chainAddresses, name);
      out.add(new TenantFindings(name, contacts.get(name), r == null ? 0 : r.objectsRead(),
          r == null ? 0 : r.bytesRead(), wd[0], wd[1], r == null ? null : r.firstRead(),
          r == null ? null : r.lastRead(), r == null ? List.of() : r.addresses(),
          personal.getOrDefault(name, new PersonalDataTally())));
    }
    return out;
  }

  private static Map<String, PersonalDataTally> awaitMirror(
      java.util.concurrent.FutureTask<Map<String, PersonalDataTally>> scan) throws IOException {
    try {
      return scan.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while classifying the mirror", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Classifies every file of the mirror ({@code mirror/<bucket>/<key>}) into its tenant's tally. */
  static Map<String, PersonalDataTally> scanMirror(Path mirror, TenantMap tenants, List<String> problems)
      throws IOException {
    Map<String, PersonalDataTally> out = new TreeMap<>();
    PersonalDataScanner scanner = new PersonalDataScanner();
    try (Stream<Path> files = Files.walk(mirror)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        Path rel = mirror.relativize(f);
        if (rel.getNameCount() < 2) {
          problems.add(f + ": not under mirror/<bucket>/<key>; skipped");
          continue;
        }
        String bucket = rel.getName(0).toString();
        String key = rel.subpath(1, rel.getNameCount()).toString().replace('\\', '/');
        String tenant = tenants.tenantOf(bucket, key);
        try {
          if (Files.size(f) > 64L << 20) {
            problems.add(f + ": larger than 64 MiB; not classified");
            continue;
          }
          scanner.scan(key, Files.readAllBytes(f), out.computeIfAbsent(tenant, t -> new PersonalDataTally()));
        } catch (IOException e) {
          problems.add(f + ": unreadable: " + e.getMessage());
        }
      }
    }
    return out;
  }

  /** Per-key counters collected while streaming, judged at the end once the chain is known. */
  private static final class Hunt {
    private final Set<String> exposedKeys;
    private final Instant exposureStart;
    private final TenantMap tenants;
    /** key -> address -> [events, first, last] after exposure start (bounded by distinct addresses per key). */
    private final Map<String, Map<String, long[]>> byKeyAndAddress = new HashMap<>();
    private final Map<String, Map<String, long[]>> writesDeletes = new HashMap<>();
    private final Map<String, List<IamChange>> iam = new HashMap<>();
    private final Map<String, String> createdBy = new LinkedHashMap<>();
    private static final int MAX_ADDRESSES_PER_KEY = 10_000;

    Hunt(Set<String> exposedKeys, Instant exposureStart, TenantMap tenants) {
      this.exposedKeys = exposedKeys;
      this.exposureStart = exposureStart;
      this.tenants = tenants;
    }

    void observe(AuditEvent e) {
      String key = e.actor().accessKeyId();
      if (key == null) {
        return;
      }
      if ("CreateAccessKey".equals(e.action()) && !e.failed()) {
        String created = e.text("responseElements.accessKey.accessKeyId");
        if (created != null) {
          createdBy.put(created, key);
        }
      }
      if (exposureStart == null || !e.time().isBefore(exposureStart)) {
        Map<String, long[]> addrs = byKeyAndAddress.computeIfAbsent(key, k -> new HashMap<>());
        String ip = String.valueOf(e.sourceIp());
        long[] c = addrs.get(ip);
        if (c == null && addrs.size() < MAX_ADDRESSES_PER_KEY) {
          addrs.put(ip, c = new long[] {0, e.time().toEpochMilli(), e.time().toEpochMilli()});
        }
        if (c != null) {
          c[0]++;
          c[1] = Math.min(c[1], e.time().toEpochMilli());
          c[2] = Math.max(c[2], e.time().toEpochMilli());
        }
      }
      if (e.failed()) {
        return;
      }
      if ("s3.amazonaws.com".equals(e.service()) && e.bucket() != null
          && (e.action().equals("PutObject") || e.action().equals("DeleteObject")
              || e.action().equals("DeleteObjects") || e.action().equals("CopyObject"))) {
        String tenant = tenants.tenantOf(e.bucket(), e.objectKey());
        // by key and address: an exposed key is shared with its owner, whose own writes are not the breach's
        long[] wd = writesDeletes.computeIfAbsent(key + '|' + e.sourceIp(), k -> new TreeMap<>())
            .computeIfAbsent(tenant, t -> new long[2]);
        wd[e.action().startsWith("Delete") ? 1 : 0]++;
      }
      if ("iam.amazonaws.com".equals(e.service()) && READ_PREFIXES.stream().noneMatch(e.action()::startsWith)) {
        List<IamChange> list = iam.computeIfAbsent(key, k -> new ArrayList<>());
        if (list.size() < MAX_IAM_CHANGES) {
          String target = e.text("requestParameters.userName");
          if (target == null) {
            target = e.text("requestParameters.roleName");
          }
          if (target == null) {
            target = e.text("requestParameters.policyArn");
          }
          list.add(new IamChange(e.time(), e.eventId(), e.action(), key, target));
        }
      }
    }

    List<KeyActivity> activity(Set<String> chainKeys, Set<String> chainAddresses, Set<String> exposed) {
      List<KeyActivity> out = new ArrayList<>();
      for (String key : chainKeys) {
        Map<String, long[]> addrs = byKeyAndAddress.getOrDefault(key, Map.of());
        long expected = 0;
        long suspicious = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        Set<String> bad = new java.util.TreeSet<>();
        boolean created = createdBy.containsKey(key) && !exposedKeys.contains(key);
        for (Map.Entry<String, long[]> a : addrs.entrySet()) {
          // a key the attacker created is theirs alone; an exposed key is shared with its owner, so only the
          // chain's addresses count against it
          if (created || chainAddresses.contains(a.getKey())) {
            suspicious += a.getValue()[0];
            first = Math.min(first, a.getValue()[1]);
            last = Math.max(last, a.getValue()[2]);
            bad.add(a.getKey());
          } else {
            expected += a.getValue()[0];
          }
        }
        String origin = exposed.contains(key) ? "exposed in CI"
            : createdBy.containsKey(key) ? "created by " + createdBy.get(key) : "named by detection";
        out.add(new KeyActivity(key, origin, expected, suspicious, suspicious == 0 ? null : Instant.ofEpochMilli(first),
            suspicious == 0 ? null : Instant.ofEpochMilli(last), bad));
      }
      return out;
    }

    List<IamChange> iamChanges(Set<String> chainKeys) {
      List<IamChange> out = new ArrayList<>();
      for (String k : chainKeys) {
        out.addAll(iam.getOrDefault(k, List.of()));
      }
      out.sort(java.util.Comparator.comparing(IamChange::time));
      return out;
    }

    /** Writes and deletes of the chain: any by a key the attacker created, by an exposed key from its addresses. */
    private List<Map<String, long[]>> chainWrites(Set<String> chainKeys, Set<String> chainAddresses) {
      List<Map<String, long[]>> out = new ArrayList<>();
      writesDeletes.forEach((keyAndAddress, byTenant) -> {
        int bar = keyAndAddress.indexOf('|');
        String key = keyAndAddress.substring(0, bar);
        boolean created = createdBy.containsKey(key) && !exposedKeys.contains(key);
        if (chainKeys.contains(key) && (created || chainAddresses.contains(keyAndAddress.substring(bar + 1)))) {
          out.add(byTenant);
        }
      });
      return out;
    }

    Set<String> writtenOrDeletedTenants(Set<String> chainKeys, Set<String> chainAddresses) {
      Set<String> out = new HashSet<>();
      chainWrites(chainKeys, chainAddresses).forEach(m -> out.addAll(m.keySet()));
      return out;
    }

    long[] writesAndDeletes(Set<String> chainKeys, Set<String> chainAddresses, String tenant) {
      long[] sum = new long[2];
      for (Map<String, long[]> byTenant : chainWrites(chainKeys, chainAddresses)) {
        long[] wd = byTenant.get(tenant);
        if (wd != null) {
          sum[0] += wd[0];
          sum[1] += wd[1];
        }
      }
      return sum;
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private static List<String> union(List<String> a, List<String> b) {
    Set<String> s = new LinkedHashSet<>(a);
    s.addAll(b);
    return List.copyOf(s);
  }
}
