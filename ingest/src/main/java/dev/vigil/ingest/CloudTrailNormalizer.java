package dev.vigil.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one raw CloudTrail record into an {@link AuditEvent}, or explains precisely why it cannot.
 *
 * <p>Only the fields Vigil relies on are type-checked; everything else is kept as it is in the raw record.
 * Anonymised corpora (addresses with leading zeros, made-up regions) are accepted as they are: the address and
 * region are data, not something to validate.
 */
public final class CloudTrailNormalizer {

  /** A record that cannot become an event; {@code field} names the offending field, or null. */
  public static final class RejectedRecord extends Exception {
    private final String field;

    public RejectedRecord(String field, String reason) {
      super(reason);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private static final String[] TEXT_FIELDS = {
    "eventID", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
    "recipientAccountId"
  };

  /** CloudTrail's own field first; then what log shippers and SIEM exports use when they move it. */
  private static final String[] TIME_FIELDS = {"eventTime", "@timestamp", "p_event_time"};

  private static final java.time.format.DateTimeFormatter SPACED_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][X]");

  private CloudTrailNormalizer() {}

  /**
   * Normalizes a record. EventBridge envelopes ({@code {"detail-type": ..., "detail": {...}}}) are unwrapped.
   *
   * @param node   the record as parsed
   * @param origin where it was read
   */
  public static AuditEvent normalize(JsonNode node, AuditEvent.Origin origin) throws RejectedRecord {
    if (node == null || !node.isObject()) {
      throw new RejectedRecord(null, "record is not a JSON object but " + describe(node));
    }
    ObjectNode raw = (ObjectNode) node;
    JsonNode detail = raw.get("detail");
    if (detail != null && detail.isObject() && (raw.has("detail-type") || raw.has("source"))) {
      raw = (ObjectNode) detail;
    }
    for (String f : TEXT_FIELDS) {
      JsonNode v = raw.get(f);
      if (v != null && !v.isNull() && !v.isTextual()) {
        throw new RejectedRecord(f, "field '" + f + "' must be a string but is " + describe(v));
      }
    }
    Instant time = eventTime(raw);
    JsonNode identity = raw.get("userIdentity");
    if (identity != null && !identity.isNull() && !identity.isObject()) {
      throw new RejectedRecord("userIdentity", "field 'userIdentity' must be an object but is " + describe(identity));
    }
    AuditEvent.Actor actor = actor(identity);
    JsonNode ro = raw.get("readOnly");
    Boolean readOnly = null;
    if (ro != null && !ro.isNull()) {
      if (ro.isBoolean()) {
        readOnly = ro.booleanValue();
      } else if (ro.isTextual() && (ro.asText().equalsIgnoreCase("true") || ro.asText().equalsIgnoreCase("false"))) {
        readOnly = Boolean.valueOf(ro.asText().toLowerCase(java.util.Locale.ROOT));
      } else {
        throw new RejectedRecord("readOnly", "field 'readOnly' must be a boolean but is " + describe(ro));
      }
    }
    String eventId = text(raw, "eventID");
    if (eventId == null || eventId.isEmpty()) {
      eventId = origin.source() + "#" + origin.index();
    }
    String account = text(raw, "recipientAccountId");
    if (account == null) {
      account = actor.accountId();
    }
    JsonNode extra = raw.get("additionalEventData");
    long bytesIn = 0;
    long bytesOut = 0;
    if (extra != null && extra.isObject()) {
      bytesIn = bytes(extra, "bytesTransferredIn");
      bytesOut = bytes(extra, "bytesTransferredOut");
    }
    return new AuditEvent(
        time,
        eventId,
        text(raw, "eventSource"),
        text(raw, "eventName"),
        text(raw, "awsRegion"),
        account,
        actor,
        text(raw, "sourceIPAddress"),
        text(raw, "userAgent"),
        text(raw, "errorCode"),
        readOnly,
        resources(raw),
        bytesIn,
        bytesOut,
        raw,
        origin);
  }

