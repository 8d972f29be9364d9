package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast reader of CloudTrail's time form agrees with {@link Instant#parse} and leaves anything else to it. */
class CanonicalTimeTest {

  @Test
  void agreesWithInstantParseOnTheCanonicalForms() {
    Random random = new Random(29);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1000) * 1_000_000L);
      String seconds = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
      assertThat(CloudTrailNormalizer.canonicalUtc(seconds)).isEqualTo(Instant.parse(seconds));
      String millis = seconds.substring(0, 19) + String.format(".%03dZ", t.getNano() / 1_000_000);
      assertThat(CloudTrailNormalizer.canonicalUtc(millis)).isEqualTo(Instant.parse(millis));
    }
    assertThat(CloudTrailNormalizer.canonicalUtc("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
  }

  @Test
  void leavesOtherFormsAndImpossibleDatesToTheGeneralPath() {
    for (String s : new String[] {"2023-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-04-31T10:00:00Z",
        "2026-03-19T24:00:00Z", "2026-03-19T10:60:00Z", "2026-03-19T10:00:60Z", "2026-03-19 10:00:00Z",
        "2026-03-19T10:00:00+01:00", "2026-03-19T10:00:00.123456Z", "2026-03-19T10:00:00,123Z",
        "2026-03-1xT10:00:00Z", "yesterday", "", "2026-00-10T10:00:00Z", "2026-03-00T10:00:00Z"}) {
      assertThat(CloudTrailNormalizer.canonicalUtc(s)).as(s).isNull();
    }
  }
}
