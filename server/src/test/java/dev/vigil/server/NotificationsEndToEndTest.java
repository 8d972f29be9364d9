package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.server.notify.Notifier;
import dev.vigil.server.notify.WebhookChannel;
import dev.vigil.store.TestDatabases;
import dev.vigil.store.VigilStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A POSTed batch opens two incidents; the webhook hears of each exactly once, a replayed batch adds nothing. */
class NotificationsEndToEndTest {
  @TempDir Path dir;

  @Test
  void eachNewIncidentReachesTheWebhookOnce() throws Exception {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", exchange -> {
      received.add(Batches.JSON.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    hook.start();
    List<String> log = new CopyOnWriteArrayList<>();
    Notifier notifier = new Notifier(List.of(new WebhookChannel(
        URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"), null, Duration.ofSeconds(5))),
        new Notifier.Retry(3, Duration.ofMillis(10), Duration.ofMillis(20)), null, log::add, 100);
    try (VigilStore store = VigilStore.open(TestDatabases.fresh("h2", dir));
        VigilServer server = new VigilServer(store, List.of(new Batches.TruffleHogDetector()), TenantMap.defaults(),
            new InetSocketAddress("127.0.0.1", 0), null, notifier).start()) {
      store.putUser(new dev.vigil.store.User("root", dev.vigil.store.Role.ADMIN, null));
      String token = store.issueToken("root");
      String batch = Batches.wrap(Batches.twoChains("ev", Instant.parse("2026-03-19T10:00:00Z"))).toString();
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 2; i++) { // the second POST is a redelivery: duplicates, no new incident
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/events"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(batch, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (notifier.stats().delivered() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      notifier.close(Duration.ofSeconds(2));

      Set<String> stored = new TreeSet<>();
      store.incidents(dev.vigil.store.IncidentQuery.all()).forEach(i -> stored.add(i.id()));
      Set<String> notified = new TreeSet<>();
      for (JsonNode n : received) {
        assertThat(n.get("event").asText()).isEqualTo("incident.new");
        notified.add(n.at("/incident/id").asText());
      }
      assertThat(stored).hasSize(2);
      assertThat(received).hasSize(2);
      assertThat(notified).isEqualTo(stored);
      assertThat(log).isEmpty();
    } finally {
      hook.stop(0);
    }
  }
}
