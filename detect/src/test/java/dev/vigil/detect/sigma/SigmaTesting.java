package dev.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers to write rule tests as YAML and events as JSON. */
final class SigmaTesting {
  static final String RULE_ID = "11111111-1111-4111-8111-111111111111";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static int eventCounter;

  private SigmaTesting() {}

  /** A complete rule around a detection section (written with two-space indentation, without 'detection:'). */
  static String rule(String detection) {
    return "title: Test rule\nid: " + RULE_ID + "\nstatus: test\nlevel: high\ntags:\n  - attack.persistence\n"
        + "  - attack.t1098.001\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n"
        + detection.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }

  static SigmaRuleSet compile(String yaml, Map<String, List<String>> placeholders) {
    SigmaRules.Loaded l = SigmaRules.fromYaml(yaml, placeholders);
    assertThat(l.rejected()).as("rejections").isEmpty();
    return l.ruleSet();
  }

  /** Whether a rule with this detection fires on this event. */
  static boolean fires(String detection, String eventJson) {
    return !run(compile(rule(detection), Map.of()), event(eventJson)).isEmpty();
  }

  /** The reason the loader gives for rejecting this YAML (exactly one rejection expected). */
  static String rejection(String yaml) {
    return rejection(yaml, Map.of());
  }

  static String rejection(String yaml, Map<String, List<String>> placeholders) {
    SigmaRules.Loaded l = SigmaRules.fromYaml(yaml, placeholders);
    assertThat(l.rejected()).as("rejections").hasSize(1);
    return l.rejected().get(0).toString();
  }

  static List<Alert> run(SigmaRuleSet set, AuditEvent... events) {
    List<Alert> out = new ArrayList<>();
    for (AuditEvent e : events) {
      set.accept(e, out::add);
    }
    set.finish(out::add);
    return out;
  }

  /** An event from JSON; eventTime and eventID get defaults when absent. */
  static AuditEvent event(String json) {
    try {
      ObjectNode n = (ObjectNode) JSON.readTree(json);
      if (!n.has("eventTime")) {
        n.put("eventTime", "2026-03-10T09:00:00Z");
      }
      if (!n.has("eventID")) {
        n.put("eventID", "e" + (++eventCounter));
      }
      return CloudTrailNormalizer.normalize(n, new AuditEvent.Origin("test", eventCounter));
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** An event at a time, for correlation tests. */
  static AuditEvent at(String time, String id, String json) {
    String body = json.trim();
    return event("{\"eventTime\":\"" + time + "\",\"eventID\":\"" + id + "\"," + body.substring(1));
  }
}
