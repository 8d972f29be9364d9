package dev.vigil.server.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends each notice as a plain-text e-mail through an SMTP relay, with the JDK only (no mail library).
 * {@code smtp://} upgrades with STARTTLS when the relay offers it; {@code smtps://} is TLS from the first byte.
 * Credentials are only ever sent over TLS, or to a relay on this machine's loopback. 4xx replies and broken
 * connections are worth retrying; 5xx replies (unknown recipient, failed authentication) are refusals.
 */
public final class SmtpChannel implements NotificationChannel {

  /** Where and how to send; {@code password} is never shown by {@link #toString()}. */
  public record Settings(String host, int port, boolean implicitTls, String user, String password, String from,
      List<String> to, int timeoutMillis) {
    public Settings {
      to = List.copyOf(to);
      for (String address : to) {
        checkAddress("--mail-to", address);
      }
      checkAddress("--mail-from", from);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("e-mail notifications need at least one --mail-to address");
      }
    }

    /**
     * Reads {@code smtp[s]://[user@]host[:port]}; the password comes separately (an environment variable),
     * so that it appears in neither the command line nor the process list.
     */
    public static Settings parse(String url, String password, String from, List<String> to, int timeoutMillis) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--smtp: not a URL: expected smtp://[user@]host[:port] or smtps://...");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
        throw new IllegalArgumentException("--smtp: expected smtp://[user@]host[:port] or smtps://[user@]host[:port]");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("--smtp: the URL has no host");
      }
      String user = null;
      if (uri.getRawUserInfo() != null) {
        if (uri.getRawUserInfo().contains(":")) {
          throw new IllegalArgumentException("--smtp: put the password in the environment variable "
              + "VIGIL_SMTP_PASSWORD, not in the URL (command lines are visible to other users)");
        }
        user = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
      }
      boolean tls = scheme.equals("smtps");
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 25;
      if (user != null && (password == null || password.isEmpty())) {
        throw new IllegalArgumentException("--smtp names user " + user + " but VIGIL_SMTP_PASSWORD is not set");
      }
      return new Settings(uri.getHost(), port, tls, user, password, from, to, timeoutMillis);
    }

    @Override
    public String toString() {
      return (implicitTls ? "smtps://" : "smtp://") + (user == null ? "" : user + "@") + host + ":" + port;
    }
  }

  private final Settings settings;
  private final SSLSocketFactory tlsSockets;

  public SmtpChannel(Settings settings) {
    this(settings, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  SmtpChannel(Settings settings, SSLSocketFactory tlsSockets) {
    this.settings = settings;
    this.tlsSockets = tlsSockets;
  }

  @Override
  public String describe() {
    return "e-mail via " + settings + " to " + String.join(", ", settings.to());
  }

  @Override
  public void deliver(IncidentNotice notice) throws IOException {
    Socket raw = new Socket();
    raw.connect(new InetSocketAddress(settings.host(), settings.port()), settings.timeoutMillis());
    raw.setSoTimeout(settings.timeoutMillis());
    Socket socket = raw;
    boolean tls = false;
    try {
      if (settings.implicitTls()) {
        socket = startTls(raw);
        tls = true;
      }
      Conversation smtp = new Conversation(socket);
      smtp.expect("greeting", 220);
      List<String> features = smtp.ehlo();
      if (!tls && features.stream().anyMatch(f -> f.equalsIgnoreCase("STARTTLS"))) {
        smtp.command("STARTTLS", 220);
        socket = startTls(raw);
        tls = true;
        smtp = new Conversation(socket);
        features = smtp.ehlo();
      }
      if (settings.user() != null) {
        if (!tls && !isLoopback(settings.host())) {
          throw new DeliveryException("the relay offers no STARTTLS; Vigil does not send the SMTP password in clear"
              + " text (use smtps://, or a relay on loopback)");
        }
        authenticate(smtp, features);
      }
      smtp.command("MAIL FROM:<" + settings.from() + ">", 250);
      int accepted = 0;
      IOException lastRefusal = null;
      for (String to : settings.to()) {
        try {
          smtp.command("RCPT TO:<" + to + ">", 250, 251);
          accepted++;
        } catch (DeliveryException e) {
          lastRefusal = e; // one unknown recipient must not keep the others from the notice
        }
      }
      if (accepted == 0) {
        throw lastRefusal != null ? lastRefusal : new DeliveryException("no recipient accepted");
      }
      smtp.command("DATA", 354);
      smtp.sendData(message(notice));
      smtp.expect("end of data", 250);
      try {
        smtp.command("QUIT", 221);
      } catch (IOException e) {
        // the message is accepted; a relay that hangs up without a goodbye changes nothing
      }
    } finally {
      socket.close();
      raw.close();
    }
  }

  private void authenticate(Conversation smtp, List<String> features) throws IOException {
    String mechanisms = features.stream().filter(f -> f.toUpperCase(Locale.ROOT).startsWith("AUTH"))
        .findFirst().orElse("").toUpperCase(Locale.ROOT);
    Base64.Encoder b64 = Base64.getEncoder();
    if (mechanisms.contains("PLAIN") || mechanisms.isEmpty()) {
      String token = b64.encodeToString(("\0" + settings.user() + "\0" + settings.password())
          .getBytes(StandardCharsets.UTF_8));
      smtp.secretCommand("AUTH PLAIN " + token, "AUTH PLAIN ***", 235);
    } else if (mechanisms.contains("LOGIN")) {
      smtp.command("AUTH LOGIN", 334);
      smtp.secretCommand(b64.encodeToString(settings.user().getBytes(StandardCharsets.UTF_8)), "(user name)", 334);
      smtp.secretCommand(b64.encodeToString(settings.password().getBytes(StandardCharsets.UTF_8)), "(password)", 235);
    } else {
      throw new DeliveryException("the relay offers neither AUTH PLAIN nor AUTH LOGIN (" + mechanisms + ")");
    }
  }

  private Socket startTls(Socket raw) throws IOException {
    SSLSocket tls = (SSLSocket) tlsSockets.createSocket(raw, settings.host(), settings.port(), true);
    javax.net.ssl.SSLParameters params = tls.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the relay's certificate must name the host
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /** The RFC 5322 message: headers, then the body (7bit when ASCII, base64 otherwise). */
  String message(IncidentNotice notice) {
    String text = notice.text();
    boolean ascii = text.chars().allMatch(c -> c < 128);
    StringBuilder m = new StringBuilder();
    m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
    m.append("From: ").append(settings.from()).append("\r\n");
    m.append("To: ").append(String.join(", ", settings.to())).append("\r\n");
    m.append("Subject: ").append(headerText(notice.subject())).append("\r\n");
    m.append("Message-ID: <").append(UUID.randomUUID()).append("@vigil>\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: text/plain; charset=UTF-8\r\n");
    m.append("Content-Transfer-Encoding: ").append(ascii ? "7bit" : "base64").append("\r\n");
    m.append("X-Vigil-Incident: ").append(headerText(notice.incident().id())).append("\r\n");
    m.append("\r\n");
    if (ascii) {
      m.append(text.replace("\r\n", "\n").replace("\n", "\r\n"));
    } else {
      m.append(Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))).append("\r\n");
    }
    return m.toString();
  }

  /** A header value: one line, RFC 2047-encoded when not ASCII. */
  static String headerText(String value) {
    String oneLine = value.replaceAll("[\\r\\n]+", " ");
    if (oneLine.chars().allMatch(c -> c >= 32 && c < 127)) {
      return oneLine;
    }
    return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(oneLine.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  private static void checkAddress(String option, String address) {
    if (address == null || !address.matches("[^\\s<>@,;:\"]+@[^\\s<>@,;:\"]+")) {
      throw new IllegalArgumentException(option + ": not an e-mail address: " + address);
    }
  }

  /** One SMTP dialogue over a socket: commands out, multi-line replies in. */
  private static final class Conversation {
    private final BufferedReader in;
    private final OutputStream out;

    Conversation(Socket socket) throws IOException {
      this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      this.out = socket.getOutputStream();
    }

    List<String> ehlo() throws IOException {
      String name = "vigil.localdomain";
      write("EHLO " + name);
      Reply reply = read();
      if (reply.code == 250) {
        return reply.lines.subList(1, reply.lines.size()); // the first line is the greeting
      }
      write("HELO " + name);
      check("HELO", read(), 250);
      return List.of();
    }

    void command(String line, int... accepted) throws IOException {
      write(line);
      check(line, read(), accepted);
    }

    /** A command with a credential in it: failures name {@code shown}, never the line itself. */
    void secretCommand(String line, String shown, int... accepted) throws IOException {
      write(line);
      check(shown, read(), accepted);
    }

    void expect(String what, int... accepted) throws IOException {
      check(what, read(), accepted);
    }

    void sendData(String message) throws IOException {
      StringBuilder b = new StringBuilder(message.length() + 64);
      for (String line : message.split("\r\n", -1)) {
        b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n"); // dot-stuffing (RFC 5321 4.5.2)
      }
      if (!message.endsWith("\r\n")) {
        b.append("\r\n");
      } else {
        b.setLength(b.length() - 2); // split left an empty last element
      }
      b.append(".\r\n");
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private void write(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private Reply read() throws IOException {
      List<String> lines = new ArrayList<>();
      while (true) {
        String line = in.readLine();
        if (line == null) {
          throw new IOException("the relay closed the connection");
        }
        if (line.length() < 3 || !Character.isDigit(line.charAt(0))) {
          throw new IOException("not an SMTP reply: " + abbreviate(line));
        }
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (line.length() < 4 || line.charAt(3) != '-') {
          return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
        }
      }
    }

    private static void check(String what, Reply reply, int... accepted) throws IOException {
      for (int code : accepted) {
        if (reply.code == code) {
          return;
        }
      }
      String said = reply.code + " " + abbreviate(String.join(" ", reply.lines));
      String shown = what.startsWith("AUTH PLAIN ") ? "AUTH PLAIN ***" : what;
      if (reply.code >= 500) {
        throw new DeliveryException(shown + ": " + said);
      }
      throw new IOException(shown + ": " + said);
    }

    private static String abbreviate(String s) {
      return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
  }

  private record Reply(int code, List<String> lines) {}
}
