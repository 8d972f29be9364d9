package dev.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ContainsIgnoreCaseTest {
  @Test
  void agreesWithLowerCasingTheWholeString() {
    String[] haystacks = {"aws-cli/2.23.6 md/distrib#kali.2025", "TruffleHog aws-sdk-go-v2", "", "KALI", "xKaLiX",
        "kal", "İstanbul kali", "Straße", "ka li"};
    String[] needles = {"kali", "trufflehog", "", "x", "i̇", "strasse", "ß"};
    for (String h : haystacks) {
      for (String n : needles) {
        String lower = n.toLowerCase(Locale.ROOT);
        assertThat(ValueTest.Text.containsIgnoreCase(h, lower)).as(h + " / " + n)
            .isEqualTo(h.toLowerCase(Locale.ROOT).contains(lower));
      }
    }
  }
}
