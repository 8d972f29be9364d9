package dev.vigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.IncidentJson;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.detect.incident.OcsfIncidents;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import dev.vigil.store.StoredAlert;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.Touch;
import dev.vigil.store.VigilStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Continuous detection inside the server: every batch of events is first de-duplicated by event id in the store
 * (so a replay after a crash or a re-POSTed batch raises nothing twice), then the new events go through the same
 * {@link Detector}s and {@link IncidentTracker} that {@code vigil detect} uses; alerts and incident changes are
 * written to the store and handed to the notifier. One writer: batches are processed one at a time.
 */
public final class IngestPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VigilStore store;
  private final List<Detector> detectors;
  private final IncidentTracker tracker;
  private final BiConsumer<String, StoredIncident> notifier;
  private final List<Alert> pendingAlerts = new ArrayList<>();
  private final List<IncidentUpdate> pendingUpdates = new ArrayList<>();
  private final java.util.Map<String, String> storedSignatures = new java.util.HashMap<>();
  private final AtomicLong eventsSeen = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();

  /**
   * @param notifier called with "new" or "escalated" and the stored incident when one opens or its severity rises
   */
  public IngestPipeline(VigilStore store, List<Detector> detectors, TenantMap tenants,
      BiConsumer<String, StoredIncident> notifier) {
    this.store = store;
    this.detectors = List.copyOf(detectors);
    this.tracker = new IncidentTracker(tenants, pendingUpdates::add);
    this.notifier = notifier;
  }

  /** Processes a batch; returns how many of its events were new. */
  public synchronized int ingest(List<AuditEvent> batch) throws SQLException {
    List<VigilStore.EventRow> rows = new ArrayList<>(batch.size());
    for (AuditEvent e : batch) {
      rows.add(new VigilStore.EventRow(id(e), e.time().toEpochMilli(), e.raw().toString()));
    }
    Set<String> fresh = store.storeNewEvents(rows);
    int freshCount = fresh.size();
    duplicates.addAndGet(batch.size() - fresh.size());
    for (AuditEvent e : batch) {
      if (!fresh.remove(id(e))) {
        continue;
      }
      eventsSeen.incrementAndGet();
      for (Detector d : detectors) {
        d.accept(e, a -> {
          pendingAlerts.add(a);
          tracker.alert(a);
        });
      }
      tracker.observe(e);
    }
    flush();
    return freshCount;
  }

  /**
   * After a restart: replays every stored event, in the order it was first ingested, through fresh detectors and
   * the incident tracker, so baselines, suspicions and open incidents are what they were before the stop (a crash
   * included). Alerts and incidents already stored are matched by their stable ids and not stored twice; what a
   * crash kept from being stored is stored now. Returns the events replayed.
   */
  public synchronized long recover() throws SQLException {
    long[] bad = {0};
    long n = store.replayEvents(raw -> {
      AuditEvent e;
      try {
        e = CloudTrailNormalizer.normalize(JSON.readTree(raw), new AuditEvent.Origin("store", 0));
      } catch (java.io.IOException | CloudTrailNormalizer.RejectedRecord ex) {
        bad[0]++; // it was accepted once; a record that no longer normalizes is skipped and counted
        return;
      }
      for (Detector d : detectors) {
        d.accept(e, a -> {
          pendingAlerts.add(a);
          tracker.alert(a);
        });
      }
      tracker.observe(e);
    });
    flush();
    if (bad[0] > 0) {
      System.err.println("vigil serve: " + bad[0] + " stored event(s) could not be replayed");
    }
    return n;
  }

  /** The event's CloudTrail eventID; a record without one is identified by a digest of its raw JSON. */
  static String id(AuditEvent e) {
    if (e.eventId() != null && !e.eventId().isBlank()) {
      return e.eventId();
    }
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(e.raw().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private void flush() throws SQLException {
    for (Alert a : pendingAlerts) {
      String ocsf;
      try {
        ocsf = JSON.writeValueAsString(OcsfFindings.detectionFinding(a));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      AuditEvent t = a.trigger();
      store.putAlert(new StoredAlert(OcsfFindings.alertUid(a), null, a.ruleId(), a.severity().name().toLowerCase(),
          a.time().toEpochMilli(), t.actor() == null ? null : t.actor().key(), t.sourceIp(),
          a.events().stream().map(AuditEvent::eventId).limit(IncidentTracker.MAX_EVENT_IDS_PER_ALERT).toList(),
          ocsf));
    }
    pendingAlerts.clear();
    for (IncidentUpdate u : pendingUpdates) {
      if (u.kind() != IncidentUpdate.Kind.EVICTED) {
        continue; // live incidents are stored in full below
      }
      Incident full = u.incident();
      storedSignatures.remove(full.uid());
      StoredIncident stored = stored(full);
      int previous = store.putIncident(stored);
      store.linkAlerts(full.uid(), full.alerts().stream().map(Incident.AlertRef::uid).toList());
      changes.incrementAndGet();
      if (previous < 0) {
        notifier.accept("new", stored);
      } else if (stored.severityRank() > previous) {
        notifier.accept("escalated", stored);
      }
    }
    pendingUpdates.clear();
    // change events carry light snapshots; the figures (bytes, objects, evidence) grow between them, so the
    // incidents whose counters moved in this batch are re-read in full and stored
    for (Incident full : tracker.incidents()) {
      String signature = full.revision() + "/" + full.eventsObserved() + "/" + full.alertCount();
      if (!signature.equals(storedSignatures.put(full.uid(), signature))) {
        StoredIncident stored = stored(full);
        int previous = store.putIncident(stored);
        store.linkAlerts(full.uid(), full.alerts().stream().map(Incident.AlertRef::uid).toList());
        changes.incrementAndGet();
        if (previous >= 0 && stored.severityRank() > previous) {
          notifier.accept("escalated", stored);
        } else if (previous < 0) {
          notifier.accept("new", stored);
        }
      }
    }
  }

  static StoredIncident stored(Incident inc) {
    List<Touch> touches = new ArrayList<>();
    for (Incident.TenantImpact t : inc.tenants()) {
      touches.add(Touch.tenant(t.tenant()));
    }
    for (Incident.Credential c : inc.credentials()) {
      touches.add(Touch.key(c.accessKeyId()));
    }
    for (String a : inc.addresses()) {
      touches.add(Touch.address(a));
    }
    for (Incident.Evidence e : inc.evidence()) {
      if (e.bucket() != null) {
        touches.add(Touch.bucket(e.bucket()));
      }
    }
    String body;
    try {
      var json = IncidentJson.toJson(inc);
      json.set("ocsf", OcsfIncidents.incidentFinding(inc));
      body = JSON.writeValueAsString(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return new StoredIncident(inc.uid(), inc.title(), inc.severity().name().toLowerCase(), inc.severity().ordinal(),
        "open", null, inc.firstSeen().toEpochMilli(), inc.lastSeen().toEpochMilli(), body, touches);
  }

  /** Events processed by detection since start (duplicates excluded). */
  public long eventsSeen() {
    return eventsSeen.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  /** Incident changes written; the dashboard polls this to refresh. */
  public long changes() {
    return changes.get();
  }

  public List<Detector> detectors() {
    return detectors;
  }
}
