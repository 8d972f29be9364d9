package dev.vigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Generated CloudTrail records with known ground truth, and a tiny detector for them. */
final class Batches {
  static final ObjectMapper JSON = new ObjectMapper();

  private Batches() {}

  /** One record: key, address, user agent, action, optional bucket/object/bytes. */
  static ObjectNode record(String id, Instant time, String key, String ip, String agent, String action,
      String bucket, long bytes) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.09").put("eventTime", time.toString()).put("eventID", id)
        .put("eventSource", bucket == null ? "sts.amazonaws.com" : "s3.amazonaws.com").put("eventName", action)
        .put("awsRegion", "eu-west-1").put("sourceIPAddress", ip).put("userAgent", agent)
        .put("recipientAccountId", "111122223333").put("readOnly", true);
    ObjectNode who = r.putObject("userIdentity");
    who.put("type", "IAMUser").put("accessKeyId", key).put("accountId", "111122223333")
        .put("arn", "arn:aws:iam::111122223333:user/ci-" + key).put("userName", "ci-" + key);
    if (bucket != null) {
      r.putObject("requestParameters").put("bucketName", bucket).put("key", "mail/" + id + ".eml");
      r.putObject("additionalEventData").put("bytesTransferredOut", bytes);
      r.put("eventCategory", "Data");
    }
    return r;
  }

  /**
   * Two attacker chains: key AKIAATTACKER0000000A (TruffleHog from 203.0.113.10) reading bucket tenant-a, and
   * AKIAATTACKER0000000B (TruffleHog from 198.51.100.20) reading tenant-b; plus a benign reader of tenant-a.
   * Event ids are {@code prefix-N}.
   */
  static ArrayNode twoChains(String prefix, Instant start) {
    ArrayNode records = JSON.createArrayNode();
    int n = 0;
    records.add(record(prefix + "-" + n++, start, "AKIAATTACKER0000000A", "203.0.113.10", "TruffleHog",
        "GetCallerIdentity", null, 0));
    records.add(record(prefix + "-" + n++, start.plusSeconds(60), "AKIAATTACKER0000000B", "198.51.100.20",
        "TruffleHog", "GetCallerIdentity", null, 0));
    for (int i = 0; i < 5; i++) {
      records.add(record(prefix + "-" + n++, start.plusSeconds(120 + i), "AKIAATTACKER0000000A", "203.0.113.10",
          "aws-cli/2.15.0", "GetObject", "tenant-a", 1000));
      records.add(record(prefix + "-" + n++, start.plusSeconds(180 + i), "AKIAATTACKER0000000B", "198.51.100.20",
          "aws-cli/2.15.0", "GetObject", "tenant-b", 2000));
      records.add(record(prefix + "-" + n++, start.plusSeconds(200 + i), "AKIABENIGN0000000000", "192.0.2.5",
          "aws-sdk-java/2.25", "GetObject", "tenant-a", 10));
    }
    return records;
  }

  static ObjectNode wrap(ArrayNode records) {
    ObjectNode o = JSON.createObjectNode();
    o.set("Records", records);
    return o;
  }

  /** Flags attacker tooling in the user agent: one alert per event. */
  static final class TruffleHogDetector implements Detector {
    @Override
    public void accept(AuditEvent e, Consumer<Alert> alerts) {
      if (e.userAgent() != null && e.userAgent().contains("TruffleHog")) {
        alerts.accept(new Alert("test.trufflehog", "TruffleHog user agent", Severity.HIGH, List.of("T1078.004"),
            List.of("credential-access"), "TruffleHog validated a key", e.time(), List.of(e), "behaviour",
            List.of(), null));
      }
    }
  }
}
