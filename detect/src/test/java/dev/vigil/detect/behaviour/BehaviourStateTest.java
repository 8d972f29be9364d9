package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.detect.Alert;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.intel.IocFeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BehaviourStateTest {

  static BehaviourConfig config() {
    return BehaviourConfig.fromYaml(BehaviourDetectorsTest.TEST_CONFIG, "test");
  }

  static List<String> ids(List<Alert> alerts) {
    return alerts.stream().map(a -> a.ruleId() + "|" + a.trigger().eventId()).collect(Collectors.toList());
  }

  /** Two runs with the state saved and reloaded between them raise exactly the alerts of one run. */
  @ParameterizedTest
  @ValueSource(strings = {"origin.jsonl", "persistence.jsonl", "s3-recon.jsonl"})
  void splitRunWithSavedStateEqualsOneRun(String file, @TempDir Path dir) throws IOException {
    List<AuditEvent> events = ExpectationFile.events(ExpectationFile.expand(file, new ArrayList<>()), file);
    List<Alert> once = new ArrayList<>();
    BehaviourEngine single = BehaviourEngine.create(config(), IocFeed.bundled());
    events.forEach(e -> single.accept(e, once::add));

    for (int cut : new int[] {events.size() / 3, events.size() / 2, events.size() - 3}) {
      Path state = dir.resolve("state-" + cut + ".json.gz");
      List<Alert> split = new ArrayList<>();
      BehaviourEngine first = BehaviourEngine.create(config(), IocFeed.bundled(), BehaviourState.load(state), java.util.Set.of());
      events.subList(0, cut).forEach(e -> first.accept(e, split::add));
      first.saveState(state);
      BehaviourEngine second = BehaviourEngine.create(config(), IocFeed.bundled(), BehaviourState.load(state), java.util.Set.of());
      events.subList(cut, events.size()).forEach(e -> second.accept(e, split::add));
      assertThat(ids(split)).as("cut at %d", cut).isEqualTo(ids(once));
    }
    assertThat(once).isNotEmpty();
  }

  @Test
  void forgettingTheStateForgetsTheBaseline() {
    // without state the second half starts a new learning period: only the baseline-free signal (a macOS CLI
    // with instance credentials) remains; the new-origin alerts are lost. That is what --state prevents.
    String file = "origin.jsonl";
    List<AuditEvent> events = ExpectationFile.events(ExpectationFile.expand(file, new ArrayList<>()), file);
    int cut = events.size() - 9;
    List<Alert> alerts = new ArrayList<>();
    BehaviourEngine fresh = BehaviourEngine.create(config(), IocFeed.bundled());
    events.subList(cut, events.size()).forEach(e -> fresh.accept(e, alerts::add));
    assertThat(ids(alerts)).containsExactly(InstanceCredentialsElsewhereDetector.ID + "|ev-0011");
  }

  @Test
  void actorsAreBoundedLeastRecentlyUsedFirst() {
    BehaviourConfig small = BehaviourConfig.fromYaml("limits: {max_actors: 3}", "test");
    String file = "tooling-intel.jsonl";
    List<AuditEvent> events = ExpectationFile.events(ExpectationFile.expand(file, new ArrayList<>()), file);
    BehaviourEngine engine = BehaviourEngine.create(small, IocFeed.empty());
    events.forEach(e -> engine.accept(e, a -> {}));
    assertThat(engine.state().actors).hasSize(3);
    assertThat(engine.state().actors.keySet()).containsExactly(
        "arn:aws:iam::111122223333:user/dev", "arn:aws:iam::111122223333:user/ana",
        "arn:aws:iam::111122223333:user/backup-admin-old");
  }

  @Test
  void aCorruptStateFileIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("state.json.gz");
    Files.writeString(bad, "not gzip");
    assertThatThrownBy(() -> BehaviourState.load(bad)).isInstanceOf(IOException.class).hasMessageContaining(bad.toString());
    assertThat(BehaviourState.load(dir.resolve("missing")).actors).isEmpty();
  }

  /**
   * With change tracking on (stream processors that save profiles one by one), the state reports each profile touched
   * since the last drain in order of latest access, and a profile dropped by the LRU bound as dropped; rebuilt from
   * the reported profiles in access order, the LRU order is the original one.
   */
  @Test
  void changeTrackingReportsTouchedAndDroppedProfilesInAccessOrder() throws IOException {
    BehaviourState state = new BehaviourState();
    state.trackChanges(0);
    state.profile("alice", 3).events = 1;
    state.profile("bob", 3);
    state.profile("alice", 3).events = 2;
    var first = state.drainChanges();
    assertThat(first.keySet()).containsExactly("bob", "alice");
    assertThat(first.get("alice").access()).isEqualTo(3);
    assertThat(first.get("alice").profile().events).isEqualTo(2);
    assertThat(state.drainChanges()).isEmpty();

    state.profile("carol", 3);
    state.profile("dave", 3); // a fourth principal: bob, the least recently used, is dropped
    var second = state.drainChanges();
    assertThat(second.keySet()).containsExactly("carol", "bob", "dave");
    assertThat(second.get("bob").profile()).isNull();
    assertThat(state.accesses()).isEqualTo(5);

    // everything but the profiles, then the profiles one by one, read back in access order
    java.io.ByteArrayOutputStream shared = new java.io.ByteArrayOutputStream();
    state.suspect("AKIAEXAMPLE", "test", 10);
    state.writeWithoutProfiles(shared);
    assertThat(shared.toString()).doesNotContain("alice");
    assertThat(state.actors.keySet()).containsExactly("alice", "carol", "dave");
    BehaviourState back = BehaviourState.read(new java.io.ByteArrayInputStream(shared.toByteArray()));
    assertThat(back.actors).isEmpty();
    assertThat(back.suspects).containsKey("AKIAEXAMPLE");
    for (String p : List.of("alice", "carol", "dave")) {
      java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
      BehaviourState.writeProfile(first.containsKey(p) ? first.get(p).profile() : second.get(p).profile(), json);
      byte[] b = json.toByteArray();
      ActorProfile read = BehaviourState.readProfile(b, 0, b.length);
      assertThat(read.events).isEqualTo(p.equals("alice") ? 2 : 0);
      back.restoreProfile(p, read);
    }
    back.trackChanges(state.accesses());
    back.profile("eve", 3); // as in the original, the least recently used (alice) goes first
    assertThat(back.actors.keySet()).containsExactly("carol", "dave", "eve");
    assertThat(back.drainChanges().keySet()).containsExactly("alice", "eve");
  }
}
