package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-event checks written as loops agree with the regular expressions and rules they replace. */
class FastPathsTest {

  @Test
  void instanceIdsAreWhatTheirPatternSays() {
    Pattern instance = Pattern.compile("i-[0-9a-zA-Z]{8,17}");
    Random random = new Random(11);
    String alphabet = "i-0aZ9_.";
    for (int n = 0; n < 200_000; n++) {
      StringBuilder b = new StringBuilder(random.nextBoolean() ? "i-" : "");
      int len = random.nextInt(22);
      for (int i = 0; i < len; i++) {
        b.append(random.nextInt(10) < 8 ? "0123456789abcdefABCDEF".charAt(random.nextInt(22))
            : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = b.toString();
      assertThat(InstanceCredentialsElsewhereDetector.isInstanceId(s)).as(s).isEqualTo(instance.matcher(s).matches());
    }
    assertThat(InstanceCredentialsElsewhereDetector.isInstanceId("i-0abc1234def567890")).isTrue();
    assertThat(InstanceCredentialsElsewhereDetector.isInstanceId(null)).isFalse();
  }

  @Test
  void addressesWithoutPaddedOctetsAreReturnedAsTheyAre() {
    assertThat(KnownBadAddressDetector.canonical("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(KnownBadAddressDetector.canonical("198.51.100.7")).isSameAs("198.51.100.7");
    assertThat(KnownBadAddressDetector.canonical("10.01.0.1")).isEqualTo("10.1.0.1");
    assertThat(KnownBadAddressDetector.canonical("0.0.0.0")).isEqualTo("0.0.0.0");
  }

  @Test
  void toolingMarkersAreFoundAsByLowerCasingTheUserAgent() {
    java.util.Map<String, String> configured = BehaviourConfig.defaults().toolingUserAgents;
    AttackerToolingDetector.Markers markers = AttackerToolingDetector.Markers.of(configured);
    String[] needles = markers.needles();
    Random random = new Random(5);
    String[] fillers = {"aws-cli/2.15.0 ", "Python/3.11 ", "Linux/6.1 ", "md/distrib#", " ", "/", "botocore/1.34",
        "exec-env/GitHub", "(", ")", "Ä", "x"};
    int hits = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder b = new StringBuilder();
      int parts = 1 + random.nextInt(6);
      for (int p = 0; p < parts; p++) {
        String piece = random.nextInt(4) == 0 ? needles[random.nextInt(needles.length)]
            : fillers[random.nextInt(fillers.length)];
        if (random.nextBoolean() && piece.length() > 1) { // mixed case, and sometimes a needle cut short
          char[] cs = piece.toCharArray();
          for (int i = 0; i < cs.length; i++) {
            cs[i] = random.nextBoolean() ? Character.toUpperCase(cs[i]) : cs[i];
          }
          piece = random.nextInt(5) == 0 ? new String(cs, 0, cs.length - 1) : new String(cs);
        }
        b.append(piece);
      }
      String ua = b.toString();
      boolean[] fast = markers.containedIn(ua);
      String lower = ua.toLowerCase(java.util.Locale.ROOT);
      if (fast == null) {
        assertThat(ua.chars().anyMatch(c -> c >= 128)).as(ua).isTrue(); // only non-ASCII takes the exact path
        continue;
      }
      for (int k = 0; k < needles.length; k++) {
        boolean expected = lower.contains(needles[k]);
        hits += expected ? 1 : 0;
        assertThat(fast.length > 0 && fast[k]).as(ua + " / " + needles[k]).isEqualTo(expected);
      }
    }
    assertThat(hits).isGreaterThan(1000);
  }
}
