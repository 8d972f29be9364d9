package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.store.Role;
import dev.vigil.store.TestDatabases;
import dev.vigil.store.Touch;
import dev.vigil.store.User;
import dev.vigil.store.VigilStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API suite, run on the embedded store and on PostgreSQL. */
class ServerApiTest {
  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();
  private VigilServer server;

  record Response(int status, JsonNode body, java.net.http.HttpHeaders headers) {}

  private Response call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body().isEmpty() ? null : Batches.JSON.readTree(r.body()), r.headers());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void theApiEndToEnd(String engine) throws Exception {
    List<String> notified = new CopyOnWriteArrayList<>();
    try (VigilStore store = VigilStore.open(TestDatabases.fresh(engine, dir))) {
      store.putTenant("tenant-a", "A", List.of(Touch.bucket("tenant-a")));
      store.putTenant("tenant-b", "B", List.of(Touch.bucket("tenant-b")));
      store.putUser(new User("root", Role.ADMIN, null));
      store.putUser(new User("ana", Role.ANALYST, null));
      store.putUser(new User("viewer-a", Role.TENANT_VIEWER, "tenant-a"));
      String admin = store.issueToken("root");
      String analyst = store.issueToken("ana");
      String viewerA = store.issueToken("viewer-a");
      server = new VigilServer(store, List.of(new Batches.TruffleHogDetector()), TenantMap.defaults(),
          new InetSocketAddress("127.0.0.1", 0), null, (kind, inc) -> notified.add(kind + ":" + inc.id()))
          .start();
      try {
        // ingestion: a clean batch, then the same batch again (no new alerts), then a malformed one
        String batch = Batches.wrap(Batches.twoChains("ev", Instant.parse("2026-03-19T10:00:00Z"))).toString();
        Response first = call("POST", "/api/events", admin, batch);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("new").asInt()).isEqualTo(17);
        assertThat(call("POST", "/api/events", analyst, batch).status()).isEqualTo(403);
        Response again = call("POST", "/api/events", admin, batch);
        assertThat(again.body().get("new").asInt()).isZero();
        assertThat(again.body().get("duplicates").asInt()).isEqualTo(17);
        assertThat(store.alertCount()).isEqualTo(2);

        var mixed = Batches.JSON.createArrayNode();
        mixed.add(Batches.record("ok-1", Instant.parse("2026-03-19T11:00:00Z"), "AKIAOTHER00000000000", "192.0.2.9",
            "aws-cli/2", "ListBuckets", null, 0));
        mixed.add(7);
        var noTime = Batches.record("bad-2", Instant.EPOCH, "K", "192.0.2.9", "x", "ListBuckets", null, 0);
        noTime.remove("eventTime");
        mixed.add(noTime);
        Response bad = call("POST", "/api/events", admin, Batches.wrap(mixed).toString());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("accepted").asInt()).isEqualTo(1);
        assertThat(bad.body().get("quarantined").asInt()).isEqualTo(2);
        assertThat(bad.body().get("problems").get(0).get("record").asInt()).isEqualTo(1);
        assertThat(bad.body().get("problems").get(0).get("reason").asText()).contains("not a JSON object");
        assertThat(bad.body().get("problems").get(1).get("field").asText()).isEqualTo("eventTime");
        assertThat(store.quarantineCount()).isEqualTo(2);
        assertThat(store.eventCount()).isEqualTo(18);
        assertThat(call("POST", "/api/events", admin, "{not json").status()).isEqualTo(400);
        String huge = "{\"Records\":[\"" + "x".repeat(ApiServer.DEFAULT_MAX_BODY) + "\"]}";
        assertThat(call("POST", "/api/events", admin, huge).status()).isEqualTo(413);
        assertThat(call("GET", "/api/me", admin, null).status()).isEqualTo(200); // still serving

        // authentication and roles
        Response anonymous = call("GET", "/api/incidents", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(call("GET", "/api/incidents", "vgl_wrong", null).status()).isEqualTo(401);
        Response all = call("GET", "/api/incidents", analyst, null);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(all.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(all.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
        List<String> ids = new ArrayList<>();
        String incA = null;
        String incB = null;
        for (JsonNode i : all.body().get("items")) {
          ids.add(i.get("id").asText());
          if (i.get("title").asText().contains("AKIAATTACKER0000000A")) {
            incA = i.get("id").asText();
            assertThat(i.get("tenants")).extracting(JsonNode::asText).containsExactly("tenant-a");
          } else {
            incB = i.get("id").asText();
            assertThat(i.get("tenants")).extracting(JsonNode::asText).containsExactly("tenant-b");
          }
        }
        assertThat(ids).hasSize(2);
        assertThat(notified).contains("new:" + incA, "new:" + incB);

        // tenant isolation
        Response mine = call("GET", "/api/incidents", viewerA, null);
        assertThat(mine.body().get("items")).extracting(i -> i.get("id").asText()).containsExactly(incA);
        assertThat(call("GET", "/api/incidents/" + incB, viewerA, null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/incidents/" + incA, viewerA, null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/incidents/nope", analyst, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/alerts", viewerA, null).status()).isEqualTo(403);
        assertThat(call("POST", "/api/incidents/" + incA + "/acknowledge", viewerA, "{}").status()).isEqualTo(403);
        assertThat(call("GET", "/api/tenants", viewerA, null).body().get("items"))
            .extracting(t -> t.get("name").asText()).containsExactly("tenant-a");

        // the incident, its alerts and its events
        Response detail = call("GET", "/api/incidents/" + incA, analyst, null);
        assertThat(detail.body().get("detail").get("bytes_read").asLong()).isEqualTo(5000);
        Response alerts = call("GET", "/api/incidents/" + incA + "/alerts", analyst, null);
        assertThat(alerts.body().get("items")).singleElement().satisfies(a -> {
          assertThat(a.get("rule").asText()).isEqualTo("test.trufflehog");
          assertThat(a.get("actor_key").asText()).isEqualTo("AKIAATTACKER0000000A");
          assertThat(a.get("event_ids")).extracting(JsonNode::asText).containsExactly("ev-0");
          assertThat(a.get("ocsf").get("class_uid").asInt()).isEqualTo(2004);
        });
        Response events = call("GET", "/api/incidents/" + incA + "/events?limit=2", analyst, null);
        assertThat(events.body().get("total").asInt()).isEqualTo(1); // the flagged (evidence) events
        assertThat(events.body().get("items")).hasSize(1);
        assertThat(events.body().get("items").get(0).get("eventID").asText()).isEqualTo("ev-0");
        assertThat(call("GET", "/api/incidents?limit=1&offset=1", analyst, null).body().get("items")).hasSize(1);
        assertThat(call("GET", "/api/incidents?limit=0", analyst, null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/incidents?touching=198.51.100.20", analyst, null).body().get("items"))
            .extracting(i -> i.get("id").asText()).containsExactly(incB);

        // actions, audited
        Response ack = call("POST", "/api/incidents/" + incA + "/acknowledge", analyst, "{\"comment\":\"on it\"}");
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body().get("status").asText()).isEqualTo("acknowledged");
        assertThat(call("POST", "/api/incidents/" + incA + "/assign", analyst, "{}").status()).isEqualTo(400);
        assertThat(call("POST", "/api/incidents/" + incA + "/assign", analyst, "{\"assignee\":\"bob\"}").body()
            .get("assignee").asText()).isEqualTo("bob");
        assertThat(call("POST", "/api/incidents/" + incA + "/close", admin, "{\"comment\":\"contained\"}").body()
            .get("status").asText()).isEqualTo("closed");
        assertThat(call("GET", "/api/audit", analyst, null).status()).isEqualTo(403);
        JsonNode audit = call("GET", "/api/audit", admin, null).body().get("items");
        assertThat(audit).extracting(e -> e.get("user").asText() + " " + e.get("action").asText() + " "
            + e.get("comment").asText()).containsExactly("root close contained", "ana assign ", "ana acknowledge on it");

        // the OpenAPI document and the dashboard need no token
        Response openapi = call("GET", "/api/openapi.json", null, null);
        assertThat(openapi.body().get("openapi").asText()).startsWith("3.");
        assertThat(openapi.body().get("paths").has("/api/incidents/{id}/acknowledge")).isTrue();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<script src=\"/app.js\"").doesNotContain("http://").doesNotContain("https://");
      } finally {
        server.close();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void rateLimitRefusesTheExcess() {
    ApiServer.RateLimiter limiter = new ApiServer.RateLimiter(3, 60_000);
    assertThat(List.of(limiter.allow("a"), limiter.allow("a"), limiter.allow("a"), limiter.allow("a"),
        limiter.allow("b"))).containsExactly(true, true, true, false, true);
  }
}
