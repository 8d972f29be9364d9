package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same store tests on the embedded store and on PostgreSQL. */
class VigilStoreTest {

  @TempDir Path dir;

  private VigilStore open(String engine) throws Exception {
    return VigilStore.open(TestDatabases.fresh(engine, dir));
  }

  private static StoredIncident incident(String id, String severity, int rank, List<Touch> touches) {
    return new StoredIncident(id, "Stolen key " + id, severity, rank, "open", null, 1000, 2000, "{\"id\":\"" + id
        + "\"}", touches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void migratesOnceAndReopens(String engine) throws Exception {
    String location = TestDatabases.fresh(engine, dir);
    try (VigilStore s = VigilStore.open(location)) {
      assertThat(s.schemaVersion()).isEqualTo(Migrations.ALL.size());
      s.putCheckpoint("dir:/logs", "AWSLogs/1/a.json.gz");
    }
    try (VigilStore s = VigilStore.open(location)) {
      assertThat(s.schemaVersion()).isEqualTo(2); // reopened: nothing re-applied
      assertThat(s.checkpoint("dir:/logs")).contains("AWSLogs/1/a.json.gz");
      assertThat(s.checkpoint("other")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void tokensAreHashedAtRestAndAuthenticate(String engine) throws Exception {
    try (VigilStore s = open(engine)) {
      s.putTenant("acme", "Acme", List.of(Touch.bucket("acme-web")));
      s.putUser(new User("ana", Role.ANALYST, null));
      s.putUser(new User("acme-viewer", Role.TENANT_VIEWER, "acme"));
      String token = s.issueToken("ana");
      assertThat(token).startsWith("vgl_").hasSizeGreaterThan(30);
      assertThat(s.authenticate(token)).contains(new User("ana", Role.ANALYST, null));
      assertThat(s.authenticate(token + "x")).isEmpty();
      assertThat(s.authenticate(VigilStore.hash(token))).isEmpty();
      assertThat(s.authenticate(s.issueToken("acme-viewer")).orElseThrow().tenant()).isEqualTo("acme");
      assertThat(VigilStore.hint(token)).hasSize(9).doesNotContain(token.substring(8));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void deduplicatesEventsByIdAcrossBatches(String engine) throws Exception {
    try (VigilStore s = open(engine)) {
      var a = new VigilStore.EventRow("e1", 10, "{\"eventID\":\"e1\"}");
      var b = new VigilStore.EventRow("e2", 5, "{\"eventID\":\"e2\"}");
      assertThat(s.storeNewEvents(List.of(a, b, a))).containsExactly("e1", "e2");
      assertThat(s.storeNewEvents(List.of(a, new VigilStore.EventRow("e3", 1, "{}")))).containsExactly("e3");
      assertThat(s.eventCount()).isEqualTo(3);
      assertThat(s.events(List.of("e1", "e2", "missing"))).containsExactly("{\"eventID\":\"e2\"}",
          "{\"eventID\":\"e1\"}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void tenantViewerSeesOnlyIncidentsTouchingItsResources(String engine) throws Exception {
    try (VigilStore s = open(engine)) {
      s.putTenant("a", "A", List.of(Touch.bucket("a-site"), Touch.account("111111111111")));
      s.putTenant("b", "B", List.of(Touch.bucket("b-site")));
      assertThat(s.putIncident(incident("i1", "critical", 5, List.of(Touch.bucket("a-site"), Touch.key("AKIA1")))))
          .isEqualTo(-1);
      s.putIncident(incident("i2", "high", 4, List.of(Touch.bucket("b-site"))));
      s.putIncident(incident("i3", "medium", 3, List.of(Touch.tenant("a"))));
      assertThat(s.incidents(IncidentQuery.all())).extracting(StoredIncident::id).containsExactly("i1", "i2", "i3");
      var asA = new IncidentQuery(null, null, null, "a", 0, 100);
      assertThat(s.incidents(asA)).extracting(StoredIncident::id).containsExactly("i1", "i3");
      assertThat(s.incident("i2", "a")).isEmpty();
      assertThat(s.incident("i2", "b")).isPresent();
      assertThat(s.incidents(new IncidentQuery(null, 4, null, null, 0, 100))).hasSize(2);
      assertThat(s.incidents(new IncidentQuery(null, null, "AKIA1", null, 0, 100))).extracting(StoredIncident::id)
          .containsExactly("i1");
      assertThat(s.incidents(new IncidentQuery(null, null, null, null, 1, 1))).extracting(StoredIncident::id)
          .containsExactly("i2");
      // an update from detection keeps the analyst's status and reports the previous rank
      User ana = new User("ana", Role.ANALYST, null);
      s.putUser(ana);
      assertThat(s.updateIncident("i2", "acknowledged", "ana", ana, "acknowledge", "looking")).isTrue();
      assertThat(s.putIncident(incident("i2", "critical", 5, List.of(Touch.bucket("b-site"))))).isEqualTo(4);
      StoredIncident i2 = s.incident("i2", null).orElseThrow();
      assertThat(i2.status()).isEqualTo("acknowledged");
      assertThat(i2.assignee()).isEqualTo("ana");
      assertThat(i2.severity()).isEqualTo("critical");
      assertThat(s.auditLog(10)).singleElement().satisfies(e -> {
        assertThat(e.user()).isEqualTo("ana");
        assertThat(e.action()).isEqualTo("acknowledge");
        assertThat(e.target()).isEqualTo("incident/i2");
        assertThat(e.detail()).isEqualTo("looking");
      });
      assertThatThrownBy(() -> new IncidentQuery(null, null, null, null, 0, 501))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void alertsAreStoredOnceAndDetectorStateRoundTrips(String engine) throws Exception {
    try (VigilStore s = open(engine)) {
      var alert = new StoredAlert("al1", "i1", "vigil.behaviour.new-origin", "high", 42, "AKIA1", "203.0.113.9",
          List.of("e1", "e2"), "{\"class_uid\":2004}");
      assertThat(s.putAlert(alert)).isTrue();
      assertThat(s.putAlert(alert)).isFalse();
      assertThat(s.alerts("i1", null, 0, 10)).containsExactly(alert);
      assertThat(s.alerts(null, "other", 0, 10)).isEmpty();
      s.putDetectorState("baseline", new byte[] {1, 2, 3});
      s.putDetectorState("baseline", new byte[] {4});
      assertThat(s.detectorState("baseline")).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
      s.quarantine("POST /api/events", "record 2: not an object", "[1]");
      assertThat(s.quarantineCount()).isEqualTo(1);
    }
  }

  @org.junit.jupiter.api.Test
  void splitsMigrationScripts() {
    assertThat(Migrations.statements("-- c\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n y INT\n);\n"))
        .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (\n y INT\n)");
  }
}
