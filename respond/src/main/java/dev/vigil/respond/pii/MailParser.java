package dev.vigil.respond.pii;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small RFC 5322 / MIME reader for .eml and .mbox files: headers (unfolded, RFC 2047 encoded words decoded),
 * address lists with display names, and the text of every part (base64 and quoted-printable decoded).
 * It reads what mail servers write; it is not a full MIME implementation.
 */
public final class MailParser {
  private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");
  private static final Pattern ANGLE = Pattern.compile("^(.*?)<([^<>@\\s]+@[^<>\\s]+)>\\s*$");
  private static final Pattern BARE = Pattern.compile("^[^\\s<>@]+@[^\\s<>@]+$");
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
  private static final int MAX_DEPTH = 8;
  // compiled once: a scan reads tens of thousands of messages
  private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");
  private static final Pattern LEADING_BREAK = Pattern.compile("^\r?\n");
  private static final Pattern ADJACENT_WORDS = Pattern.compile("\\?=\\s+=\\?");
  private static final Pattern QUOTES = Pattern.compile("^\"|\"$");

  private MailParser() {}

  /** Splits an mbox file into its messages (lines starting "From " after a blank line, or at the start). */
  public static List<MailMessage> parseMbox(String mbox) {
    List<MailMessage> out = new ArrayList<>();
    String[] lines = LINE_BREAK.split(mbox, -1);
    StringBuilder current = null;
    boolean previousBlank = true;
    for (String line : lines) {
      if (line.startsWith("From ") && previousBlank) {
        if (current != null) {
          out.add(parse(current.toString()));
        }
        current = new StringBuilder();
      } else if (current != null) {
        // mboxrd quoting: ">From " stands for "From " inside a message
        current.append(line.startsWith(">From ") ? line.substring(1) : line).append('\n');
      }
      previousBlank = line.isEmpty();
    }
    if (current != null) {
      out.add(parse(current.toString()));
    }
    return out;
  }

  /** Parses one message. */
  public static MailMessage parse(String message) {
    Part part = split(message);
    List<MailMessage.Mailbox> senders = new ArrayList<>();
    List<MailMessage.Mailbox> recipients = new ArrayList<>();
    for (String h : List.of("from", "sender", "reply-to")) {
      senders.addAll(addresses(part.headers.get(h)));
    }
    for (String h : List.of("to", "cc", "bcc")) {
      recipients.addAll(addresses(part.headers.get(h)));
    }
    StringBuilder text = new StringBuilder();
    String subject = part.headers.get("subject");
    if (subject != null) {
      text.append(subject).append('\n');
    }
    collectText(part, text, 0);
    return new MailMessage(senders, recipients, text.toString());
  }

  private record Part(Map<String, String> headers, String body) {}

