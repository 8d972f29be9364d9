package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BehaviourConfigTest {

  @Test
  void defaultsAreTheShippedFile() {
    BehaviourConfig c = BehaviourConfig.defaults();
    assertThat(c.learningPeriod).isEqualTo(Duration.ofDays(3));
    assertThat(c.exfilMinBytes).isEqualTo(1_000_000_000L);
    assertThat(c.toolingUserAgents).containsKey("trufflehog").containsKey("distrib#kali");
    assertThat(c.honeytokenKeyIds).isEmpty();
  }

  @Test
  void aUserFileOverridesOnlyWhatItNames(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, "exfil:\n  min_bytes: 5\nhoneytokens:\n  key_ids: [AKIAHONEY00000000001]\n");
    BehaviourConfig c = BehaviourConfig.load(f);
    assertThat(c.exfilMinBytes).isEqualTo(5);
    assertThat(c.exfilMinObjects).isEqualTo(2000);
    assertThat(c.honeytokenKeyIds).containsExactly("AKIAHONEY00000000001");
  }

  @Test
  void typosAndWrongTypesNameFileAndKey() {
    assertThatThrownBy(() -> BehaviourConfig.fromYaml("exfil: {min_byte: 5}", "my.yaml"))
        .hasMessage("my.yaml: unknown key 'exfil.min_byte' (see docs/CONFIG.md)");
    assertThatThrownBy(() -> BehaviourConfig.fromYaml("recon: {min_denied: many}", "my.yaml"))
        .hasMessage("my.yaml: 'recon.min_denied' must be a whole number >= 0, got many");
    assertThatThrownBy(() -> BehaviourConfig.fromYaml("exfil: 3", "my.yaml"))
        .hasMessage("my.yaml: 'exfil' must be a mapping");
    assertThatThrownBy(() -> BehaviourConfig.fromYaml("a: [", "my.yaml")).hasMessageStartingWith("my.yaml: not valid YAML");
  }
}
