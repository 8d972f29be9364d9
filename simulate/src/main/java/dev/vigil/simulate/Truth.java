package dev.vigil.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Collects the ground truth while events are written, then writes {@code truth.json}. */
final class Truth {
  private final World w;
  private final Attacker attacker;
  private final EcBreachSimulation.Options options;
  private final List<String> attackerIds = new ArrayList<>();
  private final TreeSet<String> attackerIps = new TreeSet<>();
  private final TreeSet<String> attackerAgents = new TreeSet<>();
  /** Lookup only (never iterated for output). */
  private final Map<String, Integer> tenantByBucket = new HashMap<>();
  private final long[] objects;
  private final long[] bytes;
  private final long[] mail;
  private final long[] firstRead;
  private final long[] lastRead;
  private final List<TreeSet<String>> readFrom = new ArrayList<>();
  private String firstId;
  private long firstTime;
  private String persistenceEventId;
  private String firstExfilId;
  private long firstExfil = -1;
  private long lastExfil = -1;
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;

  Truth(World w, Attacker attacker, EcBreachSimulation.Options options) {
    this.w = w;
    this.attacker = attacker;
    this.options = options;
    int n = w.tenants.size();
    for (int i = 0; i < n; i++) {
      tenantByBucket.put(w.tenants.get(i).bucket(), i);
      readFrom.add(new TreeSet<>());
    }
    objects = new long[n];
    bytes = new long[n];
    mail = new long[n];
    firstRead = new long[n];
    lastRead = new long[n];
  }

  void observe(SimEvent e) {
    minTime = Math.min(minTime, e.time);
    maxTime = Math.max(maxTime, e.time);
    if (!e.attacker) {
      return;
    }
    attackerIds.add(e.eventId);
    attackerIps.add(e.ip);
    attackerAgents.add(e.ua);
    if (firstId == null) {
      firstId = e.eventId;
      firstTime = e.time;
    }
    if (e.name.equals("CreateAccessKey")) {
      persistenceEventId = e.eventId;
    }
    if (e.name.equals("GetObject") && e.errorCode == null) {
      Integer i = tenantByBucket.get(e.bucket);
      if (i == null) {
        throw new IllegalStateException("attacker read a bucket that is no tenant's: " + e.bucket);
      }
      if (objects[i] == 0) {
        firstRead[i] = e.time;
      }
      lastRead[i] = e.time;
      objects[i]++;
      bytes[i] += e.bytesOut;
      if (e.objectKey.startsWith("mail/")) {
        mail[i]++;
      }
      readFrom.get(i).add(e.ip);
      if (firstExfilId == null) {
        firstExfilId = e.eventId;
        firstExfil = e.time;
      }
      lastExfil = e.time;
    }
  }

  long attackerEvents() {
    return attackerIds.size();
  }

  String firstAttackerEventId() {
    return firstId;
  }

  /** The mirror of what the attacker read, or null when none is written. */
  Mirror mirror;

  /** The investigation inputs written beside the logs, or null. */
  InvestigationInputs investigation;

  void write(Path file, long eventCount, long files, String exposureAddress, int runnerAddresses) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        JsonGenerator g = new JsonFactory().createGenerator(os)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("scenario", "ec-breach");
      g.writeStringField("description", "European Commission cloud breach (CERT-EU, 2026-04-03) as CloudTrail "
          + "would log it: a CI key stolen through the poisoned Trivy action, validated with TruffleHog, persisted "
          + "with a new access key on an existing IAM user, then reconnaissance and a bulk S3 download.");
      g.writeNumberField("seed", options.seed());
      g.writeNumberField("days", options.days());
      g.writeNumberField("background_events", options.backgroundEvents());
      g.writeNumberField("event_count", eventCount);
      g.writeNumberField("attacker_event_count", attackerIds.size());
      g.writeNumberField("files", files);
      g.writeStringField("account_id", World.ACCOUNT);
      g.writeObjectFieldStart("time_range");
      g.writeStringField("start", Times.isoStatic(w.start));
      g.writeStringField("end", Times.isoStatic(w.end));
      g.writeStringField("first_event", Times.isoStatic(minTime));
      g.writeStringField("last_event", Times.isoStatic(maxTime));
      g.writeEndObject();

      g.writeStringField("attack_start", Times.isoStatic(w.attackStart));
      g.writeStringField("first_attacker_event_id", firstId);
      g.writeStringField("first_attacker_event_time", Times.isoStatic(firstTime));
      g.writeStringField("stolen_key_id", w.ci.key());
      if (investigation != null) {
        investigation.truth(g); // issue 7: repository, run logs, secret and tenant maps
      }
      g.writeObjectFieldStart("ci_user");
      g.writeStringField("name", w.ci.name());
      g.writeStringField("arn", w.ci.identity().arn);
      g.writeStringField("access_key_id", w.ci.key());
      g.writeEndObject();
      g.writeObjectFieldStart("ci_exposure_run");
      g.writeStringField("time", Times.isoStatic(w.ciExposureRun));
      g.writeStringField("source_ip", exposureAddress);
      g.writeStringField("note", "the CI run that used the poisoned aquasecurity/trivy-action; the stealer took "
          + "the key from the runner");
      g.writeEndObject();
      g.writeStringField("persistence_key_id", w.persistenceKey);
      g.writeObjectFieldStart("persistence_user");
      g.writeStringField("name", w.persistenceUser.name());
      g.writeStringField("arn", w.persistenceUser.identity().arn);
      g.writeStringField("existing_key_id", w.persistenceUser.key());
      g.writeEndObject();
      g.writeStringField("persistence_event_id", persistenceEventId);
      strings(g, "attacker_ips", attackerIps);
      strings(g, "attacker_user_agents", attackerAgents);

