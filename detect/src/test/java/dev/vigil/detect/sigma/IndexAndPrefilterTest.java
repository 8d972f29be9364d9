package dev.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.AuditEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The equality index and the regex prefilter: speed-ups that must never change a result. */
class IndexAndPrefilterTest {

  private static String rules(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : "---\n").append("title: R").append(i).append("\nid: r").append(i)
          .append("\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: Action")
          .append(i).append("\n  condition: sel\n");
    }
    return b.toString();
  }

  @Test
  void anEventIsOnlyEvaluatedAgainstRulesFiledUnderItsValues() {
    AuditEvent e = SigmaTesting.event("{\"eventName\":\"Action7\"}");
    for (int n : List.of(10, 1000)) {
      SigmaRuleSet set = SigmaRules.fromYaml(rules(n), Map.of()).ruleSet();
      assertThat(SigmaTesting.run(set, e)).extracting(a -> a.ruleId()).containsExactly("r7");
      assertThat(set.evaluations()).as(n + " rules").isEqualTo(1);
      assertThat(set.unindexedRules()).isZero();
    }
  }

  @Test
  void indexLookupIsCaseInsensitiveLikeMatching() {
    SigmaRuleSet set = SigmaRules.fromYaml(rules(3), Map.of()).ruleSet();
    assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"eventName\":\"ACTION2\"}"))).hasSize(1);
  }

  @Test
  void rulesWithoutARequiredEqualityAreTriedOnEveryEvent() {
    String yaml = "title: Negated\nid: n1\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n"
        + "  sel:\n    eventName: Foo\n  condition: not sel\n";
    SigmaRuleSet set = SigmaRules.fromYaml(yaml, Map.of()).ruleSet();
    assertThat(set.unindexedRules()).isEqualTo(1);
    assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"eventName\":\"Bar\"}"))).hasSize(1);
  }

  @Test
  void orOfTwoEventNamesIsIndexedUnderBoth() {
    String yaml = "title: Either\nid: e1\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n"
        + "  a:\n    eventName: Foo\n  b:\n    eventName: Bar\n    userAgent|contains: x\n  condition: a or b\n";
    SigmaRuleSet set = SigmaRules.fromYaml(yaml, Map.of()).ruleSet();
    assertThat(set.unindexedRules()).isZero();
    assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"eventName\":\"Bar\",\"userAgent\":\"x\"}"))).hasSize(1);
    assertThat(SigmaTesting.run(set, SigmaTesting.event("{\"eventName\":\"Baz\",\"userAgent\":\"x\"}"))).isEmpty();
  }

  @Test
  void requiredLiteralIsOnlyWhatEveryMatchContains() {
    assertThat(DetectionCompiler.requiredLiteral(".+:assumed-role/aws:.+")).isEqualTo(":assumed-role/aws:");
    assertThat(DetectionCompiler.requiredLiteral("^arn:aws:iam::\\d+:user/admin$")).isEqualTo("arn:aws:iam::");
    assertThat(DetectionCompiler.requiredLiteral("kali|parrot")).isNull();
    assertThat(DetectionCompiler.requiredLiteral("ab(cdef|ghij)kl")).isNull();
    assertThat(DetectionCompiler.requiredLiteral("abcd?ef")).isEqualTo("abc");
    assertThat(DetectionCompiler.requiredLiteral("x[abc]yz")).isNull();
    assertThat(DetectionCompiler.requiredLiteral("\\.amazonaws\\.com")).isEqualTo(".amazonaws.com");
    assertThat(DetectionCompiler.requiredLiteral("aaa+b")).isEqualTo("aaa");
  }
}
