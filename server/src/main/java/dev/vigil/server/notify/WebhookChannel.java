package dev.vigil.server.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs each notice as JSON. With a signing secret, the body's HMAC-SHA256 goes in
 * {@code X-Vigil-Signature-256: sha256=HEX} so the receiver can tell Vigil from anyone who learnt the URL.
 * 2xx is delivered; 408, 425, 429 and 5xx are retried; any other status is a refusal.
 */
public final class WebhookChannel implements NotificationChannel {
  private final URI url;
  private final byte[] signingSecret;
  private final HttpClient client;
  private final Duration timeout;

  public WebhookChannel(URI url, String signingSecret, Duration timeout) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("a webhook URL must be http:// or https://: " + redact(url));
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("a webhook URL needs a host: " + redact(url));
    }
    this.url = url;
    this.signingSecret = signingSecret == null || signingSecret.isEmpty() ? null
        : signingSecret.getBytes(StandardCharsets.UTF_8);
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * The URL as logs show it: scheme, host and port only, because chat webhooks (Slack, Teams) carry their
   * secret in the path or the query.
   */
  public static String redact(URI url) {
    String host = url.getHost() == null ? "?" : url.getHost();
    return (url.getScheme() == null ? "" : url.getScheme() + "://") + host + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/") ? "" : "/…");
  }

  @Override
  public String describe() {
    return "webhook " + redact(url);
  }

  @Override
  public void deliver(IncidentNotice notice) throws IOException {
    byte[] body = notice.json().getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "vigil-serve")
        .header("X-Vigil-Event", "incident." + notice.kind())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signingSecret != null) {
      request.header("X-Vigil-Signature-256", "sha256=" + sign(body));
    }
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 408 || status == 425 || status == 429 || status >= 500) {
      throw new IOException("HTTP " + status);
    }
    throw new DeliveryException("HTTP " + status + " (not retried)");
  }

  /** Hex HMAC-SHA256 of the body under the signing secret. */
  String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
