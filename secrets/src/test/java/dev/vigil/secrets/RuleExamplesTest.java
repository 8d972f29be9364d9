package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The one generic rule test: every rule against its own examples, through the whole engine (prefilter, regex,
 * entropy, validator, allowlists, de-duplication). A {@code match} example must yield a finding of that rule, and
 * where the example marks the secret with {@code <<...>>}, exactly that secret; a {@code no_match} example must
 * yield no finding of that rule.
 */
class RuleExamplesTest {
  static final RuleSet RULES = RuleSet.builtin();
  static final SecretScanner SCANNER = new SecretScanner(RULES);

  @Test
  void atLeastAHundredRulesEachWithPositiveAndNegativeExamples() {
    assertThat(RULES.rules()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(RULES.rules().stream().map(Rule::id).distinct().count()).isEqualTo(RULES.rules().size());
    for (Rule r : RULES.rules()) {
      assertThat(r.matchExamples()).as(r.id() + " match examples").isNotEmpty();
      assertThat(r.noMatchExamples()).as(r.id() + " no_match examples").isNotEmpty();
      assertThat(r.title()).as(r.id() + " title").isNotBlank();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRuleMatchesItsExamples() {
    TestTokens tokens = new TestTokens(6);
    return RULES.rules().stream().flatMap(r -> Stream.concat(
        r.matchExamples().stream().map(ex -> {
          String text = tokens.expand(ex);
          return DynamicTest.dynamicTest(r.id() + " matches: " + ex, () -> assertMatch(r, text));
        }),
        r.noMatchExamples().stream().map(ex -> {
          String text = tokens.expand(ex);
          return DynamicTest.dynamicTest(r.id() + " does not match: " + ex, () -> assertNoMatch(r, text));
        })));
  }

  private static void assertMatch(Rule r, String example) {
    int open = example.indexOf("<<");
    int close = example.indexOf(">>");
    String expected = open >= 0 && close > open ? example.substring(open + 2, close) : null;
    String text = example.replace("<<", "").replace(">>", "");
    List<Finding> found = SCANNER.scan(text, "example.txt");
    assertThat(found).as("findings of %s in %s", r.id(), text).extracting(Finding::ruleId).contains(r.id());
    if (expected != null) {
      assertThat(found.stream().filter(f -> f.ruleId().equals(r.id())).map(Finding::secret))
          .as("secret found by %s in %s", r.id(), text).containsExactly(expected);
    }
  }

  private static void assertNoMatch(Rule r, String example) {
    List<Finding> found = SCANNER.scan(example, "example.txt");
    assertThat(found).as("findings of %s in %s", r.id(), example).extracting(Finding::ruleId)
        .doesNotContain(r.id());
  }
}