      long totalObjects = 0;
      long totalBytes = 0;
      long totalMail = 0;
      for (int i = 0; i < objects.length; i++) {
        totalObjects += objects[i];
        totalBytes += bytes[i];
        totalMail += mail[i];
      }
      g.writeObjectFieldStart("exfiltration");
      g.writeNumberField("objects_read", totalObjects);
      g.writeNumberField("bytes_read", totalBytes);
      g.writeNumberField("mail_files_read", totalMail);
      g.writeNumberField("site_objects_read", totalObjects - totalMail);
      g.writeNumberField("tenants_read", countNonZero(objects));
      g.writeStringField("first_event_id", firstExfilId);
      g.writeStringField("first_time", firstExfil < 0 ? null : Times.isoStatic(firstExfil));
      g.writeStringField("last_time", lastExfil < 0 ? null : Times.isoStatic(lastExfil));
      g.writeEndObject();

      g.writeObjectFieldStart("tenants");
      for (int i = 0; i < w.tenants.size(); i++) {
        World.Tenant t = w.tenants.get(i);
        g.writeObjectFieldStart(t.name());
        g.writeNumberField("objects_read", objects[i]);
        g.writeNumberField("bytes_read", bytes[i]);
        g.writeNumberField("mail_files_read", mail[i]);
        g.writeNumberField("site_objects_read", objects[i] - mail[i]);
        if (mirror != null) {
          g.writeNumberField("messages", mirror.messages(i));
          g.writeNumberField("data_subjects", mirror.dataSubjects(i));
        }
        g.writeStringField("bucket", t.bucket());
        g.writeStringField("region", t.region());
        g.writeObjectFieldStart("prefixes");
        g.writeStringField("site", "site/");
        g.writeStringField("mail", "mail/outbound/");
        g.writeEndObject();
        g.writeStringField("kind", t.kind());
        g.writeStringField("contact", "webmaster@" + t.name() + ".europa.eu");
        if (objects[i] > 0) {
          g.writeStringField("first_read", Times.isoStatic(firstRead[i]));
          g.writeStringField("last_read", Times.isoStatic(lastRead[i]));
        }
        strings(g, "read_from", readFrom.get(i));
        g.writeEndObject();
      }
      g.writeEndObject();

      g.writeObjectFieldStart("benign");
      g.writeStringField("note", "facts about the ordinary world that detectors must not flag");
      strings(g, "ci_runner_networks", List.of(World.RUNNER_NETWORKS));
      g.writeNumberField("ci_runner_addresses", runnerAddresses);
      g.writeStringField("corporate_network", World.CORPORATE_NETWORK);
      strings(g, "aws_networks", List.of(World.AWS_HOME_NETWORKS));
      g.writeStringField("monitoring_vendor_network", World.VENDOR_NETWORK);
      g.writeStringField("backup_role_arn", w.backupRole.arn());
      g.writeStringField("backup_schedule", "nightly at about 01:20 UTC, reads every tenant's bucket");
      g.writeArrayFieldStart("sso_roles");
      for (World.Role r : List.of(w.ssoAdmin, w.ssoWebOps, w.ssoReadOnly)) {
        g.writeString(r.arn());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("people");
      for (World.Person p : w.people) {
        g.writeStartObject();
        g.writeStringField("session_name", p.email());
        g.writeStringField("role", p.role().name());
        g.writeStringField("active_from", Times.isoStatic(p.activeFrom()));
        g.writeBooleanField("new_employee", p.activeFrom() > w.start);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("iam_changes");
      change(g, w.archiverRotation, "key rotation by an administrator's SSO session", w.archiver.name(),
          w.archiverNewKey);
      change(g, w.analyticsCreated, "new automation user and key by an administrator's SSO session",
          w.analytics.name(), w.analytics.key());
      g.writeEndArray();
      g.writeArrayFieldStart("users");
      for (World.User u : List.of(w.ci, w.archiver, w.webstats, w.analytics)) {
        g.writeStartObject();
        g.writeStringField("name", u.name());
        g.writeStringField("access_key_id", u.key());
        g.writeEndObject();
      }
      for (World.User u : w.dormant) {
        g.writeStartObject();
        g.writeStringField("name", u.name());
        g.writeStringField("access_key_id", u.key());
        g.writeBooleanField("dormant", true);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();

      strings(g, "attacker_event_ids", attackerIds);
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  private void change(JsonGenerator g, long time, String what, String user, String key) throws IOException {
    if (time < w.start || time >= w.end - Times.HOUR) {
      return; // outside the simulated period: it did not happen
    }
    g.writeStartObject();
    g.writeStringField("time", Times.isoStatic(time));
    g.writeStringField("what", what);
    g.writeStringField("user", user);
    g.writeStringField("access_key_id", key);
    g.writeEndObject();
  }

  private static int countNonZero(long[] a) {
    int n = 0;
    for (long v : a) {
      if (v > 0) {
        n++;
      }
    }
    return n;
  }

  private static void strings(JsonGenerator g, String field, Iterable<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
