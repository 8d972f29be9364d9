package dev.vigil.server.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A scripted SMTP relay on loopback for tests: it records every line it receives and every message body, and
 * answers as {@code behaviour} says for each connection (0-based): accept, refuse at greeting with 421, or
 * refuse every recipient with 550.
 */
final class FakeSmtpRelay implements AutoCloseable {
  enum Behaviour { ACCEPT, BUSY, UNKNOWN_RECIPIENT }

  final List<String> received = new CopyOnWriteArrayList<>();
  final List<String> messages = new CopyOnWriteArrayList<>();
  final List<Integer> connections = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Thread thread;

  FakeSmtpRelay(IntFunction<Behaviour> behaviour) throws IOException {
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> {
      int n = 0;
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.add(n);
          converse(s, behaviour.apply(n++));
        } catch (IOException e) {
          // closed by the test or by the client; next connection
        }
      }
    }, "fake-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void converse(Socket s, Behaviour behaviour) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = s.getOutputStream();
    if (behaviour == Behaviour.BUSY) {
      say(out, "421 4.3.2 too busy, try later");
      return;
    }
    say(out, "220 fake.relay ESMTP ready");
    String line;
    while ((line = in.readLine()) != null) {
      received.add(line);
      String upper = line.toUpperCase();
      if (upper.startsWith("EHLO")) {
        say(out, "250-fake.relay greets you\r\n250-SIZE 1000000\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME");
      } else if (upper.startsWith("AUTH PLAIN")) {
        say(out, "235 2.7.0 ok");
      } else if (upper.startsWith("MAIL FROM")) {
        say(out, "250 ok");
      } else if (upper.startsWith("RCPT TO")) {
        say(out, behaviour == Behaviour.UNKNOWN_RECIPIENT ? "550 5.1.1 no such user" : "250 ok");
      } else if (upper.equals("DATA")) {
        say(out, "354 go ahead");
        StringBuilder message = new StringBuilder();
        String data;
        while ((data = in.readLine()) != null && !data.equals(".")) {
          message.append(data).append('\n');
        }
        messages.add(message.toString());
        say(out, "250 2.0.0 queued");
      } else if (upper.equals("QUIT")) {
        say(out, "221 bye");
        return;
      } else {
        say(out, "502 unknown command");
      }
    }
  }

  private static void say(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
