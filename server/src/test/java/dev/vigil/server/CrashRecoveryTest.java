package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.simulate.EcBreachSimulation;
import dev.vigil.store.IncidentQuery;
import dev.vigil.store.StoredAlert;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.VigilStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's must-show: a server killed with SIGKILL in the middle of ingesting the simulated breach, then restarted
 * on the same store, ends with the same incidents and alerts as a server that was never interrupted, and no alert
 * twice. Each server is a separate JVM ({@link CrashRecoveryChild}); the kill is {@code Process.destroyForcibly},
 * which is SIGKILL on Linux.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void killedMidIngestionAndRestartedItEndsWithTheSameIncidentsAndNoDuplicateAlert() throws Exception {
    Path logs = dir.resolve("logs");
    EcBreachSimulation.write(logs, EcBreachSimulation.defaults().withSeed(7).withTenants(6).withDays(14)
        .withBackgroundEvents(20_000), null);
    long total = new ObjectMapper().readTree(logs.resolve("truth.json").toFile()).get("event_count").asLong();

    String reference = dir.resolve("reference").toString();
    assertThat(runToCompletion(reference, logs, total)).isTrue();

    String crashed = dir.resolve("crashed").toString();
    Process first = child(crashed, logs, total);
    long seenAtKill = waitForEvents(first, total / 3);
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seenAtKill).isBetween(total / 3, total - 1); // killed in the middle, not after the end
    assertThat(runToCompletion(crashed, logs, total)).isTrue();

    Snapshot expected = snapshot(reference);
    Snapshot actual = snapshot(crashed);
    assertThat(actual.events).isEqualTo(total).isEqualTo(expected.events);
    assertThat(actual.alertIds).isEqualTo(expected.alertIds); // same alerts, each once (ids are the primary key)
    assertThat(actual.alertCount).isEqualTo(expected.alertCount).isEqualTo(expected.alertIds.size());
    assertThat(actual.incidents).isEqualTo(expected.incidents).isNotEmpty();
  }

  private record Snapshot(long events, long alertCount, List<String> alertIds, Map<String, String> incidents) {}

  private static Snapshot snapshot(String location) throws Exception {
    try (VigilStore store = VigilStore.open(location)) {
      List<String> alertIds = store.alerts(null, null, 0, 100_000).stream().map(StoredAlert::id).sorted().toList();
      Map<String, String> incidents = new TreeMap<>();
      for (StoredIncident i : store.incidents(IncidentQuery.all())) {
        var body = new ObjectMapper().readTree(i.body());
        incidents.put(i.id(), i.severity() + " " + i.title() + " alerts=" + body.path("alert_count").asText()
            + " events=" + body.path("events_observed").asText());
      }
      return new Snapshot(store.eventCount(), store.alertCount(), alertIds, incidents);
    }
  }

  private static Process child(String store, Path logs, long total) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        CrashRecoveryChild.class.getName(), store, logs.toString(), Long.toString(total))
        .redirectError(ProcessBuilder.Redirect.appendTo(new File(store + ".stderr"))).start();
  }

  /** Runs a server until it has stored every event; fails (with its stderr) if that takes over three minutes. */
  private static boolean runToCompletion(String store, Path logs, long total) throws Exception {
    Process p = child(store, logs, total);
    java.util.concurrent.CompletableFuture<Long> done =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return waitForEvents(p, Long.MAX_VALUE);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    try {
      done.get(180, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new AssertionError("the server at " + store + " did not store all " + total + " events in 3 minutes; "
          + "its stderr: " + java.nio.file.Files.readString(Path.of(store + ".stderr")));
    }
    return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  /** Reads the child's progress until it has stored {@code atLeast} events (or says complete); returns the count. */
  private static long waitForEvents(Process p, long atLeast) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long n = 0;
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals("complete")) {
        return n;
      }
      if (line.startsWith("events ")) {
        n = Long.parseLong(line.substring(7));
        if (n >= atLeast) {
          return n;
        }
      }
    }
    return n;
  }
}
