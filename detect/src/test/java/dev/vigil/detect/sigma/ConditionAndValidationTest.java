package dev.vigil.detect.sigma;

import static dev.vigil.detect.sigma.SigmaTesting.fires;
import static dev.vigil.detect.sigma.SigmaTesting.rejection;
import static dev.vigil.detect.sigma.SigmaTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.Alert;
import dev.vigil.detect.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conditions (and, or, not, parentheses, x of) and rule validation with precise messages. */
class ConditionAndValidationTest {
  private static final String SELECTIONS = """
      sel_a:
        eventName: A
      sel_b:
        userAgent: B
      filter_c:
        errorCode: C
      _private:
        sourceIPAddress: D
      """;

  private static boolean eval(String condition, String event) {
    return fires(SELECTIONS + "condition: " + condition, event);
  }

  private static final String A = "{\"eventName\":\"A\"}";
  private static final String AB = "{\"eventName\":\"A\",\"userAgent\":\"B\"}";
  private static final String B = "{\"userAgent\":\"B\"}";
  private static final String C = "{\"errorCode\":\"C\"}";
  private static final String AC = "{\"eventName\":\"A\",\"errorCode\":\"C\"}";
  private static final String ABD = "{\"eventName\":\"A\",\"userAgent\":\"B\",\"errorCode\":\"C\","
      + "\"sourceIPAddress\":\"D\"}";
  private static final String NONE = "{\"eventName\":\"Z\"}";

  @Test
  void andOrNot() {
    assertThat(eval("sel_a and sel_b", AB)).isTrue();
    assertThat(eval("sel_a and sel_b", A)).isFalse();
    assertThat(eval("sel_a or sel_b", B)).isTrue();
    assertThat(eval("sel_a or sel_b", NONE)).isFalse();
    assertThat(eval("sel_a and not filter_c", A)).isTrue();
    assertThat(eval("sel_a and not filter_c", AC)).isFalse();
  }

  @Test
  void precedenceIsOrThenAndThenNot() {
    // a or b and c == a or (b and c)
    assertThat(eval("sel_a or sel_b and filter_c", A)).isTrue();
    assertThat(eval("sel_a or sel_b and filter_c", B)).isFalse();
    // not a and b == (not a) and b
    assertThat(eval("not sel_a and sel_b", B)).isTrue();
    assertThat(eval("not sel_a and sel_b", AB)).isFalse();
    // parentheses
    assertThat(eval("(sel_a or sel_b) and filter_c", C)).isFalse();
    assertThat(eval("(sel_a or sel_b) and filter_c", AC)).isTrue();
    assertThat(eval("not (sel_a or sel_b)", NONE)).isTrue();
    assertThat(eval("not (sel_a or sel_b)", B)).isFalse();
  }

  @Test
  void oneOfAndAllOfPatterns() {
    assertThat(eval("1 of sel_*", B)).isTrue();
    assertThat(eval("1 of sel_*", C)).isFalse();
    assertThat(eval("all of sel_*", AB)).isTrue();
    assertThat(eval("all of sel_*", A)).isFalse();
    assertThat(eval("1 of sel_* and not 1 of filter_*", AB)).isTrue();
    assertThat(eval("1 of sel_* and not 1 of filter_*", AC)).isFalse();
    assertThat(eval("all of *_a", A)).isTrue();
  }

  @Test
  void themLeavesOutUnderscoredIdentifiers() {
    assertThat(eval("1 of them", C)).isTrue();
    assertThat(eval("1 of them", "{\"sourceIPAddress\":\"D\"}")).isFalse();
    assertThat(eval("all of them", AC)).isFalse();
    assertThat(eval("all of them", "{\"eventName\":\"A\",\"userAgent\":\"B\",\"errorCode\":\"C\"}")).isTrue();
    assertThat(eval("all of them and _private", ABD)).isTrue();
  }

  @Test
  void aListOfConditionsIsOr() {
    String d = SELECTIONS + "condition:\n  - sel_a and filter_c\n  - sel_b";
    assertThat(fires(d, B)).isTrue();
    assertThat(fires(d, AC)).isTrue();
    assertThat(fires(d, A)).isFalse();
  }

  @Test
  void conditionErrorsNameTheProblem() {
    assertThat(rejection(rule(SELECTIONS + "condition: sel_a and sel_x")))
        .contains("unknown search identifier 'sel_x'");
    assertThat(rejection(rule(SELECTIONS + "condition: (sel_a or sel_b")))
        .contains("missing ')'");
    assertThat(rejection(rule(SELECTIONS + "condition: 2 of sel_*")))
        .contains("'2 of' is not Sigma");
    assertThat(rejection(rule(SELECTIONS + "condition: 1 of nothing_*")))
        .contains("'1 of nothing_*' matches no search identifier");
    assertThat(rejection(rule(SELECTIONS + "condition: sel_a sel_b")))
        .contains("unexpected 'sel_b'");
    assertThat(rejection(rule(SELECTIONS + "condition: sel_a and")))
        .contains("ends where a search identifier");
  }

