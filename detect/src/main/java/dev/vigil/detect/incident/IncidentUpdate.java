package dev.vigil.detect.incident;

/**
 * A change to an incident, as a streaming consumer sees it.
 *
 * @param kind       what happened
 * @param incident   the incident after the change: light for OPENED and UPDATED (the newest alerts, no evidence
 *                   list; {@link IncidentTracker#incidents()} has the full state), full for MERGED and EVICTED
 * @param reason     one line: why it was emitted ("opened by ...", "new stage: Persistence", ...)
 * @param mergedInto for {@link Kind#MERGED}: the uid of the incident that absorbed this one; else null
 */
public record IncidentUpdate(Kind kind, Incident incident, String reason, String mergedInto) {

  public enum Kind {
    /** The first alert of a new chain. */
    OPENED,
    /** The chain grew: a new stage, credential, address, tenant, a higher severity, or the final figures. */
    UPDATED,
    /** An alert tied this chain to an older one, which absorbed it; this uid is no longer used. */
    MERGED,
    /** Dropped from memory because the tracker holds its maximum number of incidents; this is its last state. */
    EVICTED
  }
}
