package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One principal reading or listing many different buckets (tenants) within a window, more than it ever did on
 * previous days. A backup that reads every bucket every night has learned that width.
 */
public final class S3TenantSpreadDetector extends BehaviourDetector {

  public static final String ID = "vigil.exfil.s3-tenant-spread";
  static final Set<String> READS = Set.of("GetObject", "ListObjects", "ListObjectsV2", "ListObjectVersions");

  public S3TenantSpreadDetector() {
    super(ID, "One actor reading many tenants' buckets", Severity.HIGH, List.of("T1530", "T1619"),
        List.of("collection", "discovery"),
        List.of("https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-s3.html"),
        "Within exfil.window_minutes, a principal reads or lists at least exfil.min_buckets distinct buckets, and "
            + "more than exfil.baseline_factor times its widest window on previous days, and downloads at least "
            + "exfil.spread_min_objects objects in that window (listing and browsing a few objects per tenant is "
            + "what operators do).");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    AuditEvent e = o.event();
    BehaviourConfig c = ctx.config();
    String bucket = e.bucket();
    if (bucket == null || !READS.contains(e.action()) || e.failed()
        || c.exfilIgnoreActorTypes.contains(e.actor().type())) {
      return;
    }
    ActorProfile p = o.profile();
    long since = o.now() - c.exfilWindow.toSeconds();
    ActorProfile.expire(p.readBuckets, since);
    ActorProfile.touch(p.readBuckets, bucket, o.now(), ActorProfile.MAX_WINDOW_KEYS);
    int buckets = p.readBuckets.size();
    long base = p.baseline(2, o.now());
    long objects = objectsInWindow(p, e, o.now(), c);
    boolean wide = buckets >= Math.max(c.exfilMinBuckets, c.exfilBaselineFactor * base + 1)
        && objects >= c.exfilSpreadMinObjects;
    p.recordDay(2, buckets, o.now(), c.exfilHistoryDays);
    if (o.learning() || !wide || !ctx.once(o, ID, "spread", c.exfilRealert.toSeconds())) {
      return;
    }
    List<AuditEvent> evidence = new ArrayList<>();
    for (AuditEvent r : ctx.recent(o.principal())) {
      if (r.bucket() != null && READS.contains(r.action()) && r.time().getEpochSecond() >= since) {
        evidence.add(r);
      }
    }
    evidence.add(e);
    Map<String, Object> d = facts(o);
    d.put("window_minutes", c.exfilWindow.toMinutes());
    d.put("buckets", buckets);
    d.put("baseline_buckets", base);
    d.put("objects_read", objects);
    d.put("bucket_names", List.copyOf(p.readBuckets.keySet()));
    String why = o.principal() + " read or listed " + buckets + " different buckets within "
        + c.exfilWindow.toMinutes() + " minutes, downloading " + objects + " objects; its widest window on previous "
        + "days covered " + base + ".";
    ctx.emit(o, alert(severity(), why, evidence.subList(Math.max(0, evidence.size() - 6), evidence.size()), d));
  }

  /** Successful GetObject calls of this principal within the window, the current one included. */
  private static long objectsInWindow(ActorProfile p, AuditEvent e, long now, BehaviourConfig c) {
    long minute = Math.floorDiv(now, 60);
    long oldest = minute - c.exfilWindow.toMinutes() + 1;
    while (!p.spreadMinutes.isEmpty() && p.spreadMinutes.peekFirst()[0] < oldest) {
      p.spreadMinutes.pollFirst();
    }
    if ("GetObject".equals(e.action())) {
      long[] last = p.spreadMinutes.peekLast();
      if (last != null && last[0] >= minute) {
        last[1]++; // same minute, or slightly out of order: fold into the latest bucket
      } else {
        p.spreadMinutes.addLast(new long[] {minute, 1});
      }
    }
    long objects = 0;
    for (long[] m : p.spreadMinutes) {
      objects += m[1];
    }
    return objects;
  }
}
