package dev.vigil.detect.incident;

import dev.vigil.detect.Severity;
import java.time.Instant;
import java.util.List;

/**
 * One attacker chain, as known at one moment: an immutable snapshot that {@link IncidentTracker} emits each time
 * the incident opens or grows. Plain values only (strings, numbers, instants, lists of records), so it is written
 * and read back as JSON by {@link IncidentJson} and as an OCSF Incident Finding by {@link OcsfIncidents}.
 *
 * @param uid            stable id: derived from the alert that opened it, so a rerun on the same data gives the same id
 * @param revision       1 when opened, +1 at every emitted change
 * @param title          one line for people: the key, the stages, the impact
 * @param severity       rises with the kill-chain stages reached (see docs/INCIDENTS.md)
 * @param firstSeen      time of the oldest evidence event
 * @param lastSeen       time of the newest event attributed to the incident (alerted or not)
 * @param credentials    the keys and sessions of the chain, in the order they joined it
 * @param addresses      source addresses the chain used
 * @param principals     IAM principals (ARNs) behind those credentials
 * @param userAgents     user agents seen in the evidence (at most a few dozen)
 * @param killChain      stages reached, ordered by first time
 * @param rules          one line per rule or detector that fired: the timeline people read, ordered by first time
 * @param alerts         the alerts, oldest first (capped; see {@code alertCount})
 * @param alertCount     how many alerts joined, including any beyond the cap
 * @param evidence       evidence events, oldest first (capped; see {@code evidenceCount})
 * @param evidenceEventIds CloudTrail eventIDs of every flagged event (capped at a large bound; see {@code truncated})
 * @param evidenceCount  distinct evidence events, including any beyond the caps
 * @param tenants        what the chain's credentials read from each tenant, most bytes first
 * @param objectsRead    total S3 objects read (successful GetObject calls)
 * @param bytesRead      total bytes read ({@code additionalEventData.bytesTransferredOut})
 * @param eventsObserved all events attributed to the chain's credentials, alerted or not
 * @param truncated      true when a bound on state was reached and some detail above was left out
 */
