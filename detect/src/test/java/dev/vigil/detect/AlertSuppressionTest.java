package dev.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertSuppressionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Alert alert(String rule, String id, String time, String key, String ip) throws Exception {
    ObjectNode raw = (ObjectNode) JSON.readTree("{\"eventID\":\"" + id + "\",\"eventTime\":\"" + time
        + "\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\","
        + "\"sourceIPAddress\":\"" + ip + "\",\"userAgent\":\"aws-cli/2.15.0 distrib#kali.2024\","
        + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/ci\","
        + "\"accessKeyId\":\"" + key + "\",\"accountId\":\"111122223333\"}}");
    AuditEvent e = CloudTrailNormalizer.normalize(raw, new AuditEvent.Origin("test", 0));
    return new Alert(rule, "t", Severity.HIGH, List.of(), List.of(), "x", e.time(), List.of(e), "sigma", List.of(),
        null);
  }

  @Test
  void repeatsOfOneRuleKeyAndAddressWithinTheWindowAreFolded() throws Exception {
    AlertSuppression s = new AlertSuppression(Duration.ofHours(1), 100);
    assertThat(s.admit(alert("r1", "e1", "2026-03-19T20:00:00Z", "AKIAONE", "1.2.3.4"))).isTrue();
    assertThat(s.admit(alert("r1", "e2", "2026-03-19T20:10:00Z", "AKIAONE", "1.2.3.4"))).isFalse();
    assertThat(s.admit(alert("r1", "e3", "2026-03-19T19:59:00Z", "AKIAONE", "1.2.3.4"))).isFalse(); // late
    // another address, another key, another rule: new findings
    assertThat(s.admit(alert("r1", "e4", "2026-03-19T20:11:00Z", "AKIAONE", "5.6.7.8"))).isTrue();
    assertThat(s.admit(alert("r1", "e5", "2026-03-19T20:12:00Z", "AKIATWO", "1.2.3.4"))).isTrue();
    assertThat(s.admit(alert("r2", "e6", "2026-03-19T20:13:00Z", "AKIAONE", "1.2.3.4"))).isTrue();
    // the window has passed since the reported one
    assertThat(s.admit(alert("r1", "e7", "2026-03-19T21:00:00Z", "AKIAONE", "1.2.3.4"))).isTrue();
    assertThat(s.folded()).isEqualTo(2);
  }

  @Test
  void aZeroWindowReportsEveryMatchAndMemoryIsBounded() throws Exception {
    AlertSuppression all = new AlertSuppression(Duration.ZERO, 100);
    assertThat(all.admit(alert("r1", "e1", "2026-03-19T20:00:00Z", "AKIAONE", "1.2.3.4"))).isTrue();
    assertThat(all.admit(alert("r1", "e2", "2026-03-19T20:00:01Z", "AKIAONE", "1.2.3.4"))).isTrue();
    AlertSuppression small = new AlertSuppression(Duration.ofHours(1), 1);
    assertThat(small.admit(alert("r1", "e1", "2026-03-19T20:00:00Z", "AKIAONE", "1.2.3.4"))).isTrue();
    assertThat(small.admit(alert("r1", "e2", "2026-03-19T20:00:01Z", "AKIATWO", "1.2.3.4"))).isTrue();
    // AKIAONE was forgotten to make room: its repeat is reported again
    assertThat(small.admit(alert("r1", "e3", "2026-03-19T20:00:02Z", "AKIAONE", "1.2.3.4"))).isTrue();
  }
}
