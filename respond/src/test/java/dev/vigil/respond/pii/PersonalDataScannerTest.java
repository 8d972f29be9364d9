package dev.vigil.respond.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PersonalDataScannerTest {
  private final PersonalDataScanner scanner = new PersonalDataScanner("BE");

  private PersonalDataTally scan(String name, String content) {
    PersonalDataTally tally = new PersonalDataTally();
    scanner.scan(name, content.getBytes(StandardCharsets.UTF_8), tally);
    return tally;
  }

  @Test
  void anEmlCountsSendersRecipientsNamesPhonesAndIbans() {
    String iban = Iban.withChecksum("BE", "096123456769");
    String body = "Dear Mr Peeters,\n\nplease call me on +32 475 12 34 56 or at 02 555 12 34.\n"
        + "Refund to " + iban + " please. Copy to marie.dubois@example.org.\n"
        + "Not an IBAN: BE00 1234 5678 9012. Not a phone: 2026-03-19.\n";
    String eml = "From: \"Jan Peeters\" <Jan.Peeters@example.eu>\n"
        + "To: Support Team <support@example.eu>, An Janssens <an.janssens@example.be>\n"
        + "Cc: bob@example.net\n"
        + "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Terugbetaling €".getBytes(StandardCharsets.UTF_8))
        + "?=\n"
        + "Content-Type: text/plain; charset=utf-8\n\n" + body;
    PersonalDataTally t = scan("mail/outbound/0001.eml", eml);
    assertThat(t.messages()).isEqualTo(1);
    assertThat(t.senders()).isEqualTo(1);
    assertThat(t.recipients()).isEqualTo(3);
    assertThat(t.dataSubjects()).as("jan, support, an, bob, marie").isEqualTo(5);
    assertThat(t.names()).as("'Support Team' is a role, not a person").isEqualTo(2);
    assertThat(t.phoneNumbers()).isEqualTo(2);
    assertThat(t.ibans()).isEqualTo(1);
    assertThat(t.samples()).contains("j***@e***.eu", "A. J.", "J. P.", "+32 *** ** 56", "BE** **** **** 6769")
        .noneMatch(s -> s.contains("Peeters") || s.contains(iban));
    assertThat(t.categories()).contains("content of communications (e-mail)", "financial (bank account numbers)");
  }

  @Test
  void multipartAndQuotedPrintableBodiesAreDecoded() {
    String eml = "From: alice@example.eu\nTo: carol@example.eu\n"
        + "Content-Type: multipart/mixed; boundary=\"XYZ\"\n\n"
        + "--XYZ\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + "Contact: dave=40example.eu =\nthanks\n"
        + "--XYZ\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
        + Base64.getMimeEncoder().encodeToString("erin@example.eu".getBytes(StandardCharsets.UTF_8)) + "\n"
        + "--XYZ\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
        + Base64.getEncoder().encodeToString("frank@example.eu".getBytes(StandardCharsets.UTF_8)) + "\n"
        + "--XYZ--\n";
    PersonalDataTally t = scan("x.eml", eml);
    assertThat(t.dataSubjects()).as("alice, carol, dave, erin; not frank inside an image").isEqualTo(4);
  }

  @Test
  void anMboxHoldsSeveralMessages() {
    String mbox = "From alice@example.eu Thu Mar 19 10:00:00 2026\nFrom: alice@example.eu\nTo: bob@example.eu\n\n"
        + "hello\n>From here on\n\n"
        + "From bob@example.eu Thu Mar 19 11:00:00 2026\nFrom: bob@example.eu\nTo: alice@example.eu\n\nhi\n";
    PersonalDataTally t = scan("box.mbox", mbox);
    assertThat(t.messages()).isEqualTo(2);
    assertThat(t.dataSubjects()).isEqualTo(2);
    assertThat(t.senders()).isEqualTo(2);
  }

  @Test
  void tenantTalliesAddUpWithoutDoubleCounting() {
    PersonalDataTally tenant = new PersonalDataTally();
    tenant.addAll(scan("a.eml", "From: a@example.eu\nTo: b@example.eu\n\nx"));
    tenant.addAll(scan("b.eml", "From: b@example.eu\nTo: c@example.eu\n\nx"));
    assertThat(tenant.objects()).isEqualTo(2);
    assertThat(tenant.messages()).isEqualTo(2);
    assertThat(tenant.dataSubjects()).isEqualTo(3);
  }

  @Test
  void pagesWithoutPersonalDataCountNothing() {
    PersonalDataTally t = scan("site/index.html", "<html><body>Welcome to our agency. Version 1.2.3.</body></html>");
    assertThat(t.objects()).isEqualTo(1);
    assertThat(t.dataSubjects()).isZero();
    assertThat(t.phoneNumbers()).isZero();
    assertThat(t.categories()).isEmpty();
  }

  @Test
  void ibanChecksumsAndRedaction() {
    assertThat(Iban.valid("GB82 WEST 1234 5698 7654 32")).isTrue();
    assertThat(Iban.valid("GB82 WEST 1234 5698 7654 33")).isFalse();
    assertThat(Iban.valid("XX82WEST12345698765432")).isFalse();
    assertThat(Iban.valid(Iban.withChecksum("DE", "370400440532013000"))).isTrue();
    assertThat(Redaction.email("jane.doe@example.eu")).isEqualTo("j***@e***.eu");
    assertThat(Redaction.name("jane van der berg")).isEqualTo("J. V. D. B.");
  }
}
