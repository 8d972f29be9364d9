package dev.vigil.detect.behaviour;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.intel.IocFeed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Vigil's behavioural detection as one {@link Detector}: learns each principal's networks, clients, read
 * volumes and discovery habits, and runs every detector of {@link BehaviourDetectors#all()} on each event
 * before learning it. Alerts have source {@code behaviour}.
 *
 * <pre>{@code
 * BehaviourEngine engine = BehaviourEngine.create(BehaviourConfig.defaults(), IocFeed.bundled());
 * reader.read(paths, e -> engine.accept(e, alerts::add));
 * engine.finish(alerts::add);
 * engine.state().save(stateFile);        // optional: keep history for the next run
 * }</pre>
 *
 * Not thread-safe: feed it from one thread.
 */
public final class BehaviourEngine implements Detector {

  /** Said once on stderr and in docs: what "network" means without an IP-to-ASN database. */
  public static final String GEO_NOTICE = "no IP-to-country/ASN database: behavioural baselines use addresses, "
      + "/24 and /16 networks instead of ASNs and countries";

  private final BehaviourConfig config;
  private final BehaviourState state;
  private final List<BehaviourDetector> detectors;
  private final BehaviourContext context;

  private BehaviourEngine(BehaviourConfig config, IocFeed feed, BehaviourState state, Set<String> honeytokens) {
    this.config = config;
    this.state = state;
    this.detectors = BehaviourDetectors.all();
    Set<String> watched = new HashSet<>(config.honeytokenKeyIds);
    watched.addAll(honeytokens);
    this.context = new BehaviourContext(config, state, feed, Set.copyOf(watched));
  }

  /** A fresh engine (no history). */
  public static BehaviourEngine create(BehaviourConfig config, IocFeed feed) {
    return new BehaviourEngine(config, feed, new BehaviourState(), Set.of());
  }

  /** An engine continuing from {@code state} (see {@link BehaviourState#load}), watching extra honey keys. */
  public static BehaviourEngine create(BehaviourConfig config, IocFeed feed, BehaviourState state,
      Set<String> honeytokenKeyIds) {
    return new BehaviourEngine(config, feed, state, honeytokenKeyIds);
  }

  public List<BehaviourDetector> detectors() {
    return detectors;
  }

  public BehaviourState state() {
    return state;
  }

  public BehaviourConfig config() {
    return config;
  }

  /**
   * The last few events of each principal that window alerts cite as evidence (kept in memory, not in
   * {@link #state()}), least recently used principal first. A stream processor that checkpoints the state checkpoints
   * these too, so that alerts after a restore cite the same evidence as without the restore.
   */
  public Map<String, List<AuditEvent>> recentEvents() {
    return context.recentEvents();
  }

  /**
   * The recent events of one principal (oldest first). Reading one moves the principal to the most recently used end
   * of the bounded recent-events map, so read several in order of their latest access, as
   * {@link BehaviourState#drainChanges} gives them, which leaves that order as it was.
   */
  public List<AuditEvent> recentEvents(String principal) {
    return context.recent(principal);
  }

  /** Replaces the recent events with what {@link #recentEvents()} returned (on an engine created from the state). */
  public void restoreRecentEvents(Map<String, List<AuditEvent>> events) {
    context.restoreRecentEvents(events);
  }

  public void saveState(Path file) throws IOException {
    state.save(file);
  }

  @Override
  public void accept(AuditEvent e, Consumer<Alert> alerts) {
    long now = e.time().getEpochSecond();
    if (state.learningStart == Long.MIN_VALUE) {
      state.learningStart = now;
    }
    state.clock = Math.max(state.clock, now);
    AuditEvent.Actor actor = e.actor();
    String principal = Origins.principal(actor);
    ActorProfile p = state.profile(principal, config.maxActors);
    String ip = e.sourceIp();
    boolean address = Origins.isAddress(ip);
    String network = Origins.network(ip);
    String family = Origins.agentFamily(e.userAgent());
    // most principals know one or two networks: count address networks only when it can matter
    long networksKnown = p.networks.size() < config.nomadicNetworks ? 0 : addressNetworks(p, config.nomadicNetworks);
    Observation o = new Observation(e, principal, p, network, family,
        address && !p.networks.containsKey(network), !p.agents.containsKey(family),
        p.events > 0 && p.mature(config), networksKnown >= config.nomadicNetworks,
        now - state.learningStart < config.learningPeriod.toSeconds(), now);
    context.sink(alerts);
    for (BehaviourDetector d : detectors) {
      context.marking(d.marksSuspicion());
      d.inspect(o, context);
    }
    learn(p, e, now, ip, address, network, family);
    context.remember(principal, e);
  }

  /** The actor's address networks (not service names), counted up to {@code enough}: a CI key knows hundreds. */
  private static long addressNetworks(ActorProfile p, int enough) {
    long n = 0;
    for (String network : p.networks.keySet()) {
      if (network.indexOf('/') > 0 && ++n >= enough) {
        break;
      }
    }
    return n;
  }

  private void learn(ActorProfile p, AuditEvent e, long now, String ip, boolean address, String network,
      String family) {
    if (p.firstSeen == Long.MIN_VALUE) {
      p.firstSeen = now;
    }
    p.lastSeen = Math.max(p.lastSeen, now);
    p.events++;
    ActorProfile.touch(p.networks, network, now, config.maxNetworksPerActor);
    ActorProfile.touch(p.agents, family, now, config.maxAgentsPerActor);
    if (address) {
      ActorProfile.touch(p.addresses, ip, now, config.maxAddressesPerActor);
      ActorProfile.expire(p.recentOrigins, now - config.multiWindow.toSeconds());
      ActorProfile.touch(p.recentOrigins, network + "|" + family, now, ActorProfile.MAX_WINDOW_KEYS);
    }
  }
}
