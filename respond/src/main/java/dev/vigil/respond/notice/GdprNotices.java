package dev.vigil.respond.notice;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Drafts of the notices a personal-data breach calls for, in Markdown, from {@link BreachFacts}:
 * the Art. 33 notification to the supervisory authority, the Art. 34 communication to data subjects, and one
 * notice per affected tenant with its own figures. They are drafts for a human to review, and say so.
 */
public final class GdprNotices {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private GdprNotices() {}

  /** The notification to the supervisory authority, with every element Art. 33(3) requires. */
  public static String article33(BreachFacts f, Instant draftedAt) {
    StringBuilder b = new StringBuilder();
    b.append("# Personal data breach notification (GDPR Article 33) — DRAFT\n\n");
    b.append("_Drafted by Vigil on ").append(WHEN.format(draftedAt))
        .append(". Review every statement before sending; figures are approximate where marked._\n\n");
    b.append("**Controller:** ").append(f.controller()).append("  \n");
    clock(b, f, draftedAt);
    b.append("\n## (a) Nature of the personal data breach\n\n").append(f.nature()).append("\n\n");
    b.append("- Breach period: ").append(WHEN.format(f.breachStart())).append(" to ")
        .append(WHEN.format(f.breachEnd())).append("\n");
    b.append("- Type: confidentiality breach (unauthorised access to and copying of data)\n");
    b.append("- Categories of data subjects: correspondents of the affected organisations (senders and "
        + "recipients of e-mail), staff and contacts named in the data\n");
    b.append("- Approximate number of data subjects concerned: ").append(approx(f.totalDataSubjects())).append("\n");
    b.append("- Categories of personal data: ").append(String.join("; ", f.categories())).append("\n");
    b.append("- Approximate number of personal data records concerned: ").append(approx(f.totalRecords()))
        .append(" (").append(String.format(Locale.ROOT, "%,d", f.totalObjects())).append(" objects, ")
        .append(bytes(f.totalBytes())).append(" read)\n");
    b.append("- Organisations whose data is concerned: ").append(f.tenants().size()).append("\n\n");
    b.append("| Organisation | Objects read | Data read | Data subjects (approx.) | Records (approx.) |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    for (BreachFacts.TenantImpact t : f.tenants()) {
      b.append("| ").append(t.tenant()).append(" | ").append(String.format(Locale.ROOT, "%,d", t.objectsRead()))
          .append(" | ").append(bytes(t.bytesRead())).append(" | ").append(approx(t.dataSubjects())).append(" | ")
          .append(approx(t.records())).append(" |\n");
    }
    b.append("\n## (b) Contact point\n\n").append(f.contactPoint()).append("\n");
    b.append("\n## (c) Likely consequences\n\n");
    for (String c : consequences(f.categories())) {
      b.append("- ").append(c).append("\n");
    }
    b.append("\n## (d) Measures taken or proposed\n\nTaken:\n\n");
    f.measuresTaken().forEach(m -> b.append("- ").append(m).append("\n"));
    b.append("\nProposed:\n\n");
    f.measuresProposed().forEach(m -> b.append("- ").append(m).append("\n"));
    b.append("\n## Information provided in phases (Art. 33(4))\n\nThe figures above come from the audit logs and "
        + "the objects read; they will be completed as the investigation continues.\n");
    return b.toString();
  }

  /** The communication to the people concerned, in clear and plain language (Art. 34(2)). */
  public static String article34(BreachFacts f, BreachFacts.TenantImpact tenant) {
    StringBuilder b = new StringBuilder();
    b.append("# Important information about your personal data — DRAFT (GDPR Article 34)\n\n");
    b.append("Dear correspondent of ").append(tenant.tenant()).append(",\n\n");
    b.append("Between ").append(WHEN.format(f.breachStart())).append(" and ").append(WHEN.format(f.breachEnd()))
        .append(", an attacker used a stolen access key to copy data from the systems ").append(f.controller())
        .append(" runs for ").append(tenant.tenant()).append(". This data included ")
        .append(String.join(", ", tenant.categories()).toLowerCase(Locale.ROOT))
        .append(", which may include information about you.\n\n");
    b.append("## What this may mean for you\n\n");
    for (String c : consequences(tenant.categories())) {
      b.append("- ").append(c).append("\n");
    }
    b.append("\n## What we have done\n\n");
    f.measuresTaken().forEach(m -> b.append("- ").append(m).append("\n"));
    b.append("\n## What you can do\n\n");
    b.append("- Be wary of e-mails or calls that refer to your past correspondence and ask for money, passwords or "
        + "documents; check with the sender through a channel you already know.\n");
    b.append("- Do not open unexpected attachments or links, even from addresses you recognise.\n");
    if (tenant.categories().stream().anyMatch(c -> c.startsWith("financial"))) {
      b.append("- Watch your bank statements and tell your bank about any payment you did not make.\n");
    }
    b.append("\n## Contact\n\n").append(f.contactPoint()).append("\n");
    return b.toString();
  }

