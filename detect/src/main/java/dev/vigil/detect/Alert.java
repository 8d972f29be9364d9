package dev.vigil.detect;

import dev.vigil.ingest.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One detection: a rule or detector matched one or more events. Written out as an OCSF Detection Finding
 * (class_uid 2004) by {@link OcsfFindings}.
 *
 * @param ruleId      the rule's or detector's id (a Sigma UUID, or {@code vigil.<family>.<name>})
 * @param title       the rule's title
 * @param severity    how bad
 * @param techniques  ATT&CK technique ids such as {@code T1078.004}
 * @param tactics     ATT&CK tactic names such as {@code initial-access}, when known
 * @param explanation why it fired, in one or two sentences naming the evidence
 * @param time        time of the event that completed the match
 * @param events      the evidence events, oldest first (at least one)
 * @param source      {@code sigma} or {@code behaviour}
 * @param references  URLs behind the rule
 * @param details     extra typed facts (counts, bytes, baseline values) shown in reports and OCSF unmapped
 */
public record Alert(
    String ruleId,
    String title,
    Severity severity,
    List<String> techniques,
    List<String> tactics,
    String explanation,
    Instant time,
    List<AuditEvent> events,
    String source,
    List<String> references,
    Map<String, Object> details) {

  public Alert {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(time, "time");
    if (events == null || events.isEmpty()) {
      throw new IllegalArgumentException("an alert needs at least one evidence event");
    }
    techniques = techniques == null ? List.of() : List.copyOf(techniques);
    tactics = tactics == null ? List.of() : List.copyOf(tactics);
    events = List.copyOf(events);
    references = references == null ? List.of() : List.copyOf(references);
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** The event that completed the match (the last evidence event). */
  public AuditEvent trigger() {
    return events.get(events.size() - 1);
  }
}
