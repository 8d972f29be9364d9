package dev.vigil.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builders for small, valid CloudTrail records used across the ingest tests. */
final class Records {
  private Records() {}

  static String record(String id) {
    return record(id, "2026-03-19T10:00:00Z");
  }

  static String record(String id, String time) {
    return "{\"eventVersion\":\"1.09\",\"eventID\":\"" + id + "\",\"eventTime\":\"" + time + "\","
        + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\","
        + "\"sourceIPAddress\":\"203.0.113.9\",\"userAgent\":\"aws-cli/2.15.30\","
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"111122223333\","
        + "\"arn\":\"arn:aws:iam::111122223333:user/ci\",\"accessKeyId\":\"AKIAEXAMPLEEXAMPLE22\",\"userName\":\"ci\"},"
        + "\"requestParameters\":{\"bucketName\":\"tenant-a\",\"key\":\"mail/1.eml\"},"
        + "\"additionalEventData\":{\"bytesTransferredOut\":1234},"
        + "\"readOnly\":true,\"recipientAccountId\":\"111122223333\"}";
  }

  static String recordsFile(int n, String prefix) {
    StringBuilder b = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(record(prefix + i));
    }
    return b.append("]}").toString();
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
