package dev.vigil.detect.behaviour;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Thresholds and baselines of the behavioural detectors, read from YAML. The defaults ship as the resource
 * {@code behaviour-defaults.yaml}; a user file overrides any subset of keys. Unknown keys and wrong types are
 * errors naming the file and the key (a typo must not silently keep a default). Every key is in docs/CONFIG.md.
 */
public final class BehaviourConfig {

  /** A configuration file that cannot be used; the message names the file and the key. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  public final Duration learningPeriod;
  public final int actorMinEvents;
  public final Duration actorMinAge;
  public final int nomadicNetworks;
  public final Duration multiWindow;
  public final int multiMinNetworks;
  public final int multiMinAgentFamilies;
  public final Duration reconWindow;
  public final int reconMinDistinctActions;
  public final int reconMinDenied;
  public final double reconBaselineFactor;
  public final Duration exfilWindow;
  public final long exfilMinBytes;
  public final long exfilMinObjects;
  public final int exfilMinBuckets;
  public final long exfilSpreadMinObjects;
  public final double exfilBaselineFactor;
  public final int exfilHistoryDays;
  public final Duration exfilRealert;
  public final Set<String> exfilIgnoreActorTypes;
  public final int maxActors;
  public final int maxNetworksPerActor;
  public final int maxAddressesPerActor;
  public final int maxAgentsPerActor;
  public final int maxSuspects;
  /** Lower-case user-agent marker → what it is. */
  public final Map<String, String> toolingUserAgents;
  public final Set<String> honeytokenKeyIds;

  private BehaviourConfig(Map<String, Object> m, String source) {
    Reader r = new Reader(m, source);
    learningPeriod = Duration.ofDays(r.integer("learning.period_days"));
    actorMinEvents = r.integer("learning.actor_min_events");
    actorMinAge = Duration.ofDays(r.integer("learning.actor_min_days"));
    nomadicNetworks = r.integer("origin.nomadic_networks");
    multiWindow = Duration.ofMinutes(r.integer("origin.multi_window_minutes"));
    multiMinNetworks = r.integer("origin.multi_min_networks");
    multiMinAgentFamilies = r.integer("origin.multi_min_agent_families");
    reconWindow = Duration.ofMinutes(r.integer("recon.window_minutes"));
    reconMinDistinctActions = r.integer("recon.min_distinct_actions");
    reconMinDenied = r.integer("recon.min_denied");
    reconBaselineFactor = r.number("recon.baseline_factor");
    exfilWindow = Duration.ofMinutes(r.integer("exfil.window_minutes"));
    exfilMinBytes = r.longValue("exfil.min_bytes");
    exfilMinObjects = r.longValue("exfil.min_objects");
    exfilMinBuckets = r.integer("exfil.min_buckets");
    exfilSpreadMinObjects = r.longValue("exfil.spread_min_objects");
    exfilBaselineFactor = r.number("exfil.baseline_factor");
    exfilHistoryDays = r.integer("exfil.history_days");
    exfilRealert = Duration.ofMinutes(r.integer("exfil.realert_minutes"));
    exfilIgnoreActorTypes = Set.copyOf(r.strings("exfil.ignore_actor_types"));
    maxActors = r.integer("limits.max_actors");
    maxNetworksPerActor = r.integer("limits.max_networks_per_actor");
    maxAddressesPerActor = r.integer("limits.max_addresses_per_actor");
    maxAgentsPerActor = r.integer("limits.max_agents_per_actor");
    maxSuspects = r.integer("limits.max_suspects");
    Map<String, String> ua = new LinkedHashMap<>();
    r.map("tooling.user_agents").forEach((k, v) -> ua.put(String.valueOf(k).toLowerCase(Locale.ROOT), String.valueOf(v)));
    toolingUserAgents = Map.copyOf(ua);
    honeytokenKeyIds = Set.copyOf(r.strings("honeytokens.key_ids"));
  }

  /** The shipped defaults. */
  public static BehaviourConfig defaults() {
    return new BehaviourConfig(defaultTree(), "built-in defaults");
  }

  /** The defaults overridden by the YAML file {@code file}. */
  public static BehaviourConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    return fromYaml(text, file.toString());
  }

  /** The defaults overridden by YAML text (for tests and embedding); {@code source} names it in errors. */
  public static BehaviourConfig fromYaml(String yaml, String source) {
    Object user;
    try {
      user = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
    } catch (RuntimeException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, Object> merged = defaultTree();
    if (user != null) {
      if (!(user instanceof Map<?, ?> um)) {
        throw new ConfigException(source + ": the top level must be a mapping of sections");
      }
      overlay(merged, um, "", source);
    }
    return new BehaviourConfig(merged, source);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> defaultTree() {
    try (InputStream in = BehaviourConfig.class.getResourceAsStream("behaviour-defaults.yaml")) {
      Object o = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
      return deepCopy((Map<String, Object>) o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> c = new LinkedHashMap<>();
    m.forEach((k, v) -> c.put(k, v instanceof Map<?, ?> mm ? deepCopy((Map<String, Object>) mm) : v));
    return c;
  }

  @SuppressWarnings("unchecked")
  private static void overlay(Map<String, Object> base, Map<?, ?> user, String prefix, String source) {
    for (Map.Entry<?, ?> e : user.entrySet()) {
      String key = String.valueOf(e.getKey());
      String path = prefix + key;
      if (!base.containsKey(key)) {
        throw new ConfigException(source + ": unknown key '" + path + "' (see docs/CONFIG.md)");
      }
      Object def = base.get(key);
      boolean freeMap = path.equals("tooling.user_agents");
      if (def instanceof Map<?, ?> dm && !freeMap) {
        if (!(e.getValue() instanceof Map<?, ?> um)) {
          throw new ConfigException(source + ": '" + path + "' must be a mapping");
        }
        overlay((Map<String, Object>) dm, um, path + ".", source);
      } else {
        base.put(key, e.getValue());
      }
    }
  }

  /** Typed access to the merged tree with errors naming file and key. */
  private record Reader(Map<String, Object> root, String source) {
    Object get(String path) {
      Object node = root;
      for (String p : path.split("\\.")) {
        node = node instanceof Map<?, ?> m ? m.get(p) : null;
      }
      return node;
    }

    long longValue(String path) {
      Object v = get(path);
      if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 0) {
        return n.longValue();
      }
      throw new ConfigException(source + ": '" + path + "' must be a whole number >= 0, got " + v);
    }

    int integer(String path) {
      long v = longValue(path);
      if (v > Integer.MAX_VALUE) {
        throw new ConfigException(source + ": '" + path + "' is too large: " + v);
      }
      return (int) v;
    }

    double number(String path) {
      if (get(path) instanceof Number n && n.doubleValue() >= 0) {
        return n.doubleValue();
      }
      throw new ConfigException(source + ": '" + path + "' must be a number >= 0, got " + get(path));
    }

    List<String> strings(String path) {
      Object v = get(path);
      if (v == null) {
        return List.of();
      }
      if (v instanceof List<?> l) {
        return l.stream().map(String::valueOf).toList();
      }
      throw new ConfigException(source + ": '" + path + "' must be a list");
    }

    Map<?, ?> map(String path) {
      Object v = get(path);
      if (v == null) {
        return Map.of();
      }
      if (v instanceof Map<?, ?> m) {
        return m;
      }
      throw new ConfigException(source + ": '" + path + "' must be a mapping of marker: description");
    }
  }
}