  private static Part split(String raw) {
    Map<String, String> headers = new LinkedHashMap<>();
    String[] lines = LINE_BREAK.split(raw, -1);
    int i = 0;
    String name = null;
    StringBuilder value = new StringBuilder();
    for (; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        i++;
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
        value.append(' ').append(line.trim());
        continue;
      }
      if (name != null) {
        headers.merge(name, decodeWords(value.toString().trim()), (a, b) -> a + ", " + b);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        name = null; // not a header: the body starts without a blank line
        break;
      }
      name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      value = new StringBuilder(line.substring(colon + 1));
    }
    if (name != null) {
      headers.merge(name, decodeWords(value.toString().trim()), (a, b) -> a + ", " + b);
    }
    StringBuilder body = new StringBuilder();
    for (; i < lines.length; i++) {
      body.append(lines[i]).append('\n');
    }
    return new Part(headers, body.toString());
  }

  private static void collectText(Part part, StringBuilder text, int depth) {
    String type = part.headers.getOrDefault("content-type", "text/plain").toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/") && depth < MAX_DEPTH) {
      Matcher m = BOUNDARY.matcher(part.headers.get("content-type"));
      if (m.find()) {
        String delimiter = "--" + m.group(1);
        String[] pieces = part.body.split(Pattern.quote(delimiter));
        for (int i = 1; i < pieces.length; i++) {
          String piece = pieces[i];
          if (piece.startsWith("--")) {
            break; // closing delimiter
          }
          collectText(split(LEADING_BREAK.matcher(piece).replaceFirst("")), text, depth + 1);
        }
        return;
      }
    }
    if (!type.startsWith("text/") && !type.startsWith("message/")) {
      return; // attachments: images, archives... are not scanned as text
    }
    String encoding = part.headers.getOrDefault("content-transfer-encoding", "").trim().toLowerCase(Locale.ROOT);
    Charset charset = charset(type);
    String decoded;
    if (encoding.equals("base64")) {
      try {
        decoded = new String(Base64.getMimeDecoder().decode(part.body), charset);
      } catch (IllegalArgumentException e) {
        decoded = part.body;
      }
    } else if (encoding.equals("quoted-printable")) {
      decoded = quotedPrintable(part.body, charset);
    } else {
      decoded = part.body;
    }
    text.append(decoded).append('\n');
  }

  private static Charset charset(String contentType) {
    Matcher m = Pattern.compile("charset=\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE).matcher(contentType);
    if (m.find()) {
      try {
        return Charset.forName(m.group(1));
      } catch (RuntimeException e) {
        return StandardCharsets.UTF_8;
      }
    }
    return StandardCharsets.UTF_8;
  }

  static String quotedPrintable(String s, Charset charset) {
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=' && i + 1 < s.length() && (s.charAt(i + 1) == '\n' || s.charAt(i + 1) == '\r')) {
        i += s.charAt(i + 1) == '\r' && i + 2 < s.length() && s.charAt(i + 2) == '\n' ? 2 : 1;
      } else if (c == '=' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        out[n++] = (byte) Integer.parseInt(s.substring(i + 1, i + 3), 16);
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    return new String(out, 0, n, charset);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  static String decodeWords(String value) {
    Matcher m = ENCODED_WORD.matcher(value);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      Charset cs;
      try {
        cs = Charset.forName(m.group(1));
      } catch (RuntimeException e) {
        cs = StandardCharsets.UTF_8;
      }
      String word;
      if (m.group(2).equalsIgnoreCase("B")) {
        try {
          word = new String(Base64.getDecoder().decode(m.group(3)), cs);
        } catch (IllegalArgumentException e) {
          word = m.group();
        }
      } else {
        word = quotedPrintable(m.group(3).replace('_', ' '), cs);
      }
      m.appendReplacement(b, Matcher.quoteReplacement(word));
    }
    m.appendTail(b);
    return ADJACENT_WORDS.matcher(b.toString()).replaceAll("?==?");
  }

  /** Splits an address list at commas outside quotes and angle brackets. */
  static List<MailMessage.Mailbox> addresses(String header) {
    List<MailMessage.Mailbox> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    boolean quoted = false;
    int angle = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : (header + ",").toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '<' && !quoted) {
        angle++;
      } else if (c == '>' && !quoted) {
        angle = Math.max(0, angle - 1);
      }
      if (c == ',' && !quoted && angle == 0) {
        MailMessage.Mailbox box = mailbox(cur.toString().trim());
        if (box != null) {
          out.add(box);
        }
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    return out;
  }

  private static MailMessage.Mailbox mailbox(String s) {
    Matcher m = ANGLE.matcher(s);
    if (m.matches()) {
      String name = QUOTES.matcher(m.group(1).trim()).replaceAll("").trim();
      return new MailMessage.Mailbox(name.isEmpty() ? null : name, m.group(2).toLowerCase(Locale.ROOT));
    }
    if (BARE.matcher(s).matches()) {
      return new MailMessage.Mailbox(null, s.toLowerCase(Locale.ROOT));
    }
    return null;
  }
}
