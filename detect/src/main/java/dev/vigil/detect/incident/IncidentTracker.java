package dev.vigil.detect.incident;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.detect.Severity;
import dev.vigil.detect.incident.Incident.AlertRef;
import dev.vigil.detect.incident.Incident.Credential;
import dev.vigil.detect.incident.Incident.Evidence;
import dev.vigil.detect.incident.Incident.Role;
import dev.vigil.detect.incident.Incident.Stage;
import dev.vigil.detect.incident.Incident.TenantImpact;
import dev.vigil.ingest.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Correlates alerts into one incident per attacker chain and follows what the chain does.
 *
 * <p>An incident is a set of credentials (the key an alert was about, the keys and sessions that key created)
 * and of addresses. An alert joins the incident that holds any of its evidence events' credentials, any
 * credential it says was created ({@code details.created_access_key_id}, or the response of a CreateAccessKey /
 * AssumeRole / GetSessionToken evidence event) or the address of its trigger event; an alert that touches two
 * incidents merges them into the older one. An alert that touches none opens a new incident.
 *
 * <p>It is also fed every event ({@link #observe}), because impact is measured on all calls of the chain's
 * credentials, not only the alerted ones: S3 reads per tenant, and keys or sessions the chain creates without
 * any alert. A credential that existed before the incident (a stolen key) still belongs to its owner too, so only
 * its calls from the chain's addresses count; credentials the chain created count in full.
 *
 * <p>Call order per event: first {@link #alert} for the alerts the detectors raised on it, then {@link #observe}.
 * State is bounded by {@link Limits}. Not thread-safe.
 */
public final class IncidentTracker implements Detector {

  /** Bounds on the tracker's memory. */
  public record Limits(int incidents, int alertsPerIncident, int evidencePerIncident, int evidenceIdsPerIncident,
      int credentialsPerIncident, int addressesPerIncident, int tenantsPerIncident, int countedReadsPerIncident) {
    public static Limits defaults() {
      return new Limits(10_000, 1_000, 2_000, 200_000, 1_000, 1_000, 10_000, 2_000_000);
    }
  }

  /** Evidence event ids an {@link AlertRef} keeps (the alert itself, in alerts.jsonl, has them all). */
  public static final int MAX_EVENT_IDS_PER_ALERT = 100;
  private static final int MAX_USER_AGENTS = 32;
  private static final int MAX_RULES = 500;
  private static final int MAX_RULE_ACTORS = 10;
  private static final int MAX_IMPACT_ADDRESSES = 64;

  private final TenantMap tenants;
  private final Limits limits;
  private final Consumer<IncidentUpdate> updates;
  private final Map<String, State> byCredential = new HashMap<>();
  private final Map<String, State> byAddress = new HashMap<>();
  // insertion order = opening order; eviction takes the least recently changed
  private final LinkedHashMap<String, State> incidents = new LinkedHashMap<>();
  private long evicted;
  private long merged;
  private long openCounter;

  public IncidentTracker(TenantMap tenants, Consumer<IncidentUpdate> updates) {
    this(tenants, Limits.defaults(), updates);
  }

  public IncidentTracker(TenantMap tenants, Limits limits, Consumer<IncidentUpdate> updates) {
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.updates = Objects.requireNonNull(updates, "updates");
  }

  /** Every event, after the alerts raised on it: counts the chain's impact. Emits no alerts. */
  @Override
  public void accept(AuditEvent event, Consumer<Alert> alerts) {
    observe(event);
  }

  /** Emits a last update for every incident whose figures changed since its last update. */
  @Override
  public void finish(Consumer<Alert> alerts) {
    finish();
  }

  public void finish() {
    for (State s : incidents.values()) {
      if (s.changedSinceEmit) {
        emit(s, IncidentUpdate.Kind.UPDATED, "final figures", null);
      }
    }
  }

  /** Current snapshots of every incident still held, in opening order. */
  public List<Incident> incidents() {
    return incidents.values().stream().map(State::snapshot).toList();
  }

  /**
   * Whether {@link #observe} can change anything: it only updates chains of credentials already followed. Stream
   * processors that save the tracker only when it changed use it.
   */
  public boolean followsCredentials() {
    return !byCredential.isEmpty();
  }

  /** Incidents dropped because {@link Limits#incidents()} was reached. */
  public long evicted() {
    return evicted;
  }

  /** Incidents absorbed by an older one. */
  public long merged() {
    return merged;
  }

  // ---------------------------------------------------------------- alerts

  /** Adds an alert to the incident of its chain, opening, growing or merging incidents. */
  public void alert(Alert alert) {
    Set<String> credentials = new LinkedHashSet<>();
    Set<String> addresses = new LinkedHashSet<>();
    List<Created> created = new ArrayList<>();
    for (AuditEvent e : alert.events()) {
      String c = credentialOf(e);
      if (c != null) {
        credentials.add(c);
      }
      Created made = createdBy(e);
      if (made != null) {
        created.add(made);
      }
    }
    // The address that links and joins is the trigger's: the event that completed the match is the suspicious
    // one, while earlier evidence of a shared (stolen) key may be its owner's ordinary use from elsewhere.
    if (isAddress(alert.trigger().sourceIp())) {
      addresses.add(alert.trigger().sourceIp());
    }
    for (String key : createdKeyDetails(alert)) {
      if (created.stream().noneMatch(c -> c.accessKeyId().equals(key))) {
        AuditEvent t = alert.trigger();
        created.add(new Created(key, key.startsWith("ASIA") ? Role.SESSION : Role.CREATED,
            t.text("requestParameters.userName"), credentialOf(t), t.time(), t.eventId()));
      }
    }

    // which incidents does it touch?
    Set<State> touched = new LinkedHashSet<>();
    for (String c : credentials) {
      addIfPresent(touched, byCredential.get(c));
    }
    for (Created c : created) {
      addIfPresent(touched, byCredential.get(c.accessKeyId()));
    }
    for (String a : addresses) {
      addIfPresent(touched, byAddress.get(a));
    }

    State s;
    String reason;
    boolean opened = touched.isEmpty();
    if (opened) {
      if (incidents.size() >= limits.incidents()) {
        evictLeastRecent();
      }
      s = new State(incidentUid(alert));
      incidents.put(s.uid, s);
      reason = "opened by " + alert.title() + " [" + alert.ruleId() + "]";
    } else {
      List<State> ordered = new ArrayList<>(touched);
      ordered.sort(Comparator.comparing((State x) -> x.openedSeq));
      s = ordered.get(0);
      reason = alert.title() + " [" + alert.ruleId() + "]";
      for (State other : ordered.subList(1, ordered.size())) {
        absorb(s, other);
      }
    }
    String before = s.signature();
    s.addAlert(alert);
    for (String c : credentials) {
      join(s, c, Role.COMPROMISED, principalOf(alert, c), null, alert.trigger().time(), alert.trigger().eventId());
    }
    for (Created c : created) {
      join(s, c.accessKeyId(), c.role(), c.principal(), c.createdBy(), c.time(), c.eventId());
    }
    for (String a : addresses) {
      addAddress(s, a);
    }
    for (AuditEvent e : alert.events()) { // credentials the chain owns: all their addresses are the chain's
      CredentialState cred = s.credentials.get(credentialOf(e));
      if (cred != null && cred.role != Role.COMPROMISED && isAddress(e.sourceIp())) {
        addAddress(s, e.sourceIp());
      }
    }
    // evidence events that were not counted when they went by (their credential was not in the chain yet)
    for (AuditEvent e : alert.events()) {
      if (attributed(s, e)) {
        countRead(s, e);
      }
    }
    touch(s);
    if (opened) {
      emit(s, IncidentUpdate.Kind.OPENED, reason, null);
    } else if (!before.equals(s.signature())) {
      emit(s, IncidentUpdate.Kind.UPDATED, reason, null);
    } else {
      s.changedSinceEmit = true;
    }
  }

  private static void addIfPresent(Set<State> set, State s) {
    if (s != null) {
      set.add(s);
    }
  }

  private static String principalOf(Alert alert, String credential) {
    for (AuditEvent e : alert.events()) {
      if (credential.equals(credentialOf(e))) {
        return e.actor().principalArn();
      }
    }
    return null;
  }

  /** The created key ids an alert names in {@code details.created_access_key_id} (a string or a list). */
  static List<String> createdKeyDetails(Alert alert) {
    Object v = alert.details().get("created_access_key_id");
    List<String> out = new ArrayList<>();
    if (v instanceof String s && !s.isBlank()) {
      out.add(s);
    } else if (v instanceof Collection<?> c) {
      for (Object o : c) {
        if (o != null && !String.valueOf(o).isBlank()) {
          out.add(String.valueOf(o));
        }
      }
    }
    return out;
  }

  /** A stable id: the same first alert always opens the same incident uid. */
  static String incidentUid(Alert first) {
    return UUID.nameUUIDFromBytes(("incident|" + OcsfFindings.alertUid(first)).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  // ---------------------------------------------------------------- events

  /** Looks at one event: if it belongs to a chain, counts its impact and follows credentials it creates. */
  public void observe(AuditEvent e) {
    String c = credentialOf(e);
    if (c == null) {
      return;
    }
    State s = byCredential.get(c);
    if (s == null || !attributed(s, e)) {
      return;
    }
    s.eventsObserved++;
    s.changedSinceEmit = true;
    s.seen(e.time());
    CredentialState cred = s.credentials.get(c);
    if (cred.role != Role.COMPROMISED && isAddress(e.sourceIp()) && !s.addresses.contains(e.sourceIp())) {
      addAddress(s, e.sourceIp());
      s.changedSinceEmit = true;
    }
    Created made = createdBy(e);
    if (made != null && !s.credentials.containsKey(made.accessKeyId())) {
      join(s, made.accessKeyId(), made.role(), made.principal(), made.createdBy(), made.time(), made.eventId());
      emit(s, IncidentUpdate.Kind.UPDATED, "new " + (made.role() == Role.SESSION ? "session " : "access key ")
          + made.accessKeyId() + " created by " + c, null);
    }
    String newTenant = countRead(s, e);
    if (newTenant != null) {
      touch(s);
      emit(s, IncidentUpdate.Kind.UPDATED, "first read from tenant " + newTenant, null);
    }
  }

  /** Whether an event of one of the chain's credentials is the chain's doing (see the class comment). */
  private static boolean attributed(State s, AuditEvent e) {
    String c = credentialOf(e);
    if (c == null) {
      return false;
    }
    CredentialState cred = s.credentials.get(c);
    if (cred == null) {
      return false;
    }
    return cred.role != Role.COMPROMISED || (e.sourceIp() != null && s.addresses.contains(e.sourceIp()));
  }

  /** Counts a successful GetObject toward the tenant's impact, once per event id; returns a newly read tenant. */
  private String countRead(State s, AuditEvent e) {
    if (!"GetObject".equals(e.action()) || e.errorCode() != null || !"s3.amazonaws.com".equals(e.service())) {
      return null;
    }
    if (s.countedReads.size() < limits.countedReadsPerIncident()) {
      if (!s.countedReads.add(e.eventId())) {
        return null;
      }
    } else {
      s.truncated = true; // beyond the bound, reads are counted without de-duplication
    }
    String bucket = e.bucket();
    String tenant = tenants.tenantOf(bucket, e.objectKey());
    if (tenant == null) {
      tenant = "(unknown bucket)";
    }
    ImpactState impact = s.tenants.get(tenant);
    boolean isNew = false;
    if (impact == null) {
      if (s.tenants.size() >= limits.tenantsPerIncident()) {
        s.truncated = true;
        tenant = "(other tenants)";
        impact = s.tenants.computeIfAbsent(tenant, t -> new ImpactState());
      } else {
        impact = new ImpactState();
        s.tenants.put(tenant, impact);
        isNew = true;
      }
    }
    impact.objects++;
    impact.bytes += e.bytesOut();
    impact.first = impact.first == null || e.time().isBefore(impact.first) ? e.time() : impact.first;
    impact.last = impact.last == null || e.time().isAfter(impact.last) ? e.time() : impact.last;
    if (e.sourceIp() != null && impact.addresses.size() < MAX_IMPACT_ADDRESSES) {
      impact.addresses.add(e.sourceIp());
    }
    if (bucket != null && impact.buckets.size() < MAX_IMPACT_ADDRESSES) {
      impact.buckets.add(bucket);
    }
    s.objectsRead++;
    s.bytesRead += e.bytesOut();
    s.changedSinceEmit = true;
    return isNew ? tenant : null;
  }

  // ---------------------------------------------------------------- credentials and addresses

  /** The credential an event was made with: its access key id, else its principal ARN. */
  static String credentialOf(AuditEvent e) {
    String key = e.actor().accessKeyId();
    if (key != null && !key.isEmpty()) {
      return key;
    }
    String arn = e.actor().principalArn();
    return arn != null && !arn.isEmpty() ? arn : null;
  }

  /** True for an IP address literal (not a service name such as {@code s3.amazonaws.com} or "AWS Internal"). */
  static boolean isAddress(String ip) {
    if (ip == null || ip.isEmpty() || ip.length() > 45) {
      return false;
    }
    boolean colon = ip.indexOf(':') >= 0;
    for (int i = 0; i < ip.length(); i++) {
      char ch = ip.charAt(i);
      boolean ok = (ch >= '0' && ch <= '9') || ch == '.' || (colon && (ch == ':' || (ch >= 'a' && ch <= 'f')
          || (ch >= 'A' && ch <= 'F')));
      if (!ok) {
        return false;
      }
    }
    return colon || ip.chars().filter(ch -> ch == '.').count() == 3;
  }

  /** A credential an event created, from its response: CreateAccessKey, AssumeRole*, GetSessionToken... */
  record Created(String accessKeyId, Role role, String principal, String createdBy, Instant time, String eventId) {}

  static Created createdBy(AuditEvent e) {
    String action = e.action();
    if (action == null || e.errorCode() != null) {
      return null;
    }
    switch (action) {
      case "CreateAccessKey": {
        String id = e.text("responseElements.accessKey.accessKeyId");
        if (id == null) {
          return null;
        }
        String user = e.text("responseElements.accessKey.userName");
        return new Created(id, Role.CREATED, user != null ? user : e.text("requestParameters.userName"),
            credentialOf(e), e.time(), e.eventId());
      }
      case "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetSessionToken",
          "GetFederationToken": {
        String id = e.text("responseElements.credentials.accessKeyId");
        if (id == null) {
          return null;
        }
        String who = e.text("responseElements.assumedRoleUser.arn");
        if (who == null) {
          who = e.text("responseElements.federatedUser.arn");
        }
        return new Created(id, Role.SESSION, who != null ? who : e.actor().principalArn(), credentialOf(e),
            e.time(), e.eventId());
      }
      default:
        return null;
    }
  }

  private void join(State s, String credential, Role role, String principal, String createdBy, Instant at,
      String eventId) {
    CredentialState existing = s.credentials.get(credential);
    if (existing != null) {
      // a credential first seen as "compromised" that the chain turns out to have created is the chain's own
      if (existing.role == Role.COMPROMISED && role != Role.COMPROMISED) {
        existing.role = role;
        existing.createdBy = createdBy;
        existing.principal = existing.principal != null ? existing.principal : principal;
      }
      return;
    }
    if (s.credentials.size() >= limits.credentialsPerIncident()) {
      s.truncated = true;
      return;
    }
    State other = byCredential.get(credential);
    if (other != null && other != s) {
      absorb(s, other);
      if (s.credentials.containsKey(credential)) {
        join(s, credential, role, principal, createdBy, at, eventId);
        return;
      }
    }
    CredentialState c = new CredentialState(credential, role, principal, createdBy, at, eventId);
    s.credentials.put(credential, c);
    byCredential.put(credential, s);
  }

  private void addAddress(State s, String address) {
    if (s.addresses.contains(address)) {
      return;
    }
    if (s.addresses.size() >= limits.addressesPerIncident()) {
      s.truncated = true;
      return;
    }
    State other = byAddress.get(address);
    if (other != null && other != s) {
      absorb(s, other);
    }
    s.addresses.add(address);
    byAddress.put(address, s);
  }

  // ---------------------------------------------------------------- merging, eviction, emission

  /** Moves everything of {@code other} into {@code into} and retires {@code other}. */
  private void absorb(State into, State other) {
    if (into == other || !incidents.containsKey(other.uid)) {
      return;
    }
    incidents.remove(other.uid);
    merged++;
    for (CredentialState c : other.credentials.values()) {
      if (!into.credentials.containsKey(c.id)) {
        into.credentials.put(c.id, c);
      }
      byCredential.put(c.id, into);
    }
    for (String a : other.addresses) {
      into.addresses.add(a);
      byAddress.put(a, into);
    }
    into.mergeFrom(other, limits);
    emit(other, IncidentUpdate.Kind.MERGED, "merged into " + into.uid, into.uid);
    into.changedSinceEmit = true;
  }

  private void evictLeastRecent() {
    State oldest = null;
    for (State s : incidents.values()) {
      if (oldest == null || s.touchedSeq < oldest.touchedSeq) {
        oldest = s;
      }
    }
    if (oldest == null) {
      return;
    }
    incidents.remove(oldest.uid);
    for (String c : oldest.credentials.keySet()) {
      byCredential.remove(c, oldest);
    }
    for (String a : oldest.addresses) {
      byAddress.remove(a, oldest);
    }
    evicted++;
    emit(oldest, IncidentUpdate.Kind.EVICTED, "dropped from memory: more than " + limits.incidents()
        + " open incidents", null);
  }

  private long clock;

  private void touch(State s) {
    s.touchedSeq = ++clock;
  }

  /** Alerts an OPENED or UPDATED change carries: the newest ones (see {@link Incident#compact}). */
  public static final int UPDATE_ALERTS = 10;

  /**
   * OPENED and UPDATED changes carry a light snapshot ({@link Incident#compact}: newest alerts, no evidence list),
   * since they come often and the evidence can be large; MERGED and EVICTED carry the full last state, and
   * {@link #incidents()} always gives full snapshots.
   */
  private void emit(State s, IncidentUpdate.Kind kind, String reason, String mergedInto) {
    s.revision++;
    s.changedSinceEmit = false;
    boolean full = kind == IncidentUpdate.Kind.MERGED || kind == IncidentUpdate.Kind.EVICTED;
    updates.accept(new IncidentUpdate(kind, full ? s.snapshot() : s.lightSnapshot(), reason, mergedInto));
  }

  // ---------------------------------------------------------------- state

  private static final class CredentialState {
    final String id;
    Role role;
    String principal;
    String createdBy;
    final Instant at;
    final String eventId;

    CredentialState(String id, Role role, String principal, String createdBy, Instant at, String eventId) {
      this.id = id;
      this.role = role;
      this.principal = principal;
      this.createdBy = createdBy;
      this.at = at;
      this.eventId = eventId;
    }

    Credential snapshot() {
      return new Credential(id, role, principal, createdBy, at, eventId);
    }
  }

  private static final class StageState {
    Instant first;
    Instant last;
    long alerts;
    final Set<String> techniques = new TreeSet<>();
    final Set<String> rules = new LinkedHashSet<>();
  }

  private static final class RuleState {
    final String ruleId;
    final String title;
    Severity severity;
    final String source;
    final Set<String> tactics = new LinkedHashSet<>();
    final Set<String> techniques = new LinkedHashSet<>();
    Instant first;
    Instant last;
    long alerts;
    final String explanation;
    final Set<String> actors = new LinkedHashSet<>();
    final Set<String> addresses = new LinkedHashSet<>();

    RuleState(Alert a) {
      ruleId = a.ruleId();
      title = a.title();
      severity = a.severity();
      source = a.source();
      explanation = a.explanation();
    }

    void add(Alert a) {
      alerts++;
      first = first == null || a.time().isBefore(first) ? a.time() : first;
      last = last == null || a.time().isAfter(last) ? a.time() : last;
      severity = a.severity().compareTo(severity) > 0 ? a.severity() : severity;
      tactics.addAll(a.tactics());
      techniques.addAll(a.techniques());
      AuditEvent t = a.trigger();
      if (actors.size() < MAX_RULE_ACTORS) {
        actors.add(t.actor().key());
      }
      if (t.sourceIp() != null && addresses.size() < MAX_RULE_ACTORS) {
        addresses.add(t.sourceIp());
      }
    }

    void merge(RuleState o) {
      alerts += o.alerts;
      first = o.first.isBefore(first) ? o.first : first;
      last = o.last.isAfter(last) ? o.last : last;
      severity = o.severity.compareTo(severity) > 0 ? o.severity : severity;
      tactics.addAll(o.tactics);
      techniques.addAll(o.techniques);
      for (String x : o.actors) {
        if (actors.size() < MAX_RULE_ACTORS) {
          actors.add(x);
        }
      }
      for (String x : o.addresses) {
        if (addresses.size() < MAX_RULE_ACTORS) {
          addresses.add(x);
        }
      }
    }

    Incident.RuleHits snapshot() {
      return new Incident.RuleHits(ruleId, title, severity, source, List.copyOf(tactics), List.copyOf(techniques),
          first, last, alerts, explanation, List.copyOf(actors), List.copyOf(addresses));
    }
  }

  private static final class ImpactState {
    long objects;
    long bytes;
    Instant first;
    Instant last;
    final Set<String> addresses = new LinkedHashSet<>();
    final Set<String> buckets = new TreeSet<>();
  }

  private final class State {
    final String uid;
    final long openedSeq = ++openCounter;
    long touchedSeq;
    int revision;
    boolean changedSinceEmit;
    boolean truncated;
    final Map<String, CredentialState> credentials = new LinkedHashMap<>();
    final Set<String> addresses = new LinkedHashSet<>();
    final Set<String> principals = new LinkedHashSet<>();
    final Set<String> userAgents = new LinkedHashSet<>();
    final EnumMap<Tactic, StageState> stages = new EnumMap<>(Tactic.class);
    final List<AlertRef> alerts = new ArrayList<>();
    final LinkedHashMap<String, RuleState> rules = new LinkedHashMap<>();
    long alertCount;
    Severity maxAlertSeverity = Severity.INFORMATIONAL;
    int escalations;
    final LinkedHashMap<String, EvidenceState> evidence = new LinkedHashMap<>();
    final Set<String> evidenceIds = new LinkedHashSet<>();
    long evidenceCount;
    final Map<String, ImpactState> tenants = new HashMap<>();
    final Set<String> countedReads = new HashSet<>();
    long objectsRead;
    long bytesRead;
    long eventsObserved;
    Instant firstSeen;
    Instant lastSeen;

    State(String uid) {
      this.uid = uid;
    }

    void seen(Instant t) {
      firstSeen = firstSeen == null || t.isBefore(firstSeen) ? t : firstSeen;
      lastSeen = lastSeen == null || t.isAfter(lastSeen) ? t : lastSeen;
    }

    void addAlert(Alert a) {
      alertCount++;
      if (a.severity().compareTo(maxAlertSeverity) > 0) {
        maxAlertSeverity = a.severity();
      }
      RuleState rule = rules.get(a.ruleId());
      if (rule == null && rules.size() < MAX_RULES) {
        rule = new RuleState(a);
        rules.put(a.ruleId(), rule);
      }
      if (rule != null) {
        rule.add(a);
      } else {
        truncated = true;
      }
      List<String> ids = new ArrayList<>(Math.min(a.events().size(), MAX_EVENT_IDS_PER_ALERT));
      for (AuditEvent e : a.events()) {
        if (ids.size() < MAX_EVENT_IDS_PER_ALERT) {
          ids.add(e.eventId());
        }
        seen(e.time());
        if (evidenceIds.contains(e.eventId())) {
          EvidenceState ev = evidence.get(e.eventId());
          if (ev != null) {
            ev.rules.add(a.ruleId());
          }
          continue;
        }
        evidenceCount++;
        if (evidenceIds.size() < limits.evidenceIdsPerIncident()) {
          evidenceIds.add(e.eventId());
        } else {
          truncated = true;
        }
        if (evidence.size() < limits.evidencePerIncident()) {
          evidence.put(e.eventId(), new EvidenceState(e, a.ruleId()));
        } else {
          truncated = true;
        }
        if (e.actor().principalArn() != null) {
          principals.add(e.actor().principalArn());
        }
        if (e.userAgent() != null && userAgents.size() < MAX_USER_AGENTS) {
          userAgents.add(e.userAgent());
        }
      }
      List<Tactic> tactics = tacticsOf(a);
      if (!stages.isEmpty() && !stages.keySet().containsAll(tactics)) {
        escalations++; // this alert took the chain to a stage it had not reached
      }
      for (Tactic t : tactics) {
        StageState st = stages.computeIfAbsent(t, x -> new StageState());
        st.first = st.first == null || a.time().isBefore(st.first) ? a.time() : st.first;
        st.last = st.last == null || a.time().isAfter(st.last) ? a.time() : st.last;
        st.alerts++;
        for (String tech : a.techniques()) {
          Tactic of = Tactic.ofTechnique(tech);
          if (of == null || of == t || a.tactics().size() > 0) {
            st.techniques.add(tech);
          }
        }
        st.rules.add(a.ruleId());
      }
      if (alerts.size() < limits.alertsPerIncident()) {
        AuditEvent t = a.trigger();
        alerts.add(new AlertRef(OcsfFindings.alertUid(a), a.ruleId(), a.title(), a.severity(), a.source(), a.time(),
            a.tactics(), a.techniques(), a.explanation(), t.actor().key(), t.sourceIp(), ids, a.events().size()));
      } else {
        truncated = true;
      }
    }

    void mergeFrom(State o, Limits limits) {
      boolean newStage = !stages.keySet().containsAll(o.stages.keySet());
      escalations += o.escalations + (newStage && !stages.isEmpty() ? 1 : 0);
      principals.addAll(o.principals);
      for (String ua : o.userAgents) {
        if (userAgents.size() < MAX_USER_AGENTS) {
          userAgents.add(ua);
        }
      }
      o.stages.forEach((t, st) -> {
        StageState mine = stages.get(t);
        if (mine == null) {
          stages.put(t, st);
        } else {
          mine.first = st.first.isBefore(mine.first) ? st.first : mine.first;
          mine.last = st.last.isAfter(mine.last) ? st.last : mine.last;
          mine.alerts += st.alerts;
          mine.techniques.addAll(st.techniques);
          mine.rules.addAll(st.rules);
        }
      });
      for (AlertRef r : o.alerts) {
        if (alerts.size() < limits.alertsPerIncident()) {
          alerts.add(r);
        } else {
          truncated = true;
        }
      }
      alerts.sort(Comparator.comparing(AlertRef::time));
      o.rules.forEach((id, r) -> {
        RuleState mine = rules.get(id);
        if (mine != null) {
          mine.merge(r);
        } else if (rules.size() < MAX_RULES) {
          rules.put(id, r);
        }
      });
      alertCount += o.alertCount;
      if (o.maxAlertSeverity.compareTo(maxAlertSeverity) > 0) {
        maxAlertSeverity = o.maxAlertSeverity;
      }
      for (Map.Entry<String, EvidenceState> e : o.evidence.entrySet()) {
        EvidenceState mine = evidence.get(e.getKey());
        if (mine != null) {
          mine.rules.addAll(e.getValue().rules);
        } else if (evidence.size() < limits.evidencePerIncident()) {
          evidence.put(e.getKey(), e.getValue());
        }
      }
      for (String id : o.evidenceIds) {
        if (evidenceIds.contains(id)) {
          evidenceCount--; // counted by both
        } else if (evidenceIds.size() < limits.evidenceIdsPerIncident()) {
          evidenceIds.add(id);
        }
      }
      evidenceCount += o.evidenceCount;
      o.tenants.forEach((name, imp) -> {
        ImpactState mine = tenants.get(name);
        if (mine == null) {
          tenants.put(name, imp);
        } else {
          mine.objects += imp.objects;
          mine.bytes += imp.bytes;
          mine.first = imp.first.isBefore(mine.first) ? imp.first : mine.first;
          mine.last = imp.last.isAfter(mine.last) ? imp.last : mine.last;
          mine.addresses.addAll(imp.addresses);
          mine.buckets.addAll(imp.buckets);
        }
      });
      countedReads.addAll(o.countedReads);
      objectsRead += o.objectsRead;
      bytesRead += o.bytesRead;
      eventsObserved += o.eventsObserved;
      if (o.firstSeen != null) {
        seen(o.firstSeen);
        seen(o.lastSeen);
      }
      truncated |= o.truncated;
    }

    /** What decides whether a change is worth an update event. */
    String signature() {
      return severity() + "|" + stages.keySet() + "|" + credentials.size() + "|" + addresses.size() + "|"
          + tenants.size();
    }

    /**
     * The highest alert severity, raised once per alert that took the chain to a new stage (one alert tagged with
     * two tactics is one step); Critical once data is taken after access was gained.
     */
    Severity severity() {
      Severity s = maxAlertSeverity;
      for (int i = 0; i < escalations; i++) {
        s = s.raise();
      }
      boolean took = stages.containsKey(Tactic.EXFILTRATION) || stages.containsKey(Tactic.IMPACT);
      boolean held = stages.containsKey(Tactic.PERSISTENCE) || stages.containsKey(Tactic.INITIAL_ACCESS)
          || stages.containsKey(Tactic.CREDENTIAL_ACCESS) || stages.containsKey(Tactic.PRIVILEGE_ESCALATION);
      return took && held ? Severity.CRITICAL : s;
    }

    List<Stage> killChain() {
      List<Stage> out = new ArrayList<>();
      stages.forEach((t, st) -> out.add(new Stage(t, st.first, st.last, st.alerts, List.copyOf(st.techniques),
          List.copyOf(st.rules))));
      out.sort(Comparator.comparing(Stage::firstSeen).thenComparing(st -> st.tactic().ordinal()));
      return out;
    }

    Incident snapshot() {
      return snapshot(false);
    }

    Incident lightSnapshot() {
      return snapshot(true);
    }

    private Incident snapshot(boolean light) {
      List<TenantImpact> impact = new ArrayList<>();
      tenants.forEach((name, i) -> impact.add(new TenantImpact(name, i.objects, i.bytes, i.first, i.last,
          List.copyOf(i.addresses), List.copyOf(i.buckets))));
      impact.sort(Comparator.comparingLong(TenantImpact::bytesRead).reversed().thenComparing(TenantImpact::tenant));
      List<Evidence> ev = new ArrayList<>(light ? 0 : evidence.size());
      if (!light) {
        for (EvidenceState e : evidence.values()) {
          ev.add(e.snapshot());
        }
        ev.sort(Comparator.comparing(Evidence::time));
      }
      List<Credential> creds = credentials.values().stream().map(CredentialState::snapshot).toList();
      List<Stage> chain = killChain();
      List<Incident.RuleHits> hits = new ArrayList<>();
      rules.values().forEach(r -> hits.add(r.snapshot()));
      hits.sort(Comparator.comparing(Incident.RuleHits::firstSeen));
      List<AlertRef> keptAlerts = light ? alerts.subList(Math.max(0, alerts.size() - UPDATE_ALERTS), alerts.size())
          : alerts;
      return new Incident(uid, revision, title(creds, chain, impact), severity(), firstSeen, lastSeen, creds,
          List.copyOf(addresses), List.copyOf(principals), List.copyOf(userAgents), chain, hits, keptAlerts,
          alertCount, ev, light ? List.of() : List.copyOf(evidenceIds), evidenceCount, impact, objectsRead, bytesRead, eventsObserved, truncated);
    }

    private String title(List<Credential> creds, List<Stage> chain, List<TenantImpact> impact) {
      StringBuilder b = new StringBuilder();
      Credential root = creds.isEmpty() ? null : creds.get(0);
      b.append(root == null ? "Unknown actor" : (root.role() == Role.COMPROMISED ? "Key " : "Credential ")
          + root.accessKeyId());
      long created = creds.stream().filter(c -> c.role() == Role.CREATED).count();
      if (created > 0) {
        b.append(" (+").append(created).append(created == 1 ? " key it created)" : " keys it created)");
      }
      b.append(": ");
      b.append(String.join(" → ", chain.stream().map(st -> st.tactic().title()).toList()));
      if (objectsRead > 0) {
        b.append("; ").append(String.format(java.util.Locale.ROOT, "%,d", objectsRead)).append(" objects, ").append(Bytes.human(bytesRead)).append(" read from ")
            .append(impact.size()).append(impact.size() == 1 ? " tenant" : " tenants");
      }
      return b.toString();
    }
  }

  private static List<Tactic> tacticsOf(Alert a) {
    List<Tactic> out = new ArrayList<>();
    for (String t : a.tactics()) {
      Tactic tactic = Tactic.parse(t);
      if (tactic != null && !out.contains(tactic)) {
        out.add(tactic);
      }
    }
    if (out.isEmpty()) {
      for (String tech : a.techniques()) {
        Tactic tactic = Tactic.ofTechnique(tech);
        if (tactic != null && !out.contains(tactic)) {
          out.add(tactic);
        }
      }
    }
    return out;
  }

  private static final class EvidenceState {
    final String eventId;
    final Instant time;
    final String service;
    final String action;
    final String key;
    final String principal;
    final String ip;
    final String userAgent;
    final String error;
    final String bucket;
    final String objectKey;
    final Set<String> rules = new LinkedHashSet<>();

    EvidenceState(AuditEvent e, String rule) {
      eventId = e.eventId();
      time = e.time();
      service = e.service();
      action = e.action();
      key = e.actor().accessKeyId();
      principal = e.actor().principalArn();
      ip = e.sourceIp();
      userAgent = e.userAgent();
      error = e.errorCode();
      bucket = e.bucket();
      objectKey = e.objectKey();
      rules.add(rule);
    }

    Evidence snapshot() {
      return new Evidence(eventId, time, service, action, key, principal, ip, userAgent, error, bucket, objectKey,
          List.copyOf(rules));
    }
  }
}
