package dev.vigil.detect.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds CloudTrail records and alerts for tests, through the real normalizer. */
final class Events {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-03-19T18:00:00Z");

  private Events() {}

  static ObjectNode record(String id, int minute, String source, String action, String key, String ip, String ua) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.09");
    r.put("eventTime", T0.plusSeconds(60L * minute).toString());
    r.put("eventID", id);
    r.put("eventSource", source);
    r.put("eventName", action);
    r.put("awsRegion", "eu-west-1");
    r.put("recipientAccountId", "111122223333");
    r.put("sourceIPAddress", ip);
    r.put("userAgent", ua);
    ObjectNode who = r.putObject("userIdentity");
    who.put("type", "IAMUser");
    who.put("accountId", "111122223333");
    who.put("arn", "arn:aws:iam::111122223333:user/" + (key.endsWith("CI") ? "ci-deploy" : "user-" + key));
    who.put("userName", key.endsWith("CI") ? "ci-deploy" : "user-" + key);
    who.put("accessKeyId", key);
    return r;
  }

  static AuditEvent event(ObjectNode record) {
    try {
      return CloudTrailNormalizer.normalize(record, new AuditEvent.Origin("test", 0));
    } catch (CloudTrailNormalizer.RejectedRecord e) {
      throw new AssertionError(e);
    }
  }

  static AuditEvent call(String id, int minute, String action, String key, String ip) {
    String source = switch (action) {
      case "GetCallerIdentity", "AssumeRole", "GetSessionToken" -> "sts.amazonaws.com";
      case "CreateAccessKey", "ListUsers", "ListRoles" -> "iam.amazonaws.com";
      default -> "ec2.amazonaws.com";
    };
    return event(record(id, minute, source, action, key, ip, "TruffleHog"));
  }

  static AuditEvent createAccessKey(String id, int minute, String key, String ip, String newKey, String forUser) {
    ObjectNode r = record(id, minute, "iam.amazonaws.com", "CreateAccessKey", key, ip, "aws-cli/2.15.0");
    r.putObject("requestParameters").put("userName", forUser);
    ObjectNode ak = r.putObject("responseElements").putObject("accessKey");
    ak.put("accessKeyId", newKey);
    ak.put("userName", forUser);
    ak.put("status", "Active");
    return event(r);
  }

  static AuditEvent assumeRole(String id, int minute, String key, String ip, String sessionKey) {
    ObjectNode r = record(id, minute, "sts.amazonaws.com", "AssumeRole", key, ip, "aws-cli/2.15.0");
    r.putObject("requestParameters").put("roleArn", "arn:aws:iam::111122223333:role/admin");
    ObjectNode resp = r.putObject("responseElements");
    resp.putObject("credentials").put("accessKeyId", sessionKey);
    resp.putObject("assumedRoleUser").put("arn", "arn:aws:sts::111122223333:assumed-role/admin/x");
    return event(r);
  }

  static AuditEvent getObject(String id, int minute, String key, String ip, String bucket, String object,
      long bytes) {
    ObjectNode r = record(id, minute, "s3.amazonaws.com", "GetObject", key, ip, "aws-cli/2.15.0");
    r.put("readOnly", true);
    ObjectNode p = r.putObject("requestParameters");
    p.put("bucketName", bucket);
    p.put("key", object);
    r.putObject("additionalEventData").put("bytesTransferredOut", bytes);
    return event(r);
  }

  static AuditEvent failed(AuditEvent e, String errorCode) {
    ObjectNode r = e.raw().deepCopy();
    r.put("errorCode", errorCode);
    return event(r);
  }

  static Alert alert(String rule, Severity severity, List<String> tactics, List<String> techniques,
      List<AuditEvent> events, Map<String, Object> details) {
    AuditEvent last = events.get(events.size() - 1);
    return new Alert(rule, "Test rule " + rule, severity, techniques, tactics, "because " + rule, last.time(),
        events, "behaviour", List.of(), details);
  }

  static Alert alert(String rule, Severity severity, String tactic, AuditEvent... events) {
    return alert(rule, severity, List.of(tactic), List.of(), List.of(events), Map.of());
  }
}
