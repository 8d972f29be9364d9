package dev.vigil.respond.pii;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts of personal data for one scope (a tenant): distinct values are kept only to count them; the report
 * gets counts and a few redacted samples, never the values.
 *
 * <p>A data subject is a distinct e-mail address seen as a sender, a recipient, or in the text.
 */
public final class PersonalDataTally {
  private static final int SAMPLES = 3;

  private long objects;
  private long messages;
  private final Set<String> emails = new HashSet<>();
  private final Set<String> senders = new HashSet<>();
  private final Set<String> recipients = new HashSet<>();
  private final Set<String> names = new HashSet<>();
  private final Set<String> phones = new HashSet<>();
  private final Set<String> ibans = new HashSet<>();
  private final TreeSet<String> emailSamples = new TreeSet<>();
  private final TreeSet<String> nameSamples = new TreeSet<>();
  private final TreeSet<String> phoneSamples = new TreeSet<>();
  private final TreeSet<String> ibanSamples = new TreeSet<>();

  void objectScanned() {
    objects++;
  }

  void message() {
    messages++;
  }

  void sender(String address) {
    senders.add(address);
    email(address);
  }

  void recipient(String address) {
    recipients.add(address);
    email(address);
  }

  void email(String address) {
    if (emails.add(address)) {
      sample(emailSamples, Redaction.email(address));
    }
  }

  void name(String name) {
    if (names.add(name.trim())) {
      sample(nameSamples, Redaction.name(name));
    }
  }

  void phone(String e164, int countryCode) {
    if (phones.add(e164)) {
      sample(phoneSamples, Redaction.phone(e164, countryCode));
    }
  }

  void iban(String compact) {
    if (ibans.add(compact)) {
      sample(ibanSamples, Redaction.iban(compact));
    }
  }

  /** Keeps the alphabetically first few, so samples do not depend on reading order. */
  private static void sample(TreeSet<String> samples, String redacted) {
    samples.add(redacted);
    if (samples.size() > SAMPLES) {
      samples.pollLast();
    }
  }

  /** Adds another tally (e.g. per-object tallies into a tenant's). */
  public void addAll(PersonalDataTally other) {
    objects += other.objects;
    messages += other.messages;
    other.senders.forEach(this::sender);
    other.recipients.forEach(this::recipient);
    other.emails.forEach(this::email);
    other.names.forEach(this::name);
    phones.addAll(other.phones);
    other.phoneSamples.forEach(s -> sample(phoneSamples, s));
    ibans.addAll(other.ibans);
    other.ibanSamples.forEach(s -> sample(ibanSamples, s));
  }

  public long objects() {
    return objects;
  }

  public long messages() {
    return messages;
  }

  /** Distinct people identified by an e-mail address. */
  public long dataSubjects() {
    return emails.size();
  }

  public long senders() {
    return senders.size();
  }

  public long recipients() {
    return recipients.size();
  }

  public long names() {
    return names.size();
  }

  public long phoneNumbers() {
    return phones.size();
  }

  public long ibans() {
    return ibans.size();
  }

  /** Redacted samples per category, for reports. */
  public List<String> samples() {
    List<String> out = new ArrayList<>();
    out.addAll(emailSamples);
    out.addAll(nameSamples);
    out.addAll(phoneSamples);
    out.addAll(ibanSamples);
    return out;
  }

  /** The GDPR categories of personal data present. */
  public List<String> categories() {
    List<String> out = new ArrayList<>();
    if (!emails.isEmpty()) {
      out.add("contact details (e-mail addresses)");
    }
    if (!names.isEmpty()) {
      out.add("identity (names)");
    }
    if (!phones.isEmpty()) {
      out.add("contact details (phone numbers)");
    }
    if (!ibans.isEmpty()) {
      out.add("financial (bank account numbers)");
    }
    if (messages > 0) {
      out.add("content of communications (e-mail)");
    }
    return out;
  }
}
