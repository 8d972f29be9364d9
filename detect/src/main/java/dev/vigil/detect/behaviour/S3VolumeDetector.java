package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bulk S3 reads: bytes or objects read by one principal in a sliding window above an absolute floor AND above
 * the principal's own highest window on previous days (a nightly backup learns its own tens of gigabytes).
 * Re-alerts every {@code exfil.realert_minutes} while it goes on, so the incident follows the exfiltration.
 */
public final class S3VolumeDetector extends BehaviourDetector {

  public static final String ID = "vigil.exfil.s3-volume";

  public S3VolumeDetector() {
    super(ID, "Unusual volume of S3 reads", Severity.HIGH, List.of("T1530", "T1537"),
        List.of("collection", "exfiltration"),
        List.of("https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-s3.html",
            "https://cert.europa.eu/blog/european-commission-cloud-breach-trivy-supply-chain"),
        "Within exfil.window_minutes, a principal's successful GetObject calls read at least exfil.min_bytes bytes "
            + "or exfil.min_objects objects, and more than exfil.baseline_factor times its highest window on "
            + "previous days.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    AuditEvent e = o.event();
    BehaviourConfig c = ctx.config();
    if (!"GetObject".equals(e.action()) || e.failed() || c.exfilIgnoreActorTypes.contains(e.actor().type())) {
      return;
    }
    ActorProfile p = o.profile();
    long minute = Math.floorDiv(o.now(), 60);
    long oldest = minute - c.exfilWindow.toMinutes() + 1;
    while (!p.readMinutes.isEmpty() && p.readMinutes.peekFirst()[0] < oldest) {
      p.readMinutes.pollFirst();
    }
    long[] last = p.readMinutes.peekLast();
    if (last == null || last[0] != minute) {
      // events may arrive slightly out of order: fold an older minute into the latest bucket
      if (last != null && last[0] > minute) {
        last[1] += e.bytesOut();
        last[2]++;
      } else {
        p.readMinutes.addLast(new long[] {minute, e.bytesOut(), 1});
      }
    } else {
      last[1] += e.bytesOut();
      last[2]++;
    }
    long bytes = 0;
    long objects = 0;
    for (long[] m : p.readMinutes) {
      bytes += m[1];
      objects += m[2];
    }
    long baseBytes = p.baseline(0, o.now());
    long baseObjects = p.baseline(1, o.now());
    boolean overBytes = bytes >= Math.max(c.exfilMinBytes, c.exfilBaselineFactor * baseBytes + 1);
    boolean overObjects = objects >= Math.max(c.exfilMinObjects, c.exfilBaselineFactor * baseObjects + 1);
    p.recordDay(0, bytes, o.now(), c.exfilHistoryDays);
    p.recordDay(1, objects, o.now(), c.exfilHistoryDays);
    if (o.learning() || !(overBytes || overObjects) || !ctx.once(o, ID, "volume", c.exfilRealert.toSeconds())) {
      return;
    }
    List<AuditEvent> evidence = new ArrayList<>();
    for (AuditEvent r : ctx.recent(o.principal())) {
      if ("GetObject".equals(r.action()) && r.time().getEpochSecond() >= oldest * 60) {
        evidence.add(r);
      }
    }
    evidence.add(e);
    Map<String, Object> d = facts(o);
    d.put("window_minutes", c.exfilWindow.toMinutes());
    d.put("bytes_read", bytes);
    d.put("objects_read", objects);
    d.put("baseline_bytes", baseBytes);
    d.put("baseline_objects", baseObjects);
    String why = o.principal() + " read " + bytes + " bytes in " + objects + " objects within "
        + c.exfilWindow.toMinutes() + " minutes; its highest window on previous days was " + baseBytes
        + " bytes / " + baseObjects + " objects.";
    ctx.emit(o, alert(severity(), why, evidence.subList(Math.max(0, evidence.size() - 6), evidence.size()), d));
  }
}
