package dev.vigil.detect.sigma;

import static dev.vigil.detect.sigma.SigmaTesting.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import dev.vigil.ingest.AuditEvent;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sigma v2.1 correlation rules evaluated while streaming, and old-style aggregations. */
class CorrelationTest {

  private static String base(String name, String eventName) {
    return "title: " + name + "\nname: " + name + "\nlogsource:\n  product: aws\n  service: cloudtrail\n"
        + "detection:\n  sel:\n    eventName: " + eventName + "\n  condition: sel\n";
  }

  private static String correlation(String body) {
    return "title: Correlated\nid: 55555555-5555-4555-8555-555555555555\nlevel: high\ncorrelation:\n"
        + body.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }

  private static AuditEvent ev(String time, String id, String name, String key) {
    return at(time, id, "{\"eventName\":\"" + name + "\",\"userIdentity\":{\"accessKeyId\":\"" + key + "\"}}");
  }

  private static List<List<String>> fired(String yaml, AuditEvent... events) {
    List<List<String>> out = new ArrayList<>();
    for (Alert a : SigmaTesting.run(SigmaTesting.compile(yaml, Map.of()), events)) {
      List<String> ids = new ArrayList<>();
      ids.add(a.ruleId());
      a.events().forEach(e -> ids.add(e.eventId()));
      out.add(ids);
    }
    return out;
  }

  private static final String CID = "55555555-5555-4555-8555-555555555555";