  private static Instant eventTime(ObjectNode raw) throws RejectedRecord {
    String field = null;
    JsonNode t = null;
    for (String candidate : TIME_FIELDS) {
      t = raw.get(candidate);
      if (t != null && !t.isNull()) {
        field = candidate;
        break;
      }
    }
    if (field == null) {
      throw new RejectedRecord("eventTime", "missing 'eventTime' (and no '@timestamp')");
    }
    if (!t.isTextual()) {
      throw new RejectedRecord(field, "field '" + field + "' must be an ISO-8601 string but is " + describe(t));
    }
    String s = t.asText();
    Instant fast = canonicalUtc(s);
    if (fast != null) {
      return fast;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        try {
          // shippers' "2019-01-01 00:20:04.000Z" (a space instead of 'T', zone optional and then UTC)
          java.time.temporal.TemporalAccessor parsed = SPACED_TIME.parse(s);
          java.time.ZoneOffset offset = parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)
              ? java.time.ZoneOffset.from(parsed) : java.time.ZoneOffset.UTC;
          return java.time.LocalDateTime.from(parsed).toInstant(offset);
        } catch (DateTimeParseException e3) {
          throw new RejectedRecord(field, "field '" + field + "' is not an ISO-8601 time: '" + abbreviate(s) + "'");
        }
      }
    }
  }

  /**
   * CloudTrail's own form, {@code 2026-03-19T10:00:00Z} (and with {@code .SSS} millis), read without the general
   * {@code DateTimeFormatter} machinery, which cost about a tenth of the detection pipeline; anything else, or an
   * impossible date, returns null and takes the general path (which also writes the error).
   */
  static Instant canonicalUtc(String s) {
    int n = s.length();
    if (n != 20 && n != 24) {
      return null;
    }
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int millis = 0;
    if (n == 24) {
      if (s.charAt(19) != '.') {
        return null;
      }
      millis = digits(s, 20, 3);
    }
    if ((year | month | day | hour | minute | second | millis) < 0 || month < 1 || month > 12 || day < 1
        || hour > 23 || minute > 59 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
  }

  /** The decimal number in {@code s[from, from+count)}, or -1 if a character there is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static AuditEvent.Actor actor(JsonNode id) {
    if (id == null || id.isNull()) {
      return new AuditEvent.Actor(null, null, null, null, null, null, null, null, null);
    }
    JsonNode issuer = id.path("sessionContext").path("sessionIssuer");
    String arn = text(id, "arn");
    String sessionName = null;
    if (arn != null && arn.contains(":assumed-role/")) {
      int slash = arn.lastIndexOf('/');
      sessionName = slash >= 0 ? arn.substring(slash + 1) : null;
    }
    return new AuditEvent.Actor(
        text(id, "type"),
        arn,
        text(id, "accountId"),
        text(id, "accessKeyId"),
        text(id, "userName"),
        text(issuer, "arn"),
        text(issuer, "type"),
        sessionName,
        text(id, "invokedBy"));
  }

  private static List<String> resources(ObjectNode raw) {
    JsonNode res = raw.get("resources");
    if (res == null || !res.isArray() || res.isEmpty()) {
      return List.of();
    }
    List<String> arns = new ArrayList<>(res.size());
    for (JsonNode r : res) {
      String arn = text(r, "ARN");
      if (arn != null) {
        arns.add(arn);
      }
    }
    return arns;
  }

  private static long bytes(JsonNode extra, String field) {
    JsonNode v = extra.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (v.isNumber()) {
      return Math.max(0, v.asLong());
    }
    if (v.isTextual()) {
      try {
        return Math.max(0, (long) Double.parseDouble(v.asText()));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "missing";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number (" + abbreviate(n.asText()) + ")";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isArray()) {
      return "an array";
    }
    return "an object";
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