  @Test
  void validationRejectsWithFileRuleAndLine() {
    String noTitle = "id: 22222222-2222-4222-8222-222222222222\nlogsource:\n  product: aws\n  service: cloudtrail\n"
        + "detection:\n  sel:\n    eventName: X\n  condition: sel\n";
    assertThat(rejection(noTitle)).isEqualTo("(inline): rule 22222222-2222-4222-8222-222222222222: line 1 column 1: title is missing");
    assertThat(rejection(rule("sel:\n  eventName: X\ncondition: sel").replace("level: high", "level: severe")))
        .startsWith("(inline): rule " + SigmaTesting.RULE_ID).contains("line 4 column 1: level 'severe' is not one of");
    assertThat(rejection(rule("sel:\n  eventName: X\ncondition: sel").replace("status: test", "status: beta")))
        .contains("status 'beta' is not one of");
    assertThat(rejection(rule("sel:\n  eventName: X\ncondition: sel").replace("product: aws", "product: windows")))
        .contains("logsource product 'windows' service 'cloudtrail' is not AWS CloudTrail");
    assertThat(rejection(rule("sel:\n  eventName: X")))
        .contains("detection has no condition");
    assertThat(rejection(rule("sel:\n  eventName: X\n  eventName: Y\ncondition: sel")))
        .contains("duplicate key 'eventName' at line 14 column 5");
    assertThat(rejection("title: [unclosed\n")).startsWith("(inline): invalid YAML at line");
    assertThat(rejection(rule("sel:\n  eventName: {a: 1}\ncondition: sel")))
        .contains("line 13 column 5: 'eventName': a value must be a string, number, boolean or null, not a map");
    assertThat(rejection(rule("sel: []\ncondition: sel"))).contains("search identifier 'sel' is an empty list");
    assertThat(rejection(rule("sel:\n  eventName: X\ncondition: sel").replace("title: Test rule\n",
        "title: Test rule\ndate: 03/10/2026\n"))).contains("date '03/10/2026' is not a date YYYY-MM-DD");
  }

  @Test
  void duplicateIdsAreRejectedNamingTheFirst() {
    String r = rule("sel:\n  eventName: X\ncondition: sel");
    assertThat(rejection(r + "---\n" + r)).contains("(document 2)").contains("duplicate rule id " + SigmaTesting.RULE_ID);
  }

  @Test
  void oldDatesAndUnderscoredTacticsAreWarningsNotRejections() {
    String r = rule("sel:\n  eventName: X\ncondition: sel").replace("title: Test rule\n",
        "title: Test rule\ndate: 2020/02/11\n").replace("attack.persistence", "attack.defense_evasion");
    SigmaRules.Loaded l = SigmaRules.fromYaml(r, Map.of());
    assertThat(l.rejected()).isEmpty();
    assertThat(l.warnings()).hasSize(2);
    assertThat(l.loaded().get(0).tactics()).containsExactly("defense-evasion");
  }

  @Test
  void ruleCollectionsWithGlobalDocuments() {
    String yaml = """
        action: global
        title: Collection
        status: test
        logsource:
          product: aws
          service: cloudtrail
        detection:
          condition: sel
        ---
        id: 33333333-3333-4333-8333-333333333333
        detection:
          sel:
            eventName: StopLogging
        ---
        id: 44444444-4444-4444-8444-444444444444
        detection:
          sel:
            eventName: DeleteTrail
        """;
    SigmaRuleSet set = SigmaTesting.compile(yaml, Map.of());
    assertThat(set.rules()).hasSize(2);
    assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"eventName\":\"DeleteTrail\"}")))
        .extracting(Alert::ruleId).containsExactly("44444444-4444-4444-8444-444444444444");
  }

  @Test
  void alertCarriesTheRuleHeaderAndExplainsTheMatch() {
    SigmaRuleSet set = SigmaTesting.compile(rule("sel:\n  eventName: CreateAccessKey\n  userAgent|contains: kali\n"
        + "filter:\n  errorCode|exists: true\ncondition: sel and not filter"), Map.of());
    List<Alert> alerts = SigmaTesting.run(set, SigmaTesting.event("{\"eventID\":\"ev-1\",\"eventName\":"
        + "\"CreateAccessKey\",\"userAgent\":\"aws-cli kali\",\"userIdentity\":{\"accessKeyId\":\"AKIAX\"}}"));
    assertThat(alerts).hasSize(1);
    Alert a = alerts.get(0);
    assertThat(a.ruleId()).isEqualTo(SigmaTesting.RULE_ID);
    assertThat(a.title()).isEqualTo("Test rule");
    assertThat(a.severity()).isEqualTo(Severity.HIGH);
    assertThat(a.techniques()).containsExactly("T1098.001");
    assertThat(a.tactics()).containsExactly("persistence");
    assertThat(a.source()).isEqualTo("sigma");
    assertThat(a.events()).extracting(e -> e.eventId()).containsExactly("ev-1");
    assertThat(a.explanation()).isEqualTo("Sigma rule 'Test rule' matched CreateAccessKey by AKIAX: "
        + "eventName=CreateAccessKey, userAgent=aws-cli kali");
  }
}
