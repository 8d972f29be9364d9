package dev.vigil.server;

import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.intel.IocFeed;
import dev.vigil.store.VigilStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A server in its own JVM for {@link CrashRecoveryTest}: embedded store at args[0], watching args[1], with Vigil's
 * bundled Sigma rules and the behavioural detectors. Prints "events N" as the store fills, "complete" and exits
 * once it holds args[2] events.
 */
public final class CrashRecoveryChild {
  private CrashRecoveryChild() {}

  public static void main(String[] args) throws Exception {
    long expected = Long.parseLong(args[2]);
    VigilStore store = VigilStore.open(args[0]);
    VigilServer server = new VigilServer(store, List.of(SigmaRules.builtin().ruleSet(),
        BehaviourEngine.create(BehaviourConfig.defaults(), IocFeed.bundled())), TenantMap.defaults(),
        new InetSocketAddress("127.0.0.1", 0), Path.of(args[1]), (kind, incident) -> { }).start();
    while (true) {
      long n = store.eventCount();
      System.out.println("events " + n);
      System.out.flush();
      if (n >= expected) {
        // let the last batch's alerts and incidents reach the store: ingestion is one writer, so wait for it
        synchronized (server.pipeline()) {
          System.out.println("complete");
          System.out.flush();
        }
        server.close();
        store.close();
        System.exit(0);
      }
      Thread.sleep(50);
    }
  }
}
