package dev.vigil.detect.behaviour;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One behavioural detector: a small self-describing unit (id, title, severity, ATT&CK, references, what it
 * looks for) that inspects each {@link Observation} and may raise alerts through the {@link BehaviourContext}.
 * Subclasses only implement {@link #inspect}.
 */
public abstract class BehaviourDetector {

  private final String id;
  private final String title;
  private final Severity severity;
  private final List<String> techniques;
  private final List<String> tactics;
  private final List<String> references;
  private final String description;

  protected BehaviourDetector(String id, String title, Severity severity, List<String> techniques,
      List<String> tactics, List<String> references, String description) {
    this.id = id;
    this.title = title;
    this.severity = severity;
    this.techniques = List.copyOf(techniques);
    this.tactics = List.copyOf(tactics);
    this.references = List.copyOf(references);
    this.description = description;
  }

  public final String id() {
    return id;
  }

  public final String title() {
    return title;
  }

  public final Severity severity() {
    return severity;
  }

  public final List<String> techniques() {
    return techniques;
  }

  public final List<String> tactics() {
    return tactics;
  }

  public final List<String> references() {
    return references;
  }

  /** What the detector looks for and why that matters, for docs and {@code --help}. */
  public final String description() {
    return description;
  }

  /**
   * Whether this detector's high alerts make the actor's key and principal suspicious (so that its keys and
   * IAM changes are watched). Detectors of actions an administrator may legitimately take (granting admin
   * rights, sharing, changing logging) say no: they flag the action, not a stolen identity.
   */
  public boolean marksSuspicion() {
    return true;
  }

  /** Looks at one event. Called for every event, in order, before the event is learned into the profile. */
  public abstract void inspect(Observation o, BehaviourContext ctx);

  /** Builds an alert of this detector; evidence oldest first, the trigger last. */
  protected final Alert alert(Severity sev, String explanation, List<AuditEvent> evidence, Map<String, Object> details) {
    List<AuditEvent> ev = new ArrayList<>();
    for (AuditEvent e : evidence) {
      if (e != null && !ev.contains(e)) {
        ev.add(e);
      }
    }
    ev.sort((a, b) -> a.time().compareTo(b.time()));
    Instant t = ev.get(ev.size() - 1).time();
    return new Alert(id, title, sev, techniques, tactics, explanation, t, ev, "behaviour", references,
        details == null ? Map.of() : details);
  }

  /** Common details: principal, key, address, user-agent family. */
  protected static Map<String, Object> facts(Observation o) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("principal", o.principal());
    if (o.keyId() != null) {
      d.put("access_key_id", o.keyId());
    }
    if (o.event().sourceIp() != null) {
      d.put("source_ip", o.event().sourceIp());
    }
    d.put("network", o.network());
    d.put("agent_family", o.family());
    return d;
  }
}