  @Test
  void eventCountFiresAtTheThresholdPerGroupWithAllEvents() {
    String yaml = correlation("""
        type: event_count
        rules:
          - denied
        group-by:
          - userIdentity.accessKeyId
        timespan: 10m
        condition:
          gte: 3
        """) + "---\n" + base("denied", "ListUsers");
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1"),
        ev("2026-03-10T09:01:00Z", "2", "ListUsers", "K2"),
        ev("2026-03-10T09:02:00Z", "3", "ListUsers", "K1"),
        ev("2026-03-10T09:03:00Z", "4", "GetUser", "K1"),
        ev("2026-03-10T09:04:00Z", "5", "ListUsers", "K1"),
        ev("2026-03-10T09:05:00Z", "6", "ListUsers", "K1")))
        .as("fires once for K1 at its third event, then starts over; K2 never reaches 3")
        .containsExactly(List.of(CID, "1", "3", "5"));
  }

  @Test
  void eventsOutsideTheTimespanDoNotCount() {
    String yaml = correlation("""
        type: event_count
        rules:
          - denied
        group-by:
          - userIdentity.accessKeyId
        timespan: 10m
        condition:
          gte: 3
        """) + "---\n" + base("denied", "ListUsers");
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1"),
        ev("2026-03-10T09:06:00Z", "2", "ListUsers", "K1"),
        ev("2026-03-10T09:12:00Z", "3", "ListUsers", "K1"),
        ev("2026-03-10T09:13:00Z", "4", "ListUsers", "K1")))
        .containsExactly(List.of(CID, "2", "3", "4"));
  }

  @Test
  void referencedRulesAreSilentUnlessGenerateIsTrue() {
    String body = """
        type: event_count
        rules:
          - denied
        timespan: 10m
        condition:
          gte: 2
        """;
    assertThat(fired(correlation(body) + "---\n" + base("denied", "ListUsers"),
        ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1"))).isEmpty();
    assertThat(fired(correlation(body).replace("level: high\n", "level: high\ngenerate: true\n") + "---\n"
        + base("denied", "ListUsers"), ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1")))
        .containsExactly(List.of("denied", "1"));
  }

  @Test
  void valueCountCountsDistinctValues() {
    String yaml = correlation("""
        type: value_count
        rules:
          - calls
        group-by:
          - userIdentity.accessKeyId
        timespan: 30m
        condition:
          field: sourceIPAddress
          gt: 2
        """) + "---\n" + base("calls", "ListBuckets");
    String f = "{\"eventName\":\"ListBuckets\",\"userIdentity\":{\"accessKeyId\":\"K1\"},\"sourceIPAddress\":\"%s\"}";
    assertThat(fired(yaml,
        at("2026-03-10T09:00:00Z", "1", f.formatted("1.1.1.1")),
        at("2026-03-10T09:01:00Z", "2", f.formatted("1.1.1.1")),
        at("2026-03-10T09:02:00Z", "3", f.formatted("2.2.2.2")),
        at("2026-03-10T09:03:00Z", "4", f.formatted("3.3.3.3"))))
        .containsExactly(List.of(CID, "1", "2", "3", "4"));
    assertThat(fired(yaml,
        at("2026-03-10T09:00:00Z", "1", f.formatted("1.1.1.1")),
        at("2026-03-10T09:01:00Z", "2", f.formatted("2.2.2.2")),
        at("2026-03-10T09:02:00Z", "3", f.formatted("2.2.2.2")))).isEmpty();
  }

  @Test
  void valueSumAndValueAvg() {
    String sum = correlation("""
        type: value_sum
        rules:
          - reads
        group-by:
          - userIdentity.accessKeyId
        timespan: 1h
        condition:
          field: additionalEventData.bytesTransferredOut
          gte: 1000
        """) + "---\n" + base("reads", "GetObject");
    String f = "{\"eventName\":\"GetObject\",\"userIdentity\":{\"accessKeyId\":\"K1\"},"
        + "\"additionalEventData\":{\"bytesTransferredOut\":%d}}";
    assertThat(fired(sum,
        at("2026-03-10T09:00:00Z", "1", f.formatted(400)),
        at("2026-03-10T09:30:00Z", "2", f.formatted(500)),
        at("2026-03-10T09:59:00Z", "3", f.formatted(100))))
        .containsExactly(List.of(CID, "1", "2", "3"));
    assertThat(fired(sum,
        at("2026-03-10T09:00:00Z", "1", f.formatted(600)),
        at("2026-03-10T10:30:00Z", "2", f.formatted(600)))).as("the first read left the hour").isEmpty();
    String avg = sum.replace("value_sum", "value_avg").replace("gte: 1000", "gt: 500");
    assertThat(fired(avg,
        at("2026-03-10T09:00:00Z", "1", f.formatted(400)),
        at("2026-03-10T09:01:00Z", "2", f.formatted(400)),
        at("2026-03-10T09:02:00Z", "3", f.formatted(900))))
        .containsExactly(List.of(CID, "1", "2", "3"));
  }

  @Test
  void temporalNeedsEveryRuleInAnyOrder() {
    String yaml = correlation("""
        type: temporal
        rules:
          - check
          - persist
        group-by:
          - userIdentity.accessKeyId
        timespan: 1h
        """) + "---\n" + base("check", "GetCallerIdentity") + "---\n" + base("persist", "CreateAccessKey");
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "CreateAccessKey", "K1"),
        ev("2026-03-10T09:10:00Z", "2", "GetCallerIdentity", "K2"),
        ev("2026-03-10T09:20:00Z", "3", "GetCallerIdentity", "K1")))
        .containsExactly(List.of(CID, "1", "3"));
  }

  @Test
  void temporalOrderedNeedsTheOrder() {
    String yaml = correlation("""
        type: temporal_ordered
        rules:
          - check
          - persist
        group-by:
          - userIdentity.accessKeyId
        timespan: 1h
        """) + "---\n" + base("check", "GetCallerIdentity") + "---\n" + base("persist", "CreateAccessKey");
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "CreateAccessKey", "K1"),
        ev("2026-03-10T09:20:00Z", "2", "GetCallerIdentity", "K1"))).as("wrong order").isEmpty();
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "GetCallerIdentity", "K1"),
        ev("2026-03-10T09:20:00Z", "2", "GetCallerIdentity", "K2"),
        ev("2026-03-10T09:30:00Z", "3", "CreateAccessKey", "K1")))
        .containsExactly(List.of(CID, "1", "3"));
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "GetCallerIdentity", "K1"),
        ev("2026-03-10T10:30:00Z", "2", "CreateAccessKey", "K1"))).as("outside the timespan").isEmpty();
  }

  @Test
  void upperBoundConditionsAreDecidedWhenTheWindowCloses() {
    String yaml = correlation("""
        type: event_count
        rules:
          - logins
        group-by:
          - userIdentity.accessKeyId
        timespan: 10m
        condition:
          gte: 1
          lt: 3
        """) + "---\n" + base("logins", "ConsoleLogin");
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "ConsoleLogin", "K1"),
        ev("2026-03-10T09:01:00Z", "2", "ConsoleLogin", "K1"),
        ev("2026-03-10T09:02:00Z", "3", "ConsoleLogin", "K1"),
        ev("2026-03-10T09:20:00Z", "4", "ConsoleLogin", "K1")))
        .as("first window has 3 (no), the second has 1 (yes, decided at the end of input)")
        .containsExactly(List.of(CID, "4"));
  }

  @Test
  void correlationsChainAndAliasesMapFields() {
    String yaml = """
        title: Chain
        id: 66666666-6666-4666-8666-666666666666
        correlation:
          type: temporal_ordered
          rules:
            - many_denied
            - grant
          group-by:
            - actor
          timespan: 1h
          aliases:
            actor:
              many_denied: userIdentity.accessKeyId
              grant: requestParameters.grantedTo
        ---
        title: Many denied
        name: many_denied
        correlation:
          type: event_count
          rules:
            - denied
          group-by:
            - userIdentity.accessKeyId
          timespan: 10m
          condition:
            gte: 2
        ---
        """ + base("denied", "ListUsers") + "---\n" + base("grant", "AttachUserPolicy");
    assertThat(fired(yaml,
        ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1"),
        ev("2026-03-10T09:01:00Z", "2", "ListUsers", "K1"),
        at("2026-03-10T09:05:00Z", "3", "{\"eventName\":\"AttachUserPolicy\",\"userIdentity\":{\"accessKeyId\":"
            + "\"ADMIN\"},\"requestParameters\":{\"grantedTo\":\"K1\"}}")))
        .containsExactly(List.of("66666666-6666-4666-8666-666666666666", "1", "2", "3"));
  }

  @Test
  void correlationAlertSeverityAndTagsComeFromItsHeader() {
    String yaml = correlation("""
        type: event_count
        rules:
          - denied
        timespan: 10m
        condition:
          gte: 1
        """).replace("level: high\n", "level: critical\ntags:\n  - attack.discovery\n  - attack.t1087.004\n")
        + "---\n" + base("denied", "ListUsers");
    List<Alert> alerts = SigmaTesting.run(SigmaTesting.compile(yaml, Map.of()),
        ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1"));
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(alerts.get(0).techniques()).containsExactly("T1087.004");
    assertThat(alerts.get(0).details()).containsEntry("correlation_type", "event_count")
        .containsEntry("events_total", 1).containsEntry("condition", "gte 1");
  }

  @Test
  void stateIsBounded() throws Exception {
    String yaml = correlation("""
        type: event_count
        rules:
          - denied
        group-by:
          - userIdentity.accessKeyId
        timespan: 1h
        condition:
          gte: 2
        """) + "---\n" + base("denied", "ListUsers");
    SigmaLoader loader = new SigmaLoader(Map.of());
    loader.load(new StringReader(yaml), "test");
    loader.resolve();
    SigmaRuleSet set = new SigmaRuleSet(loader.rules(), loader.correlations(),
        new CorrelationEngine.Limits(2, 10, 5));
    // three keys, room for two groups: K1's first event is evicted before its second arrives
    List<Alert> alerts = SigmaTesting.run(set,
        ev("2026-03-10T09:00:00Z", "1", "ListUsers", "K1"),
        ev("2026-03-10T09:01:00Z", "2", "ListUsers", "K2"),
        ev("2026-03-10T09:02:00Z", "3", "ListUsers", "K3"),
        ev("2026-03-10T09:03:00Z", "4", "ListUsers", "K1"),
        ev("2026-03-10T09:04:00Z", "5", "ListUsers", "K3"));
    assertThat(alerts).extracting(a -> a.events().get(0).eventId()).containsExactly("3");
  }

  @Test
  void invalidCorrelationsAreRejectedPrecisely() {
    assertThat(SigmaTesting.rejection(correlation("""
        type: event_count
        rules:
          - nowhere
        timespan: 10m
        condition:
          gte: 2
        """))).contains("correlation refers to rule 'nowhere', which is not loaded");
    assertThat(SigmaTesting.rejection(correlation("""
        type: value_count
        rules:
          - a
        timespan: 10m
        condition:
          gte: 2
        """) + "---\n" + base("a", "X"))).contains("value_count needs 'field' in its condition");
    assertThat(SigmaTesting.rejection(correlation("""
        type: event_count
        rules:
          - a
        timespan: ten minutes
        condition:
          gte: 2
        """) + "---\n" + base("a", "X"))).contains("timespan 'ten minutes' is not a number followed by s, m, h, d");
    assertThat(SigmaTesting.rejection(correlation("""
        type: value_percentile
        rules:
          - a
        timespan: 1h
        condition:
          gte: 2
        """) + "---\n" + base("a", "X"))).contains("correlation type 'value_percentile' is not one Vigil evaluates");
  }

  @Test
  void oldStyleAggregationsAreConvertedOrRejected() {
    String count = """
        title: Old count
        id: 77777777-7777-4777-8777-777777777777
        logsource:
          product: aws
          service: cloudtrail
        detection:
          sel:
            eventName: ListUsers
          timeframe: 10m
          condition: sel | count() by sourceIPAddress > 1
        """;
    SigmaRules.Loaded l = SigmaRules.fromYaml(count, Map.of());
    assertThat(l.rejected()).isEmpty();
    assertThat(l.ruleSet().correlations()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(CorrelationRule.Type.EVENT_COUNT);
      assertThat(c.groupBy).containsExactly("sourceIPAddress");
      assertThat(c.timespanMillis).isEqualTo(600_000L);
    });
    String f = "{\"eventName\":\"ListUsers\",\"sourceIPAddress\":\"%s\"}";
    assertThat(SigmaTesting.run(l.ruleSet(),
        at("2026-03-10T09:00:00Z", "1", f.formatted("1.1.1.1")),
        at("2026-03-10T09:01:00Z", "2", f.formatted("2.2.2.2")),
        at("2026-03-10T09:02:00Z", "3", f.formatted("1.1.1.1"))))
        .extracting(Alert::ruleId).containsExactly("77777777-7777-4777-8777-777777777777");
    assertThat(SigmaRules.fromYaml(count.replace("count() by sourceIPAddress", "count(userName) by sourceIPAddress"),
        Map.of()).ruleSet().correlations().get(0).type()).isEqualTo(CorrelationRule.Type.VALUE_COUNT);
    assertThat(SigmaTesting.rejection(count.replace("  timeframe: 10m\n", "")))
        .contains("has no 'timeframe' under detection");
    assertThat(SigmaTesting.rejection(count.replace("count() by sourceIPAddress > 1", "max(x) > 1")))
        .contains("old-style aggregation 'max()' has no Sigma v2.1 correlation equivalent");
  }
}
