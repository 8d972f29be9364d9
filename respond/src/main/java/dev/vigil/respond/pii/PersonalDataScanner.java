package dev.vigil.respond.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies the personal data in one object (a mail file, a page, a document) and adds it to a
 * {@link PersonalDataTally}.
 *
 * <p>Mail files ({@code .eml}, {@code .mbox}) are parsed: their senders and recipients are data subjects, and
 * display names in their headers are person names. Every text is scanned for e-mail addresses, phone numbers
 * (libphonenumber, international format and the configured default region) and IBANs (checksum-validated).
 */
public final class PersonalDataScanner {
  private static final Pattern EMAIL =
      Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}");
  private static final Pattern IBAN_CANDIDATE =
      Pattern.compile("\\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b");
  /** Stop scanning a single object's text for phone numbers after this many candidates (hostile input). */
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final long MAX_PHONE_TRIES = 10_000;

  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
  private final String defaultRegion;

  /** @param defaultRegion ISO region for numbers written without a country code, e.g. "BE"; "ZZ" for none */
  public PersonalDataScanner(String defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  public PersonalDataScanner() {
    this("ZZ");
  }

  /** Scans one object by name (the extension decides whether it is mail) into {@code tally}. */
  public void scan(String objectName, byte[] content, PersonalDataTally tally) {
    String text = new String(content, StandardCharsets.UTF_8);
    String lower = objectName.toLowerCase(Locale.ROOT);
    tally.objectScanned();
    if (lower.endsWith(".eml")) {
      message(MailParser.parse(text), tally);
    } else if (lower.endsWith(".mbox")) {
      for (MailMessage m : MailParser.parseMbox(text)) {
        message(m, tally);
      }
    } else {
      text(text, tally);
    }
  }

  private void message(MailMessage m, PersonalDataTally tally) {
    tally.message();
    for (List<MailMessage.Mailbox> boxes : List.of(m.senders(), m.recipients())) {
      for (MailMessage.Mailbox box : boxes) {
        if (boxes == m.senders()) {
          tally.sender(box.address());
        } else {
          tally.recipient(box.address());
        }
        if (box.name() != null && looksLikePersonName(box.name())) {
          tally.name(box.name());
        }
      }
    }
    text(m.text(), tally);
  }

  private void text(String text, PersonalDataTally tally) {
    Matcher e = EMAIL.matcher(text);
    while (e.find()) {
      tally.email(e.group().toLowerCase(Locale.ROOT));
    }
    for (PhoneNumberMatch match : phones.findNumbers(text, defaultRegion, PhoneNumberUtil.Leniency.VALID,
        MAX_PHONE_TRIES)) {
      tally.phone(phones.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.E164),
          match.number().getCountryCode());
    }
    Matcher i = IBAN_CANDIDATE.matcher(text);
    while (i.find()) {
      String compact = i.group().replace(" ", "");
      if (Iban.valid(compact)) {
        tally.iban(compact);
      }
    }
  }

  /** Two to four capitalised words without digits or '@': "Jane Doe", not "Newsletter Team 2026". */
  static boolean looksLikePersonName(String s) {
    String[] words = WHITESPACE.split(s.trim());
    if (words.length < 2 || words.length > 4) {
      return false;
    }
    for (String w : words) {
      if (w.isEmpty() || !Character.isUpperCase(w.codePointAt(0))) {
        return false;
      }
      for (int k = 0; k < w.length(); k++) {
        char c = w.charAt(k);
        if (!Character.isLetter(c) && c != '-' && c != '\'' && c != '.') {
          return false;
        }
      }
    }
    String lower = s.toLowerCase(Locale.ROOT);
    for (String role : List.of("team", "support", "service", "office", "desk", "no reply", "noreply", "admin",
        "newsletter", "info", "department", "unit")) {
      if (lower.contains(role)) {
        return false;
      }
    }
    return true;
  }
}
