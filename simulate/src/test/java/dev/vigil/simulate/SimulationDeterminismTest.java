package dev.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationDeterminismTest {

  private static final EcBreachSimulation.Options SMALL =
      EcBreachSimulation.defaults().withTenants(4).withDays(4).withBackgroundEvents(4_000);

  @TempDir Path tmp;

  @Test
  void sameSeedGivesByteIdenticalTrees() throws IOException {
    EcBreachSimulation.write(Files.createDirectory(tmp.resolve("a")), SMALL.withSeed(7), null, true);
    EcBreachSimulation.write(Files.createDirectory(tmp.resolve("b")), SMALL.withSeed(7), null, true);
    Map<String, String> a = digests(tmp.resolve("a"));
    Map<String, String> b = digests(tmp.resolve("b"));
    assertThat(a).hasSizeGreaterThan(100).containsKey("truth.json");
    assertThat(a.keySet()).anyMatch(k -> k.startsWith("mirror/") && k.endsWith(".eml"));
    assertThat(b).isEqualTo(a);
  }

  @Test
  void differentSeedGivesDifferentData() throws IOException {
    EcBreachSimulation.write(Files.createDirectory(tmp.resolve("a")), SMALL.withSeed(7), null);
    EcBreachSimulation.write(Files.createDirectory(tmp.resolve("b")), SMALL.withSeed(8), null);
    Map<String, String> a = digests(tmp.resolve("a"));
    Map<String, String> b = digests(tmp.resolve("b"));
    assertThat(b.get("truth.json")).isNotEqualTo(a.get("truth.json"));
    // file names carry a seeded unique part, so no log file of one run is found in the other
    assertThat(b.keySet()).doesNotContainAnyElementsOf(a.keySet().stream().filter(k -> k.endsWith(".gz")).toList());
  }

  @Test
  void backgroundEventCountIsExact() throws IOException {
    EcBreachSimulation.Summary s =
        EcBreachSimulation.write(Files.createDirectory(tmp.resolve("a")), SMALL.withBackgroundEvents(4_137), null);
    assertThat(s.events() - s.attackerEvents()).isEqualTo(4_137);
  }

  @Test
  void tooFewBackgroundEventsIsRefusedWithTheMinimum() {
    long min = EcBreachSimulation.minimumBackgroundEvents(SMALL);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            EcBreachSimulation.write(tmp, SMALL.withBackgroundEvents(min - 1), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least " + min);
  }

  @Test
  void shortPeriodsOneTenantAndAWeekendAttackStillWork() throws IOException {
    // a Saturday attack over 2 days: new hires and IAM changes fall outside the period and are left out
    EcBreachSimulation.Options o = new EcBreachSimulation.Options(3, 2, 0, 1,
        java.time.LocalDate.of(2026, 3, 21), 1);
    long min = EcBreachSimulation.minimumBackgroundEvents(o);
    EcBreachSimulation.Summary s =
        EcBreachSimulation.write(Files.createDirectory(tmp.resolve("a")), o.withBackgroundEvents(min + 500), null);
    assertThat(s.events()).isEqualTo(min + 500 + EcBreachSimulation.attackerEvents(o));
    assertThat(s.objectsStolen()).isEqualTo(732 + 68); // 51,992 mail files and 4,800 site objects x 1/71
    String truth = Files.readString(tmp.resolve("a/truth.json"));
    assertThat(truth).contains("\"first_attacker_event_time\" : \"2026-03-21T");
  }

  private static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
