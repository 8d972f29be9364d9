package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A burst of distinct discovery calls (List*, Describe*, Get*) or of denied calls within minutes, above both
 * an absolute floor and the principal's own highest burst on previous days (monitoring tools and AWS Config
 * sweep every few minutes and learn their own baseline).
 */
public final class DiscoveryBurstDetector extends BehaviourDetector {

  public static final String ID = "vigil.recon.discovery-burst";

  public DiscoveryBurstDetector() {
    super(ID, "Burst of discovery or denied calls", Severity.MEDIUM, List.of("T1580", "T1526", "T1087.004"),
        List.of("discovery"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
            + "discovery_multiple_discovery_api_calls_via_cli.toml"),
        "Within recon.window_minutes, at least recon.min_distinct_actions distinct List/Describe/Get actions, or "
            + "recon.min_denied distinct denied actions, and more than recon.baseline_factor times the principal's "
            + "highest such burst on previous days.");
  }

  static boolean isDiscovery(AuditEvent e) {
    String a = e.action();
    if (a == null || "GetObject".equals(a) || "GetObjectAcl".equals(a) || "GetCallerIdentity".equals(a)) {
      return false;
    }
    return a.startsWith("List") || a.startsWith("Describe") || a.startsWith("Get");
  }

  static boolean isDenied(AuditEvent e) {
    String c = e.errorCode();
    return c != null && (c.contains("AccessDenied") || c.contains("UnauthorizedOperation")
        || c.equals("UnauthorizedAccess") || c.contains("Forbidden"));
  }

  @Override
  public boolean marksSuspicion() {
    return false;
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    AuditEvent e = o.event();
    boolean disc = isDiscovery(e);
    boolean denied = isDenied(e);
    if (!disc && !denied) {
      return;
    }
    BehaviourConfig c = ctx.config();
    ActorProfile p = o.profile();
    long since = o.now() - c.reconWindow.toSeconds();
    String action = e.service() + ":" + e.action();
    if (disc) {
      ActorProfile.expire(p.discovery, since);
      ActorProfile.touch(p.discovery, action, o.now(), ActorProfile.MAX_WINDOW_KEYS);
    }
    if (denied) {
      ActorProfile.expire(p.denied, since);
      ActorProfile.touch(p.denied, action, o.now(), ActorProfile.MAX_WINDOW_KEYS);
    }
    int distinct = p.discovery.size();
    int deny = p.denied.size();
    long baseDistinct = p.baseline(3, o.now());
    long baseDenied = p.baseline(4, o.now());
    boolean burst = disc && distinct >= Math.max(c.reconMinDistinctActions, c.reconBaselineFactor * baseDistinct + 1);
    boolean denial = denied && deny >= Math.max(c.reconMinDenied, c.reconBaselineFactor * baseDenied + 1);
    p.recordDay(3, distinct, o.now(), c.exfilHistoryDays);
    p.recordDay(4, deny, o.now(), c.exfilHistoryDays);
    if (o.learning() || !(burst || denial) || !ctx.once(o, ID, "burst", c.reconWindow.toSeconds())) {
      return;
    }
    List<AuditEvent> evidence = new ArrayList<>();
    for (AuditEvent r : ctx.recent(o.principal())) {
      if (r.time().getEpochSecond() >= since && (isDiscovery(r) || isDenied(r))) {
        evidence.add(r);
      }
    }
    evidence.add(e);
    Map<String, Object> d = facts(o);
    d.put("distinct_discovery_actions", distinct);
    d.put("distinct_denied_actions", deny);
    d.put("baseline_discovery_actions", baseDistinct);
    d.put("baseline_denied_actions", baseDenied);
    d.put("actions", List.copyOf(p.discovery.keySet()));
    String why = o.principal() + " made " + distinct + " distinct discovery calls and had " + deny
        + " distinct calls denied within " + c.reconWindow.toMinutes() + " minutes (its highest on previous days: "
        + baseDistinct + " and " + baseDenied + ").";
    ctx.emit(o, alert(denial && burst ? Severity.HIGH : severity(), why,
        evidence.subList(Math.max(0, evidence.size() - 8), evidence.size()), d));
  }
}
