package dev.vigil.flink;

import dev.vigil.detect.Alert;
import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.EventReader;
import dev.vigil.intel.IocFeed;
import dev.vigil.simulate.EcBreachSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The simulated EC breach at test size, and what {@code vigil detect} finds in it. */
final class Breach {
  private Breach() {}

  /** 6 days, 3 tenants, the fewest background events the world needs: a few thousand events. */
  static EcBreachSimulation.Options options() {
    EcBreachSimulation.Options o = EcBreachSimulation.defaults().withDays(6).withTenants(3);
    return o.withBackgroundEvents(EcBreachSimulation.minimumBackgroundEvents(o) + 500);
  }

  private static List<AuditEvent> cached;
  private static Path directory;

  /** The dataset as files in the S3 delivery layout (written once per test JVM). */
  static synchronized Path directory() throws Exception {
    if (directory == null) {
      Path dir = Files.createTempDirectory("vigil-breach");
      EcBreachSimulation.write(dir, options(), (w, t) -> { });
      directory = dir;
    }
    return directory;
  }

  /** The dataset's events in the order {@code vigil detect} reads them. */
  static synchronized List<AuditEvent> events() throws Exception {
    if (cached == null) {
      List<AuditEvent> events = new ArrayList<>();
      new EventReader().read(List.of(directory()), events::add);
      cached = List.copyOf(events);
    }
    return cached;
  }

  /**
   * The same events in the order {@code vigil detect --order event-time} evaluates them ({@code EventTimeBuffer},
   * 15 minutes, as the job's default lateness): event-time order, equal times in their original order. The
   * simulation's delivery order has each account's records up to 5 minutes out of event-time order (as CloudTrail's
   * delivery files do), so none is late and this is the stable sort by event time (checked).
   */
  static List<AuditEvent> inEventTimeOrder(List<AuditEvent> events) {
    List<AuditEvent> ordered = new ArrayList<>(events.size());
    dev.vigil.ingest.EventTimeBuffer buffer =
        new dev.vigil.ingest.EventTimeBuffer(java.time.Duration.ofMinutes(15), ordered::add);
    events.forEach(buffer);
    buffer.flush();
    List<AuditEvent> sorted = new ArrayList<>(events);
    sorted.sort(java.util.Comparator.comparing(AuditEvent::time));
    if (buffer.late() != 0 || !ordered.equals(sorted)) {
      throw new IllegalStateException("the breach has events later than 15 minutes: " + buffer.late());
    }
    return ordered;
  }

  /** Incident changes as the tests compare them: uid, revision, alert count. */
  static List<String> updateSummaries(List<IncidentUpdate> updates) {
    List<String> s = new ArrayList<>();
    for (IncidentUpdate u : updates) {
      s.add(u.incident().uid() + " r" + u.incident().revision() + " alerts=" + u.incident().alertCount());
    }
    return s;
  }

  /** What one run produced: admitted alerts, streamed incident changes, final incidents. */
  record Run(List<Alert> alerts, List<IncidentUpdate> updates, List<Incident> incidents) {}

  /**
   * The detection of {@code vigil detect} (cli's DetectCommand.detectors() and DetectionRun): the bundled Sigma rules,
   * then the behavioural engine with default config and the bundled feed; every alert through the hourly folding,
   * then to the incident tracker; the tracker observes each event after its alerts; finish at the end.
   */
  static Run vigilDetect(List<AuditEvent> events) {
    List<Detector> detectors = List.of(SigmaRules.loadAll(List.of(), true, Map.of()).ruleSet(),
        BehaviourEngine.create(BehaviourConfig.defaults(), IocFeed.bundled()));
    AlertSuppression suppression = AlertSuppression.hourly();
    List<Alert> alerts = new ArrayList<>();
    List<IncidentUpdate> updates = new ArrayList<>();
    IncidentTracker tracker = new IncidentTracker(TenantMap.defaults(), updates::add);
    java.util.function.Consumer<Alert> sink = a -> {
      if (suppression.admit(a)) {
        alerts.add(a);
        tracker.alert(a);
      }
    };
    for (AuditEvent e : events) {
      for (Detector d : detectors) {
        d.accept(e, sink);
      }
      tracker.observe(e);
    }
    for (Detector d : detectors) {
      d.finish(sink);
    }
    tracker.finish();
    return new Run(alerts, updates, tracker.incidents());
  }

