package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.Touch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Notifier.Retry FAST = new Notifier.Retry(4, Duration.ofMillis(10), Duration.ofMillis(50));
  // generated per run, so that no credential-shaped literal sits in the tree (SelfScanTest scans it)
  private static final String PATH_SECRET = java.util.UUID.randomUUID().toString().replace("-", "");
  private static final String SECRET_PATH = "/services/T0000/B0000/" + PATH_SECRET;
  private static final String SMTP_PASSWORD = java.util.UUID.randomUUID().toString();

  private final List<String> log = new CopyOnWriteArrayList<>();
  private HttpServer http;
  private Notifier notifier;

  private static StoredIncident incident() {
    return new StoredIncident("inc-0001", "Access key AKIAEXAMPLEKEY used from new network; data read from 3 tenants",
        "critical", 5, "open", null, 1_774_000_000_000L, 1_774_000_360_000L, "{}",
        List.of(Touch.tenant("tenant-a"), Touch.tenant("tenant-b"), Touch.account("111122223333"),
            Touch.key("AKIAEXAMPLEKEY"), Touch.address("203.0.113.7"), Touch.bucket("tenant-a-mail")));
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close(Duration.ofSeconds(1));
    }
    if (http != null) {
      http.stop(0);
    }
  }

  /** A webhook that answers the statuses in turn (the last one repeats) and records what it got. */
  private URI webhook(List<Map<String, String>> requests, int... statuses) throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger n = new AtomicInteger();
    http.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String signature = exchange.getRequestHeaders().getFirst("X-Vigil-Signature-256");
      requests.add(Map.of("path", exchange.getRequestURI().getPath(), "body", body,
          "signature", signature == null ? "" : signature,
          "type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))));
      int i = n.getAndIncrement();
      exchange.sendResponseHeaders(statuses[Math.min(i, statuses.length - 1)], -1);
      exchange.close();
    });
    http.start();
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + SECRET_PATH);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }

  private static String hmac(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aWebhookThatFailsTwiceGetsTheNoticeOnTheThirdAttemptSignedAndWhole() throws Exception {
    List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    URI url = webhook(requests, 503, 500, 204);
    notifier = new Notifier(List.of(new WebhookChannel(url, "hook-signing-secret", Duration.ofSeconds(5))), FAST,
        "http://127.0.0.1:8737/", log::add, 100);

    notifier.accept("new", incident());
    await(() -> notifier.stats().delivered() == 1);

    assertThat(requests).hasSize(3);
    Map<String, String> last = requests.get(2);
    assertThat(last.get("path")).isEqualTo(SECRET_PATH);
    assertThat(last.get("type")).isEqualTo("application/json");
    assertThat(last.get("signature")).isEqualTo(hmac("hook-signing-secret", last.get("body")));
    JsonNode body = JSON.readTree(last.get("body"));
    assertThat(body.get("event").asText()).isEqualTo("incident.new");
    assertThat(body.at("/incident/id").asText()).isEqualTo("inc-0001");
    assertThat(body.at("/incident/severity").asText()).isEqualTo("critical");
    assertThat(body.at("/incident/tenants").toString()).isEqualTo("[\"tenant-a\",\"tenant-b\"]");
    assertThat(body.at("/incident/keys").toString()).isEqualTo("[\"AKIAEXAMPLEKEY\"]");
    assertThat(body.at("/incident/opened_at").asText()).isEqualTo("2026-03-20T09:46:40Z");
    assertThat(body.get("link").asText()).isEqualTo("http://127.0.0.1:8737/#incident/inc-0001");
    assertThat(notifier.stats()).isEqualTo(new Notifier.Stats(1, 2, 0, 0));
    assertThat(log).hasSize(3);
    assertThat(log.get(0)).contains("webhook http://127.0.0.1:" + url.getPort() + "/…", "HTTP 503", "retry 2/4");
    assertThat(log.get(2)).contains("delivered on attempt 3");
    assertThat(String.join("\n", log)).doesNotContain(PATH_SECRET, "hook-signing-secret");
  }

  @Test
  void aWebhookRefusalIsNotRetried() throws Exception {
    List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    notifier = new Notifier(List.of(new WebhookChannel(webhook(requests, 400), null, Duration.ofSeconds(5))), FAST,
        null, log::add, 100);

    notifier.accept("escalated", incident());
    await(() -> notifier.stats().failed() == 1);

    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).get("signature")).isEmpty();
    assertThat(JSON.readTree(requests.get(0).get("body")).get("event").asText()).isEqualTo("incident.escalated");
    assertThat(notifier.stats()).isEqualTo(new Notifier.Stats(0, 0, 1, 0));
    assertThat(log).singleElement().asString().contains("refused: HTTP 400");
  }

  @Test
  void aDeadWebhookIsTriedExactlyAttemptsTimesThenReported() throws Exception {
    List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    notifier = new Notifier(List.of(new WebhookChannel(webhook(requests, 502), null, Duration.ofSeconds(5))), FAST,
        null, log::add, 100);

    notifier.accept("new", incident());
    await(() -> notifier.stats().failed() == 1);

    assertThat(requests).hasSize(4);
    assertThat(notifier.stats()).isEqualTo(new Notifier.Stats(0, 3, 1, 0));
    assertThat(log.get(log.size() - 1)).contains("failed after 4 attempt(s): HTTP 502");
    assertThat(notifier.pending()).isZero();
  }

  @Test
  void deliveriesBeyondTheQueueBoundAreCountedAndLoggedNotSilentlyLost() throws Exception {
    List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    URI url = webhook(requests, 204);
    // a channel that blocks until released holds the single worker, so the queue fills
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    NotificationChannel slow = new NotificationChannel() {
      final WebhookChannel inner = new WebhookChannel(url, null, Duration.ofSeconds(5));

      @Override
      public String describe() {
        return inner.describe();
      }

      @Override
      public void deliver(IncidentNotice notice) throws java.io.IOException {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new java.io.IOException("interrupted");
        }
        inner.deliver(notice);
      }
    };
    notifier = new Notifier(List.of(slow), FAST, null, log::add, 2);
    notifier.accept("new", incident());
    notifier.accept("escalated", incident());
    notifier.accept("escalated", incident());
    release.countDown();
    await(() -> notifier.stats().delivered() == 2);

    assertThat(notifier.stats()).isEqualTo(new Notifier.Stats(2, 0, 0, 1));
    assertThat(log).singleElement().asString().contains("not queued: 2 deliveries already waiting");
  }

  @Test
  void eMailGoesThroughTheRelayWithAuthAndNeverLogsThePassword() throws Exception {
    try (FakeSmtpRelay relay = new FakeSmtpRelay(n -> FakeSmtpRelay.Behaviour.ACCEPT)) {
      SmtpChannel.Settings settings = SmtpChannel.Settings.parse("smtp://soc-bot@127.0.0.1:" + relay.port(),
          SMTP_PASSWORD, "vigil@soc.example", List.of("oncall@soc.example", "cert@soc.example"), 5000);
      notifier = new Notifier(List.of(new SmtpChannel(settings)), FAST, "https://vigil.soc.example/", log::add, 100);

      notifier.accept("new", incident());
      await(() -> notifier.stats().delivered() == 1);

      String auth = relay.received.stream().filter(l -> l.startsWith("AUTH PLAIN ")).findFirst().orElseThrow();
      assertThat(new String(Base64.getDecoder().decode(auth.substring(11)), StandardCharsets.UTF_8))
          .isEqualTo("\0soc-bot\0" + SMTP_PASSWORD);
      assertThat(relay.received).contains("MAIL FROM:<vigil@soc.example>", "RCPT TO:<oncall@soc.example>",
          "RCPT TO:<cert@soc.example>", "DATA", "QUIT");
      String message = relay.messages.get(0);
      assertThat(message).contains(
          "From: vigil@soc.example\n",
          "To: oncall@soc.example, cert@soc.example\n",
          "Subject: [Vigil] New critical incident: Access key AKIAEXAMPLEKEY used from new network; data read from 3 tenants\n",
          "X-Vigil-Incident: inc-0001\n",
          "Incident:  inc-0001\n",
          "Tenants:   tenant-a, tenant-b\n",
          "Open it: https://vigil.soc.example/#incident/inc-0001\n");
      assertThat(log).isEmpty();
      assertThat(settings.toString()).isEqualTo("smtp://soc-bot@127.0.0.1:" + relay.port());
      assertThat(notifier.channels().get(0).describe()).doesNotContain(SMTP_PASSWORD);
    }
  }

  @Test
  void aBusyRelayIsRetriedAndAnUnknownRecipientIsNot() throws Exception {
    try (FakeSmtpRelay relay = new FakeSmtpRelay(n -> n == 0 ? FakeSmtpRelay.Behaviour.BUSY
        : FakeSmtpRelay.Behaviour.ACCEPT)) {
      notifier = new Notifier(List.of(new SmtpChannel(SmtpChannel.Settings.parse("smtp://127.0.0.1:" + relay.port(),
          null, "vigil@soc.example", List.of("oncall@soc.example"), 5000))), FAST, null, log::add, 100);
      notifier.accept("escalated", incident());
      await(() -> notifier.stats().delivered() == 1);
      assertThat(relay.connections).containsExactly(0, 1);
      assertThat(relay.messages).singleElement().asString().contains("Subject: [Vigil] Escalated critical incident");
      assertThat(log).hasSize(2);
      assertThat(log.get(0)).contains("greeting: 421 4.3.2 too busy", "retry 2/4");
    }
    log.clear();
    try (FakeSmtpRelay relay = new FakeSmtpRelay(n -> FakeSmtpRelay.Behaviour.UNKNOWN_RECIPIENT)) {
      Notifier refusing = new Notifier(List.of(new SmtpChannel(SmtpChannel.Settings.parse("smtp://127.0.0.1:"
          + relay.port(), null, "vigil@soc.example", List.of("nobody@soc.example"), 5000))), FAST, null, log::add, 100);
      refusing.accept("new", incident());
      await(() -> refusing.stats().failed() == 1);
      refusing.close(Duration.ofSeconds(1));
      assertThat(relay.connections).containsExactly(0);
      assertThat(relay.messages).isEmpty();
      assertThat(log).singleElement().asString().contains("refused: RCPT TO:<nobody@soc.example>: 550 5.1.1 no such user");
    }
  }

  @Test
  void settingsRefuseAPasswordInTheUrlAndHeaderInjection() {
    assertThatThrownBy(() -> SmtpChannel.Settings.parse("smtp://bot:" + SMTP_PASSWORD + "@relay.example:587", null,
        "vigil@soc.example", List.of("a@soc.example"), 1000))
        .hasMessageContaining("VIGIL_SMTP_PASSWORD").hasMessageNotContaining(SMTP_PASSWORD);
    assertThatThrownBy(() -> SmtpChannel.Settings.parse("smtp://bot@relay.example", null,
        "vigil@soc.example", List.of("a@soc.example"), 1000)).hasMessageContaining("VIGIL_SMTP_PASSWORD is not set");
    assertThatThrownBy(() -> SmtpChannel.Settings.parse("smtp://relay.example", null,
        "vigil@soc.example", List.of("a@soc.example\r\nBcc: x@evil.example"), 1000))
        .hasMessageContaining("not an e-mail address");
    assertThatThrownBy(() -> SmtpChannel.Settings.parse("http://relay.example", null,
        "vigil@soc.example", List.of("a@soc.example"), 1000)).hasMessageContaining("smtp://");
    assertThat(SmtpChannel.headerText("Zugriff auf Mandant Müller\r\nBcc: x")).isEqualTo(
        "=?UTF-8?B?" + Base64.getEncoder().encodeToString("Zugriff auf Mandant Müller Bcc: x"
            .getBytes(StandardCharsets.UTF_8)) + "?=");
    assertThat(SmtpChannel.Settings.parse("smtps://relay.example", null, "v@s.example", List.of("a@s.example"), 1)
        .port()).isEqualTo(465);
  }

  @Test
  void webhookUrlsAreRedactedToSchemeHostAndPort() {
    assertThat(WebhookChannel.redact(URI.create("https://hooks.slack.com/services/T00/B00/XXXX?token=abc")))
        .isEqualTo("https://hooks.slack.com/…");
    assertThat(WebhookChannel.redact(URI.create("http://10.0.0.5:8080"))).isEqualTo("http://10.0.0.5:8080");
    assertThatThrownBy(() -> new WebhookChannel(URI.create("ftp://x.example/a"), null, Duration.ofSeconds(1)))
        .hasMessageContaining("http:// or https://");
  }
}