public record Incident(
    String uid,
    int revision,
    String title,
    Severity severity,
    Instant firstSeen,
    Instant lastSeen,
    List<Credential> credentials,
    List<String> addresses,
    List<String> principals,
    List<String> userAgents,
    List<Stage> killChain,
    List<RuleHits> rules,
    List<AlertRef> alerts,
    long alertCount,
    List<Evidence> evidence,
    List<String> evidenceEventIds,
    long evidenceCount,
    List<TenantImpact> tenants,
    long objectsRead,
    long bytesRead,
    long eventsObserved,
    boolean truncated) {

  public Incident {
    credentials = List.copyOf(credentials);
    addresses = List.copyOf(addresses);
    principals = List.copyOf(principals);
    userAgents = List.copyOf(userAgents);
    killChain = List.copyOf(killChain);
    rules = List.copyOf(rules);
    alerts = List.copyOf(alerts);
    evidence = List.copyOf(evidence);
    evidenceEventIds = List.copyOf(evidenceEventIds);
    tenants = List.copyOf(tenants);
  }

  /** How a credential came to be part of the chain. */
  public enum Role {
    /** Existed before the incident and was used by the attacker (a stolen key); shared with its owner. */
    COMPROMISED,
    /** A long-term access key created by the chain ({@code iam:CreateAccessKey}): persistence. */
    CREATED,
    /** Temporary credentials issued to the chain ({@code sts:AssumeRole}, {@code GetSessionToken}...). */
    SESSION
  }

  /**
   * @param accessKeyId   the key id (or the principal ARN for a credential without a key id)
   * @param role          how it joined
   * @param principal     the IAM user or role it belongs to, when known
   * @param createdBy     the credential that created it (CREATED and SESSION), else null
   * @param createdAt     when it was created or first seen in the chain
   * @param viaEventId    the event that created it or made it join
   */
  public record Credential(String accessKeyId, Role role, String principal, String createdBy, Instant createdAt,
      String viaEventId) {}

  /**
   * One kill-chain stage: an ATT&CK tactic the alerts reached.
   *
   * @param tactic     the tactic
   * @param firstSeen  first alert of this stage
   * @param lastSeen   latest alert of this stage
   * @param alerts     number of alerts
   * @param techniques ATT&CK techniques seen in this stage
   * @param rules      rule or detector ids that fired in this stage
   */
  public record Stage(Tactic tactic, Instant firstSeen, Instant lastSeen, long alerts, List<String> techniques,
      List<String> rules) {
    public Stage {
      techniques = List.copyOf(techniques);
      rules = List.copyOf(rules);
    }
  }

  /**
   * Every alert of one rule in this incident, summed up.
   *
   * @param explanation the first alert's explanation
   * @param actors      credentials the alerts were about (the first few)
   * @param addresses   addresses of the alerts' trigger events (the first few)
   */
  public record RuleHits(String ruleId, String title, Severity severity, String source, List<String> tactics,
      List<String> techniques, Instant firstSeen, Instant lastSeen, long alerts, String explanation,
      List<String> actors, List<String> addresses) {
    public RuleHits {
      tactics = List.copyOf(tactics);
      techniques = List.copyOf(techniques);
      actors = List.copyOf(actors);
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * An alert as the incident keeps it: what it said and which events it points at.
   *
   * @param eventIds   its evidence event ids (the first {@value IncidentTracker#MAX_EVENT_IDS_PER_ALERT})
   * @param eventCount how many evidence events it has
   */
  public record AlertRef(String uid, String ruleId, String title, Severity severity, String source, Instant time,
      List<String> tactics, List<String> techniques, String explanation, String actor, String sourceIp,
      List<String> eventIds, long eventCount) {
    public AlertRef {
      tactics = List.copyOf(tactics);
      techniques = List.copyOf(techniques);
      eventIds = List.copyOf(eventIds);
    }
  }

  /** One flagged event, with the rules that flagged it. */
  public record Evidence(String eventId, Instant time, String service, String action, String accessKeyId,
      String principal, String sourceIp, String userAgent, String errorCode, String bucket, String objectKey,
      List<String> rules) {
    public Evidence {
      rules = List.copyOf(rules);
    }
  }

  /**
   * What the chain read from one tenant.
   *
   * @param tenant      tenant name (see {@link TenantMap})
   * @param objectsRead successful GetObject calls
   * @param bytesRead   sum of {@code bytesTransferredOut}
   * @param firstRead   first read
   * @param lastRead    last read
   * @param addresses   addresses the reads came from (capped)
   * @param buckets     buckets read (capped)
   */
  public record TenantImpact(String tenant, long objectsRead, long bytesRead, Instant firstRead, Instant lastRead,
      List<String> addresses, List<String> buckets) {
    public TenantImpact {
      addresses = List.copyOf(addresses);
      buckets = List.copyOf(buckets);
    }
  }

  /**
   * A light copy for streaming: the newest {@code keepAlerts} alerts, no evidence list and no evidence ids (the
   * final incident has them all).
   */
  public Incident compact(int keepAlerts) {
    List<AlertRef> newest = alerts.subList(Math.max(0, alerts.size() - keepAlerts), alerts.size());
    return new Incident(uid, revision, title, severity, firstSeen, lastSeen, credentials, addresses, principals,
        userAgents, killChain, rules, newest, alertCount, List.of(), List.of(), evidenceCount, tenants, objectsRead,
        bytesRead, eventsObserved, truncated);
  }

  /** The first credential of the given role, or null. */
  public Credential credential(Role role) {
    return credentials.stream().filter(c -> c.role() == role).findFirst().orElse(null);
  }

  /** All credentials of the given role, in joining order. */
  public List<Credential> credentials(Role role) {
    return credentials.stream().filter(c -> c.role() == role).toList();
  }

  /** The impact on one tenant, or null when the chain read nothing of it. */
  public TenantImpact tenant(String name) {
    return tenants.stream().filter(t -> t.tenant().equals(name)).findFirst().orElse(null);
  }

  /** True when the stage was reached. */
  public boolean reached(Tactic tactic) {
    return killChain.stream().anyMatch(s -> s.tactic() == tactic);
  }
}
