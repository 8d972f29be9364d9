package dev.vigil.server.notify;

import java.io.IOException;

/** One place notifications go (a webhook, an SMTP relay). */
public interface NotificationChannel {

  /** How the channel appears in logs: never with credentials or secret path parts. */
  String describe();

  /**
   * Delivers one notice.
   *
   * @throws DeliveryException when the receiver answered and will not take it (retrying would not help)
   * @throws IOException on any failure worth retrying (connection, timeout, temporary refusal)
   */
  void deliver(IncidentNotice notice) throws IOException;

  /** A refusal that retrying cannot fix (e.g. HTTP 400, SMTP 550). */
  final class DeliveryException extends IOException {
    public DeliveryException(String message) {
      super(message);
    }
  }
}
