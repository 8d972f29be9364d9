package dev.vigil.flink;

import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.Honeytokens;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.intel.IocFeed;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The settings of the behaviour and incident stage, shipped to the cluster as file names (each task loads them the
 * way {@code vigil detect} does): behavioural config ({@code --config}), honeytoken watch list, tenant map
 * ({@code --tenants}) and the fold window ({@code --fold-minutes}, default 60). Null paths mean the defaults.
 */
public record DetectionSetup(String configFile, String watchlistFile, String tenantsFile, long foldMinutes)
    implements Serializable {

  public static DetectionSetup defaults() {
    return new DetectionSetup(null, null, null, 60);
  }

  AccountDetection.Shared shared() {
    BehaviourConfig config = configFile == null ? BehaviourConfig.defaults() : BehaviourConfig.load(Path.of(configFile));
    Set<String> honeytokens;
    try {
      honeytokens = watchlistFile == null ? Set.of() : Honeytokens.load(Path.of(watchlistFile)).keySet();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TenantMap tenants = tenantsFile == null ? TenantMap.defaults() : TenantMap.load(Path.of(tenantsFile));
    return new AccountDetection.Shared(config, IocFeed.bundled(), honeytokens, tenants,
        Duration.ofMinutes(foldMinutes));
  }
}
