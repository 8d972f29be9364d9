package dev.vigil.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One normalized cloud audit event.
 *
 * <p>The typed accessors hold what behavioural detections need; {@link #field(String)} gives lossless access to
 * the raw record by dotted path, because Sigma rules match raw CloudTrail field names such as
 * {@code userIdentity.sessionContext.sessionIssuer.type}.
 *
 * @param time            when the call happened ({@code eventTime}, or {@code @timestamp} for shippers)
 * @param eventId         CloudTrail {@code eventID}; synthesized from the source position when absent
 * @param service         {@code eventSource}, e.g. {@code s3.amazonaws.com}
 * @param action          {@code eventName}, e.g. {@code GetObject}
 * @param region          {@code awsRegion}
 * @param account         the account the call was made in ({@code recipientAccountId}, else the actor's account)
 * @param actor           who made the call
 * @param sourceIp        {@code sourceIPAddress} as recorded (may be a service name, or an anonymised address)
 * @param userAgent       {@code userAgent}
 * @param errorCode       {@code errorCode}, null on success
 * @param readOnly        {@code readOnly}, null when CloudTrail did not say
 * @param resources       ARNs named in {@code resources[]}
 * @param bytesIn         {@code additionalEventData.bytesTransferredIn}, 0 when absent
 * @param bytesOut        {@code additionalEventData.bytesTransferredOut}, 0 when absent
 * @param raw             the record as read; never modified
 * @param origin          where the record came from, for error messages and evidence
 */
public record AuditEvent(
    Instant time,
    String eventId,
    String service,
    String action,
    String region,
    String account,
    Actor actor,
    String sourceIp,
    String userAgent,
    String errorCode,
    Boolean readOnly,
    List<String> resources,
    long bytesIn,
    long bytesOut,
    ObjectNode raw,
    Origin origin) {

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(raw, "raw");
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  /** The principal behind the call, as far as CloudTrail's {@code userIdentity} tells. */
  public record Actor(
      String type,
      String principalArn,
      String accountId,
      String accessKeyId,
      String userName,
      String sessionIssuerArn,
      String sessionIssuerType,
      String sessionName,
      String invokedBy) {

    /** A stable key for per-actor state: the access key if any, else the ARN, else the type. */
    public String key() {
      if (accessKeyId != null && !accessKeyId.isEmpty()) {
        return accessKeyId;
      }
      if (principalArn != null && !principalArn.isEmpty()) {
        return principalArn;
      }
      return invokedBy != null ? invokedBy : String.valueOf(type);
    }

    /** Long-term IAM user keys start with AKIA; temporary session keys with ASIA. */
    public boolean hasLongTermKey() {
      return accessKeyId != null && accessKeyId.startsWith("AKIA");
    }
  }

  /** Where a record was read from: a file (or "-" for stdin) and its index within that source. */
  public record Origin(String source, long index) {
    @Override
    public String toString() {
      return source + " record " + index;
    }
  }

  private static final ConcurrentHashMap<String, String[]> SPLIT_PATHS = new ConcurrentHashMap<>();

  /**
   * The raw value at a dotted path ({@code requestParameters.bucketName}), or a missing node. A literal key that
   * itself contains dots ({@code "@timestamp"} or {@code "x.y"}) is found too when no nested path matches.
   */
  public JsonNode field(String dottedPath) {
    JsonNode direct = raw.get(dottedPath);
    if (direct != null) {
      return direct;
    }
    String[] parts = SPLIT_PATHS.computeIfAbsent(dottedPath, p -> p.split("\\."));
    JsonNode node = raw;
    for (String part : parts) {
      node = node.get(part);
      if (node == null) {
        return MissingNode.getInstance();
      }
    }
    return node;
  }

  /** The text at a dotted path, or null when missing, null or not a scalar. */
  public String text(String dottedPath) {
    JsonNode node = field(dottedPath);
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  /** True for a call that failed (any {@code errorCode}). */
  public boolean failed() {
    return errorCode != null;
  }

  /** Bucket name of an S3 call, or null. */
  public String bucket() {
    return text("requestParameters.bucketName");
  }

  /** Object key of an S3 object call, or null. */
  public String objectKey() {
    return text("requestParameters.key");
  }
}
