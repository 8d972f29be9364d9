package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.store.Role;
import dev.vigil.store.User;
import dev.vigil.store.VigilStore;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the dashboard in headless Chromium through chromedriver's WebDriver HTTP API (no Selenium dependency):
 * sign in, open the incident, see the timeline and the chart, acknowledge it. Screenshots go to
 * target/screenshots/. Needs Debian's chromium and chromium-driver (.ci/run installs them); fails without them.
 */
class DashboardBrowserTest {
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private String driver;

  private JsonNode wd(String method, String path, JsonNode body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(driver + path)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = Batches.JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      throw new AssertionError("WebDriver " + method + " " + path + ": " + r.body());
    }
    return json.get("value");
  }

  private JsonNode script(String session, String js) throws Exception {
    ObjectNode o = Batches.JSON.createObjectNode().put("script", js);
    o.putArray("args");
    return wd("POST", "/session/" + session + "/execute/sync", o);
  }

  private void waitFor(String session, String condition) throws Exception {
    long end = System.currentTimeMillis() + 20_000;
    while (!script(session, "return !!(" + condition + ");").asBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out waiting for " + condition);
      }
      Thread.sleep(100);
    }
  }

  private String element(String session, String css) throws Exception {
    return wd("POST", "/session/" + session + "/element",
        Batches.JSON.createObjectNode().put("using", "css selector").put("value", css)).get(ELEMENT).asText();
  }

  private void screenshot(String session, String name) throws Exception {
    Path out = Path.of("target", "screenshots");
    Files.createDirectories(out);
    Files.write(out.resolve(name + ".png"),
        Base64.getDecoder().decode(wd("GET", "/session/" + session + "/screenshot", null).asText()));
  }

  @Test
  void signInOpenTheIncidentSeeTimelineAndChartAndAcknowledge() throws Exception {
    for (String exe : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
      assertThat(Path.of(exe)).as(exe + " (apt-get install -y chromium chromium-driver)").isExecutable();
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process chromedriver = new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromedriver.log").toFile()).start();
    driver = "http://127.0.0.1:" + port;
    try (VigilStore store = VigilStore.open(dir.resolve("store").toString())) {
      store.putUser(new User("ana", Role.ANALYST, null));
      String token = store.issueToken("ana");
      try (VigilServer server = new VigilServer(store, List.of(new Batches.TruffleHogDetector()),
          TenantMap.defaults(), new InetSocketAddress("127.0.0.1", 0), null, (k, i) -> { }).start()) {
        java.util.List<dev.vigil.ingest.AuditEvent> events = new java.util.ArrayList<>();
        var records = Batches.twoChains("ev", Instant.parse("2026-03-19T10:00:00Z"));
        for (int i = 0; i < records.size(); i++) {
          events.add(dev.vigil.ingest.CloudTrailNormalizer.normalize(records.get(i),
              new dev.vigil.ingest.AuditEvent.Origin("test", i)));
        }
        server.pipeline().ingest(events);
        for (int i = 0; i < 50; i++) {
          try {
            http.send(HttpRequest.newBuilder(URI.create(driver + "/status")).build(),
                HttpResponse.BodyHandlers.ofString());
            break;
          } catch (java.io.IOException notYet) {
            Thread.sleep(100);
          }
        }
        ObjectNode caps = Batches.JSON.createObjectNode();
        ObjectNode chrome = caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
            .putObject("goog:chromeOptions").put("binary", "/usr/bin/chromium");
        var argsNode = chrome.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,1000", "--user-data-dir=" + dir.resolve("chrome-profile"))) {
          argsNode.add(a);
        }
        String session = wd("POST", "/session", caps).get("sessionId").asText();
        try {
          wd("POST", "/session/" + session + "/url", Batches.JSON.createObjectNode().put("url", server.url()));
          waitFor(session, "document.getElementById('token') && !document.getElementById('signin').hidden");
          screenshot(session, "1-signin");
          wd("POST", "/session/" + session + "/element/" + element(session, "#token") + "/value",
              Batches.JSON.createObjectNode().put("text", token));
          wd("POST", "/session/" + session + "/element/" + element(session, "#signin-button") + "/click",
              Batches.JSON.createObjectNode());
          waitFor(session, "document.querySelectorAll('#incidents tbody tr').length === 2");
          assertThat(script(session, "return document.getElementById('who').textContent;").asText())
              .isEqualTo("ana (analyst)");
          screenshot(session, "2-incidents");
          String row = script(session, "return [...document.querySelectorAll('#incidents tbody tr')]"
              + ".find(r => r.textContent.includes('AKIAATTACKER0000000A')).dataset.id;").asText();
          wd("POST", "/session/" + session + "/element/" + element(session, "tr[data-id='" + row + "']") + "/click",
              Batches.JSON.createObjectNode());
          waitFor(session, "!document.getElementById('incident').hidden "
              + "&& document.querySelectorAll('#timeline li').length > 0 "
              + "&& document.querySelectorAll('#bytes-chart rect').length > 0");
          assertThat(script(session, "return document.querySelector('#timeline').textContent;").asText())
              .containsIgnoringCase("credential");
          assertThat(script(session, "return document.querySelector('#bytes-chart').textContent;").asText())
              .contains("tenant-a");
          assertThat(script(session, "return document.querySelectorAll('#evidence tbody tr').length;").asInt())
              .isEqualTo(1);
          screenshot(session, "3-incident");
          wd("POST", "/session/" + session + "/element/" + element(session, "#comment") + "/value",
              Batches.JSON.createObjectNode().put("text", "seen in the browser"));
          wd("POST", "/session/" + session + "/element/" + element(session, "#ack") + "/click",
              Batches.JSON.createObjectNode());
          waitFor(session, "document.getElementById('inc-meta').dataset.status === 'acknowledged'");
          screenshot(session, "4-acknowledged");
          assertThat(store.incident(row, null).orElseThrow().status()).isEqualTo("acknowledged");
          assertThat(store.auditLog(5)).singleElement().satisfies(e -> {
            assertThat(e.user()).isEqualTo("ana");
            assertThat(e.detail()).isEqualTo("seen in the browser");
          });
        } finally {
          wd("DELETE", "/session/" + session, null);
        }
      }
    } finally {
      chromedriver.destroyForcibly();
      chromedriver.waitFor();
    }
  }
}