  /** A notice to one tenant (the data controller for its own data) with its own figures and samples. */
  public static String tenantNotice(BreachFacts f, BreachFacts.TenantImpact t, Instant draftedAt) {
    StringBuilder b = new StringBuilder();
    b.append("# Notice of a personal data breach affecting ").append(t.tenant()).append(" — DRAFT\n\n");
    b.append("To: ").append(t.contact() == null ? "(contact not in the tenant map)" : t.contact()).append("  \n");
    b.append("From: ").append(f.controller()).append("  \n");
    b.append("Date: ").append(WHEN.format(draftedAt)).append("\n\n");
    b.append("As the provider hosting your service, we inform you without undue delay (GDPR Art. 33(2)) of a breach "
        + "that concerns your data. You may have to notify your supervisory authority within 72 hours of this "
        + "notice and, where the risk is high, the people concerned; the figures below are yours alone.\n\n");
    b.append("## What happened\n\n").append(f.nature()).append("\n\n");
    b.append("## Your data\n\n");
    b.append("- Objects read by the attacker: ").append(String.format(Locale.ROOT, "%,d", t.objectsRead())).append("\n");
    b.append("- Volume read: ").append(bytes(t.bytesRead())).append("\n");
    b.append("- Approximate number of data subjects: ").append(approx(t.dataSubjects())).append("\n");
    b.append("- Approximate number of records: ").append(approx(t.records())).append("\n");
    b.append("- Categories: ").append(t.categories().isEmpty() ? "none identified"
        : String.join("; ", t.categories())).append("\n");
    if (!t.samples().isEmpty()) {
      b.append("- Redacted examples: ").append(String.join(", ", t.samples())).append("\n");
    }
    b.append("\n## Likely consequences\n\n");
    consequences(t.categories()).forEach(c -> b.append("- ").append(c).append("\n"));
    b.append("\n## Measures taken\n\n");
    f.measuresTaken().forEach(m -> b.append("- ").append(m).append("\n"));
    b.append("\n## Contact point\n\n").append(f.contactPoint()).append("\n");
    return b.toString();
  }

  private static void clock(StringBuilder b, BreachFacts f, Instant draftedAt) {
    Instant deadline = f.awareness().plus(Duration.ofHours(72));
    b.append("**Became aware:** ").append(WHEN.format(f.awareness())).append("  \n");
    b.append("**72-hour deadline (Art. 33(1)):** ").append(WHEN.format(deadline));
    Duration left = Duration.between(draftedAt, deadline);
    if (left.isNegative()) {
      b.append(" — PASSED ").append(hours(left.negated())).append(" ago: state the reasons for the delay "
          + "(Art. 33(1)): _______\n");
    } else {
      b.append(" (").append(hours(left)).append(" left at drafting)\n");
    }
  }

  /** Consequences that follow from the categories of data, in plain words. */
  static List<String> consequences(List<String> categories) {
    List<String> out = new ArrayList<>();
    String all = String.join(" ", categories).toLowerCase(Locale.ROOT);
    if (all.contains("communications")) {
      out.add("Loss of confidentiality of correspondence: the content of e-mails may be published or used for "
          + "blackmail or fraud.");
    }
    if (all.contains("e-mail")) {
      out.add("Targeted phishing and spam to the addresses concerned, made more credible by real past "
          + "correspondence.");
    }
    if (all.contains("names") || all.contains("phone")) {
      out.add("Impersonation and social-engineering calls or messages using names and numbers.");
    }
    if (all.contains("financial")) {
      out.add("Payment fraud using bank account numbers.");
    }
    if (out.isEmpty()) {
      out.add("No personal data was identified in the objects read; the risk to individuals appears low.");
    }
    return out;
  }

  static String approx(long n) {
    if (n < 100) {
      return String.valueOf(n);
    }
    return "about " + String.format(Locale.ROOT, "%,d", n);
  }

  static String bytes(long b) {
    if (b >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
    }
    if (b >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }
    return String.format(Locale.ROOT, "%,d bytes", b);
  }

  private static String hours(Duration d) {
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }
}
