package dev.vigil.simulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A local copy of the objects the attacker read ({@code DIR/mirror/<bucket>/<key>}), as a hosting provider would
 * restore them from backup to learn whose data left: outbound mail as RFC 5322 messages (named senders and
 * recipients, and in some bodies a phone number or an IBAN) and site pages. The bytes are not the logged sizes
 * (those stay in CloudTrail); the people are.
 *
 * <p>Ground truth is counted here, from what is generated, not by any scanner: per tenant the messages and the
 * data subjects (distinct e-mail addresses, all of which appear in From/To/Cc; bodies and pages carry none).
 * Deterministic: an object's content depends only on the seed, its bucket and its key.
 */
final class Mirror {
  private static final String[] FIRST = {
    "Anna", "Marco", "Sofie", "Jan", "Elena", "Pieter", "Ines", "Tomas", "Claire", "Nikos", "Eva", "Lukas", "Maria",
    "David", "Karin", "Paulo", "Aino", "Matteo", "Zofia", "Luis", "Hanne", "Dimitra", "Mihai", "Katrin", "Joana",
    "Bram", "Lea", "Ondrej", "Chiara", "Mateus", "Ilse", "Goran"
  };
  private static final String[] LAST = {
    "Schmidt", "Rossi", "Dubois", "Janssens", "Novak", "Kowalski", "Garcia", "Nielsen", "Papadopoulos", "Muller",
    "Lambert", "Virtanen", "Silva", "Horvath", "Berg", "Costa", "Peeters", "Ferrari", "Nowak", "Lindqvist",
    "Moreau", "Fischer", "Popescu", "Jovanovic", "Murphy", "Kask", "Ozols", "Borg", "Vella", "Santos"
  };
  private static final String[] CITIZEN_DOMAINS = {"example.com", "example.net", "example.org", "mail.example"};
  private static final String[] SUBJECTS = {
    "Your application", "Follow-up to your request", "Meeting on the programme", "Invoice and payment details",
    "Complaint reference", "Grant agreement amendment", "Consultation reply", "Access to documents request"
  };

  private final Path root;
  private final long seed;
  private final List<World.Tenant> tenants;
  private final Map<String, Integer> tenantByBucket = new HashMap<>();
  private final List<Set<String>> subjects = new ArrayList<>();
  private final Set<String> written = new HashSet<>();
  private final long[] messages;

  Mirror(Path root, long seed, List<World.Tenant> tenants) {
    this.root = root;
    this.seed = seed;
    this.tenants = tenants;
    this.messages = new long[tenants.size()];
    for (int i = 0; i < tenants.size(); i++) {
      tenantByBucket.put(tenants.get(i).bucket(), i);
      subjects.add(new HashSet<>());
    }
  }

