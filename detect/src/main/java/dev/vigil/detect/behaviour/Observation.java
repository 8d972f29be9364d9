package dev.vigil.detect.behaviour;

import dev.vigil.ingest.AuditEvent;

/**
 * One event as the detectors see it: the event, its principal's profile BEFORE this event was learned, and
 * what is new about it compared with that profile.
 *
 * @param event       the event
 * @param principal   the stable identity baselines are kept for ({@link Origins#principal})
 * @param profile     that principal's profile (not yet updated with this event)
 * @param network     the source's /16 network (or service name)
 * @param family      the user-agent family
 * @param newNetwork  the principal was never seen from this network
 * @param newAgent    the principal never used this user-agent family
 * @param mature      the principal's baseline is mature (enough events over enough days)
 * @param nomadic     the principal is normally seen from many networks (a new one alone is not news)
 * @param learning    the engine is still in its global learning period
 * @param now         event time, epoch seconds
 */
public record Observation(AuditEvent event, String principal, ActorProfile profile, String network, String family,
    boolean newNetwork, boolean newAgent, boolean mature, boolean nomadic, boolean learning, long now) {

  public boolean longTermKey() {
    return event.actor().hasLongTermKey();
  }

  public String keyId() {
    return event.actor().accessKeyId();
  }

  public boolean fromAddress() {
    return Origins.isAddress(event.sourceIp());
  }

  /** A call made by an IAM user with a long-term key (or root), i.e. not a role session or a service. */
  public boolean longTermCaller() {
    String t = event.actor().type();
    return "IAMUser".equals(t) || "Root".equals(t);
  }
}
