package dev.vigil.respond.pii;

import java.util.List;

/**
 * One e-mail as far as impact assessment needs it.
 *
 * @param senders    From / Sender / Reply-To mailboxes
 * @param recipients To / Cc / Bcc mailboxes
 * @param text       decoded text of the subject and every text part
 */
public record MailMessage(List<Mailbox> senders, List<Mailbox> recipients, String text) {

  /** An address with the display name given beside it, if any. */
  public record Mailbox(String name, String address) {}
}