  /** Mirrors what a successful attacker GetObject returned (each object once). */
  void observe(SimEvent e) throws IOException {
    if (!e.attacker || !"GetObject".equals(e.name) || e.errorCode != null || e.bucket == null) {
      return;
    }
    Integer tenant = tenantByBucket.get(e.bucket);
    if (tenant == null || !written.add(e.bucket + "/" + e.objectKey)) {
      return;
    }
    Path file = root.resolve(e.bucket).resolve(e.objectKey);
    Files.createDirectories(file.getParent());
    SplittableRandom r = new SplittableRandom(Ids.mix(seed, "mirror", e.bucket, e.objectKey));
    String content = e.objectKey.endsWith(".eml") ? mail(tenant, r) : page(tenants.get(tenant), r);
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private String mail(int tenant, SplittableRandom r) {
    World.Tenant t = tenants.get(tenant);
    messages[tenant]++;
    String[] from = staff(t, r);
    List<String[]> to = new ArrayList<>();
    int recipients = 1 + r.nextInt(3);
    for (int i = 0; i < recipients; i++) {
      to.add(r.nextInt(4) == 0 ? staff(t, r) : citizen(t, r));
    }
    List<String[]> cc = new ArrayList<>();
    if (r.nextInt(3) == 0) {
      cc.add(staff(t, r));
    }
    Set<String> people = subjects.get(tenant);
    people.add(from[1]);
    to.forEach(p -> people.add(p[1]));
    cc.forEach(p -> people.add(p[1]));
    StringBuilder m = new StringBuilder();
    m.append("From: ").append(mailbox(from)).append("\r\n");
    m.append("To: ").append(String.join(", ", to.stream().map(Mirror::mailbox).toList())).append("\r\n");
    if (!cc.isEmpty()) {
      m.append("Cc: ").append(mailbox(cc.get(0))).append("\r\n");
    }
    m.append("Subject: ").append(SUBJECTS[r.nextInt(SUBJECTS.length)]).append("\r\n");
    m.append("Date: ").append(String.format(Locale.ROOT, "%d Mar 2026 %02d:%02d:00 +0100", 1 + r.nextInt(18),
        8 + r.nextInt(10), r.nextInt(60))).append("\r\n");
    m.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    String addressee = to.get(0)[0];
    m.append("Dear ").append(addressee.substring(addressee.indexOf(' ') + 1)).append(",\r\n\r\n");
    m.append("Thank you for your message. Please find below the information you asked for.\r\n");
    if (r.nextInt(4) == 0) {
      m.append("You can reach our office on ").append(phone(r)).append(".\r\n");
    }
    if (r.nextInt(6) == 0) {
      m.append("The payment will be made to account ").append(iban(r)).append(".\r\n");
    }
    m.append("\r\nKind regards,\r\n").append(from[0]).append("\r\n");
    return m.toString();
  }

  private static String page(World.Tenant t, SplittableRandom r) {
    return "<!doctype html>\n<html lang=\"en\"><head><title>" + t.name().toUpperCase(Locale.ROOT)
        + "</title></head>\n<body><h1>" + t.name().toUpperCase(Locale.ROOT) + "</h1><p>Page " + r.nextInt(10_000)
        + " of the public site.</p></body></html>\n";
  }

  /** {display name, address} of a staff member of the tenant. */
  private static String[] staff(World.Tenant t, SplittableRandom r) {
    String first = FIRST[r.nextInt(FIRST.length)];
    String last = LAST[r.nextInt(LAST.length)];
    return new String[] {first + " " + last, (first + "." + last).toLowerCase(Locale.ROOT) + "@" + t.name()
        + ".europa.eu"};
  }

  /** {display name, address} of a member of the public writing to the tenant (a pool of a few hundred). */
  private static String[] citizen(World.Tenant t, SplittableRandom r) {
    String first = FIRST[r.nextInt(FIRST.length)];
    String last = LAST[r.nextInt(LAST.length)];
    int n = r.nextInt(12);
    return new String[] {first + " " + last, (first.charAt(0) + "." + last).toLowerCase(Locale.ROOT)
        + (n == 0 ? "" : Integer.toString(n)) + "@" + CITIZEN_DOMAINS[r.nextInt(CITIZEN_DOMAINS.length)]};
  }

  private static String mailbox(String[] p) {
    return p[0] + " <" + p[1] + ">";
  }

  /** A Brussels landline in international format: +32 2 then seven digits. */
  private static String phone(SplittableRandom r) {
    return String.format(Locale.ROOT, "+32 2 %03d %02d %02d", 200 + r.nextInt(800), r.nextInt(100), r.nextInt(100));
  }

  /** A Belgian IBAN with a valid national check (mod 97 of the first ten digits) and valid IBAN check digits. */
  static String iban(SplittableRandom r) {
    long first10 = 1_000_000_000L + (long) (r.nextDouble() * 8_999_999_999L);
    long national = first10 % 97 == 0 ? 97 : first10 % 97;
    String bban = String.format(Locale.ROOT, "%010d%02d", first10, national);
    // ISO 13616: move "BE00" behind the BBAN, letters to numbers (B=11, E=14), 98 - (n mod 97)
    java.math.BigInteger n = new java.math.BigInteger(bban + "1114" + "00");
    int check = 98 - n.mod(java.math.BigInteger.valueOf(97)).intValue();
    String iban = String.format(Locale.ROOT, "BE%02d%s", check, bban);
    return iban.substring(0, 4) + " " + iban.substring(4, 8) + " " + iban.substring(8, 12) + " " + iban.substring(12);
  }

  long messages(int tenant) {
    return messages[tenant];
  }

  long dataSubjects(int tenant) {
    return subjects.get(tenant).size();
  }
}
