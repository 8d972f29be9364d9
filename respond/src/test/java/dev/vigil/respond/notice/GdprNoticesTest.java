package dev.vigil.respond.notice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GdprNoticesTest {
  private static final BreachFacts FACTS = new BreachFacts(
      "Example Hosting Service",
      "Data Protection Officer, dpo@example.eu, +32 2 000 00 00",
      Instant.parse("2026-03-24T09:00:00Z"),
      Instant.parse("2026-03-19T20:01:00Z"),
      Instant.parse("2026-03-20T03:40:00Z"),
      "A CI access key stolen through a compromised build tool was used to read hosted websites' mailboxes.",
      List.of(
          new BreachFacts.TenantImpact("agency-a", "it@agency-a.example", 812, 1_400_000_000L, 2345, 730,
              List.of("contact details (e-mail addresses)", "content of communications (e-mail)"),
              List.of("j***@e***.eu")),
          new BreachFacts.TenantImpact("agency-b", null, 12, 40_000_000L, 7, 3,
              List.of("identity (names)", "financial (bank account numbers)"), List.of("J. D."))),
      List.of("Deactivated the stolen key and the key the attacker created", "Pinned CI actions to commits"),
      List.of("Rotate every secret the compromised pipelines could read"));

  @Test
  void article33HasEveryElementOfArticle33Paragraph3() {
    String n = GdprNotices.article33(FACTS, Instant.parse("2026-03-25T10:30:00Z"));
    // (a) nature, categories and approximate numbers of data subjects and records
    assertThat(n).contains("## (a) Nature of the personal data breach")
        .contains("A CI access key stolen through a compromised build tool")
        .contains("Approximate number of data subjects concerned: about 2,352")
        .contains("Approximate number of personal data records concerned: about 733")
        .contains("Categories of personal data: contact details (e-mail addresses); content of communications (e-mail);"
            + " identity (names); financial (bank account numbers)")
        .contains("Categories of data subjects:");
    // (b) contact point
    assertThat(n).contains("## (b) Contact point\n\nData Protection Officer, dpo@example.eu");
    // (c) likely consequences
    assertThat(n).contains("## (c) Likely consequences").contains("Payment fraud").contains("Loss of confidentiality");
    // (d) measures taken or proposed
    assertThat(n).contains("## (d) Measures taken or proposed").contains("Deactivated the stolen key")
        .contains("Rotate every secret");
    // the 72-hour clock from awareness, and the delay reasons once it has passed
    assertThat(n).contains("**Became aware:** 2026-03-24 09:00 UTC")
        .contains("**72-hour deadline (Art. 33(1)):** 2026-03-27 09:00 UTC (46 h 30 min left at drafting)");
    assertThat(GdprNotices.article33(FACTS, Instant.parse("2026-03-28T10:00:00Z")))
        .contains("PASSED 25 h 0 min ago: state the reasons for the delay");
    assertThat(n).contains("| agency-a | 812 | 1.4 GB | about 2,345 | about 730 |");
  }

  @Test
  void article34SpeaksPlainlyToTheDataSubjects() {
    String n = GdprNotices.article34(FACTS, FACTS.tenants().get(1));
    assertThat(n).contains("Dear correspondent of agency-b").contains("What you can do")
        .contains("Watch your bank statements").contains("dpo@example.eu");
    assertThat(GdprNotices.article34(FACTS, FACTS.tenants().get(0))).doesNotContain("bank statements");
  }

  @Test
  void eachTenantGetsItsOwnFigures() {
    Instant now = Instant.parse("2026-03-25T10:30:00Z");
    String a = GdprNotices.tenantNotice(FACTS, FACTS.tenants().get(0), now);
    String b = GdprNotices.tenantNotice(FACTS, FACTS.tenants().get(1), now);
    assertThat(a).contains("affecting agency-a").contains("To: it@agency-a.example").contains("Objects read by the attacker: 812")
        .contains("Approximate number of data subjects: about 2,345").doesNotContain("agency-b");
    assertThat(b).contains("To: (contact not in the tenant map)").contains("Approximate number of data subjects: 7")
        .contains("Redacted examples: J. D.").doesNotContain("agency-a");
  }
}
