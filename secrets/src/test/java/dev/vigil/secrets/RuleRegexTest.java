package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK engine's read budget hands pathological windows to RE2/J, which answers in linear time. */
class RuleRegexTest {
  private static List<String> find(RuleRegex r, String text) {
    List<String> out = new ArrayList<>();
    r.findAll(text, 1, (ms, me, ss, se) -> out.add(text.substring(ss, se)));
    return out;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard: without the budget this back-tracks for ages
  void catastrophicBacktrackingFallsBackToRe2() {
    RuleRegex r = RuleRegex.compile("((?:a+)+)b", null);
    String hostile = "a".repeat(4000) + "c";
    assertThat(find(r, hostile)).isEmpty();
    assertThat(find(r, "xx aaab yy")).containsExactly("aaa");
  }

  @Test
  void bothEnginesAgreeOnOrdinaryPatterns() {
    String text = "token=ghp_abc and token=ghp_def";
    RuleRegex auto = RuleRegex.compile("token=(ghp_[a-z]+)", null);
    RuleRegex re2 = RuleRegex.compile("token=(ghp_[a-z]+)", "re2");
    assertThat(find(auto, text)).containsExactly("ghp_abc", "ghp_def").isEqualTo(find(re2, text));
  }
}
