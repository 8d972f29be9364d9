package dev.vigil.detect.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A test file of CloudTrail records (JSON Lines) in which the alerts each event must raise are written beside
 * it, Error Prone style: {@code "_expect": ["vigil.x.y"]}. Harness-only fields, stripped before the record is
 * normalised: {@code _comment}; {@code _repeat} {count, every_minutes|every_seconds, ips[], buckets[], actions[]}
 * to write a baseline of N copies in one line (copy i gets eventID {@code <id>-i} and cycles the lists);
 * {@code _expect_copy} (1-based) to put the expectation on one copy.
 */
final class ExpectationFile {

  /** "ruleId|eventId|principal" strings, sorted: what the file expects, and what the engine raised. */
  record Outcome(Set<String> expected, Set<String> actual, List<Alert> alerts) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  static List<ObjectNode> expand(String resource, List<String[]> expectations) {
    List<ObjectNode> out = new ArrayList<>();
    try (InputStream in = ExpectationFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode r = (ObjectNode) JSON.readTree(line);
        JsonNode expect = r.remove("_expect");
        JsonNode repeat = r.remove("_repeat");
        JsonNode copy = r.remove("_expect_copy");
        r.remove("_comment");
        int n = repeat == null ? 1 : repeat.path("count").asInt();
        long step = repeat == null ? 0
            : repeat.has("every_minutes") ? repeat.path("every_minutes").asLong() * 60 : repeat.path("every_seconds").asLong();
        Instant t0 = Instant.parse(r.path("eventTime").asText());
        for (int i = 0; i < n; i++) {
          ObjectNode c = r.deepCopy();
          if (repeat != null) {
            c.put("eventID", r.path("eventID").asText() + "-" + (i + 1));
            c.put("eventTime", t0.plusSeconds(step * i).toString());
            cycle(repeat, "ips", i, v -> c.put("sourceIPAddress", v));
            cycle(repeat, "buckets", i, v -> ((ObjectNode) c.path("requestParameters")).put("bucketName", v));
            cycle(repeat, "actions", i, v -> {
              String[] sa = v.split(":");
              c.put("eventSource", sa[0] + ".amazonaws.com");
              c.put("eventName", sa[1]);
            });
          }
          boolean expectedHere = expect != null && (copy == null ? repeat == null : copy.asInt() == i + 1);
          if (expectedHere) {
            for (JsonNode id : expect) {
              expectations.add(new String[] {id.asText(), c.path("eventID").asText()});
            }
          }
          out.add(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void cycle(JsonNode repeat, String list, int i, java.util.function.Consumer<String> set) {
    JsonNode l = repeat.path(list);
    if (l.isArray() && l.size() > 0) {
      set.accept(l.get(i % l.size()).asText());
    }
  }

  static List<AuditEvent> events(List<ObjectNode> records, String source) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      try {
        events.add(CloudTrailNormalizer.normalize(records.get(i), new AuditEvent.Origin(source, i)));
      } catch (CloudTrailNormalizer.RejectedRecord e) {
        throw new IllegalStateException(source + " record " + i + ": " + e.getMessage());
      }
    }
    return events;
  }

  /** Runs {@code engine} over the file and returns expected and actual "rule|trigger event|principal". */
  static Outcome run(String resource, BehaviourEngine engine) {
    List<String[]> exp = new ArrayList<>();
    List<AuditEvent> events = events(expand(resource, exp), resource);
    java.util.Map<String, String> principalOf = new java.util.HashMap<>();
    events.forEach(e -> principalOf.put(e.eventId(), Origins.principal(e.actor())));
    Set<String> expected = new TreeSet<>();
    for (String[] x : exp) {
      expected.add(x[0] + "|" + x[1] + "|" + principalOf.get(x[1]));
    }
    List<Alert> alerts = new ArrayList<>();
    events.forEach(e -> engine.accept(e, alerts::add));
    engine.finish(alerts::add);
    Set<String> actual = new TreeSet<>();
    for (Alert a : alerts) {
      actual.add(a.ruleId() + "|" + a.trigger().eventId() + "|" + a.details().get("principal"));
    }
    return new Outcome(expected, actual, alerts);
  }
}