  /** An alert as the tests compare it: rule id, actor key, evidence event ids. */
  static String summary(Alert a) {
    List<String> ids = new ArrayList<>();
    a.events().forEach(e -> ids.add(e.eventId()));
    return a.ruleId() + " " + a.trigger().actor().key() + " " + ids;
  }

  /** Sorted summaries (duplicates kept). */
  static List<String> summaries(List<Alert> alerts) {
    List<String> s = new ArrayList<>();
    alerts.forEach(a -> s.add(summary(a)));
    s.sort(null);
    return s;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The same summary read back from an OCSF Detection Finding (actor key as AuditEvent.Actor#key). */
  static String summary(String finding) {
    try {
      var f = JSON.readTree(finding);
      var user = f.path("actor").path("user");
      String key = user.hasNonNull("credential_uid") && !user.get("credential_uid").asText().isEmpty()
          ? user.get("credential_uid").asText()
          : user.hasNonNull("uid") && !user.get("uid").asText().isEmpty() ? user.get("uid").asText()
          : f.path("actor").hasNonNull("app_name") ? f.path("actor").get("app_name").asText()
          : user.path("type").asText("null");
      List<String> ids = new ArrayList<>();
      f.path("finding_info").path("related_events").forEach(e -> ids.add(e.path("uid").asText()));
      return f.path("finding_info").path("analytic").path("uid").asText() + " " + key + " " + ids;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> findingSummaries(List<String> findings) {
    List<String> s = new ArrayList<>();
    findings.forEach(f -> s.add(summary(f)));
    s.sort(null);
    return s;
  }

  /** One hand-made CloudTrail event of IAM user {@code user} (long-term key) in account 111122223333. */
  static AuditEvent event(java.time.Instant time, String user, String action, String source, String address) {
    return event(time, user, action, source, address, "{}");
  }

  /** As above, with the given {@code requestParameters} (a JSON object). */
  static AuditEvent event(java.time.Instant time, String user, String action, String source, String address,
      String requestParameters) {
    String key = "AKIA" + String.format("%16s", user.toUpperCase(java.util.Locale.ROOT)).replace(' ', 'X');
    String json = "{\"eventVersion\":\"1.08\",\"eventTime\":\"" + time + "\",\"eventSource\":\"" + source
        + "\",\"eventName\":\"" + action + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"" + address
        + "\",\"userAgent\":\"aws-cli/2.15.0\",\"eventID\":\"" + java.util.UUID.nameUUIDFromBytes((time + user + action)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\",\"recipientAccountId\":\"111122223333\","
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/" + user
        + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"" + key + "\",\"userName\":\"" + user + "\"},\"requestParameters\":" + requestParameters + "}";
    try {
      return dev.vigil.ingest.CloudTrailNormalizer.normalize(JSON.readTree(json), new AuditEvent.Origin("test", 0));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A job environment that recovers from an injected failure: up to 3 restarts 100 ms apart, a checkpoint every 50 ms,
   * parallelism 2 (two subtasks hold keyed state). {@code conf} adds to it (a state backend, checkpoint storage).
   */
  static org.apache.flink.streaming.api.environment.StreamExecutionEnvironment recoveringEnvironment(
      org.apache.flink.configuration.Configuration conf) {
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "3");
    conf.setString("restart-strategy.fixed-delay.delay", "100 ms");
    var env = org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(50);
    return env;
  }

  /** What the full job wrote, as the tests compare it: alert summaries ({@link #summary(String)}), incident changes. */
  record JobOutput(List<String> alerts, List<String> incidents) {}

  /**
   * Runs the job wired on the stream environment and collects its alerts and incident changes (OCSF Incident
   * Findings, class 2005: uid, revision, alert count, as {@link #updateSummaries}).
   */
  static JobOutput collect(org.apache.flink.streaming.api.datastream.DataStream<String> alerts,
      org.apache.flink.streaming.api.datastream.DataStream<String> incidents) throws Exception {
    List<String> alertFindings = new ArrayList<>();
    List<String> incidentChanges = new ArrayList<>();
    try (var it = alerts.union(incidents).executeAndCollect()) {
      while (it.hasNext()) {
        String f = it.next();
        var n = JSON.readTree(f);
        if (n.path("class_uid").asInt() == 2005) {
          incidentChanges.add(n.path("metadata").path("uid").asText() + " r"
              + n.path("metadata").path("sequence").asInt() + " alerts=" + n.path("count").asLong());
        } else {
          alertFindings.add(f);
        }
      }
    }
    return new JobOutput(findingSummaries(alertFindings), incidentChanges);
  }
}
