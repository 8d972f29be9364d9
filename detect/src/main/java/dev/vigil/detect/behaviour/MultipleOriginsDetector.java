package dev.vigil.detect.behaviour;

import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One principal's credentials used within a short window from several networks whose client families do not
 * overlap (one place runs TruffleHog, another a Kali CLI): two parties hold the same key. A nomadic principal
 * (CI on cloud runners) only counts when one of the families is new for it.
 */
public final class MultipleOriginsDetector extends BehaviourDetector {

  public static final String ID = "vigil.stolen-key.multiple-origins";

  public MultipleOriginsDetector() {
    super(ID, "Credentials used from several origins at once", Severity.HIGH, List.of("T1078.004"),
        List.of("initial-access", "defense-evasion"),
        List.of("https://github.com/elastic/detection-rules/blob/main/rules/integrations/aws/"
            + "initial_access_iam_session_token_used_from_multiple_addresses.toml"),
        "Within origin.multi_window_minutes, the same user or role is seen from at least origin.multi_min_networks "
            + "networks with at least origin.multi_min_agent_families client families, and the families used from "
            + "one network never appear at the other.");
  }

  @Override
  public void inspect(Observation o, BehaviourContext ctx) {
    ActorProfile p = o.profile();
    BehaviourConfig c = ctx.config();
    // role sessions of a fleet (one role, many instances) legitimately call from many places at once
    if (!o.fromAddress() || !o.longTermCaller()) {
      return;
    }
    long since = o.now() - c.multiWindow.toSeconds();
    ActorProfile.expire(p.recentOrigins, since);
    Map<String, Set<String>> byNet = new HashMap<>();
    for (String k : p.recentOrigins.keySet()) {
      int bar = k.indexOf('|');
      byNet.computeIfAbsent(k.substring(0, bar), n -> new HashSet<>()).add(k.substring(bar + 1));
    }
    byNet.computeIfAbsent(o.network(), n -> new HashSet<>()).add(o.family());
    Set<String> families = new HashSet<>();
    byNet.values().forEach(families::addAll);
    if (o.learning() || byNet.size() < c.multiMinNetworks || families.size() < c.multiMinAgentFamilies) {
      return;
    }
    Set<String> mine = byNet.get(o.network());
    List<String> disjointNets = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : byNet.entrySet()) {
      if (!e.getKey().equals(o.network()) && e.getValue().stream().noneMatch(mine::contains)) {
        disjointNets.add(e.getKey());
      }
    }
    if (disjointNets.isEmpty() || (o.nomadic() && !o.newAgent())) {
      return;
    }
    if (!ctx.once(o, ID, "window", c.multiWindow.toSeconds())) {
      return;
    }
    List<AuditEvent> evidence = new ArrayList<>();
    for (AuditEvent e : ctx.recent(o.principal())) {
      if (e.time().getEpochSecond() >= since && disjointNets.contains(Origins.network(e.sourceIp()))) {
        evidence.add(e);
      }
    }
    evidence.add(o.event());
    Map<String, Object> d = facts(o);
    d.put("networks", List.copyOf(byNet.keySet()));
    d.put("agent_families", List.copyOf(families));
    d.put("window_minutes", c.multiWindow.toMinutes());
    String why = o.principal() + " was used from " + byNet.size() + " networks with " + families.size()
        + " client families within " + c.multiWindow.toMinutes() + " minutes: '" + o.family() + "' from "
        + o.event().sourceIp() + " while " + disjointNets + " used other clients.";
    ctx.emit(o, alert(severity(), why, evidence.subList(Math.max(0, evidence.size() - 6), evidence.size()), d));
  }
}
