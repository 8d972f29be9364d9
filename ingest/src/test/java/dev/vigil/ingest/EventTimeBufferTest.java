package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link EventTimeBuffer}: release order, ties, late events, the end of the input. */
class EventTimeBufferTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-03-19T10:00:00Z");

  private static AuditEvent at(String id, int seconds) throws Exception {
    return CloudTrailNormalizer.normalize(JSON.readTree(Records.record(id, T0.plusSeconds(seconds).toString())),
        new AuditEvent.Origin("test", 0));
  }

  @Test
  void releasesInEventTimeOrderOnceTheBoundHasPassedTiesInArrivalOrder() throws Exception {
    List<String> out = new ArrayList<>();
    EventTimeBuffer b = new EventTimeBuffer(Duration.ofMinutes(5), e -> out.add(e.eventId()));
    b.accept(at("c", 120));
    b.accept(at("a", 0));
    b.accept(at("b1", 60));
    b.accept(at("b2", 60));
    assertThat(out).as("nothing is 5 minutes older than the newest yet").isEmpty();
    b.accept(at("d", 361)); // 6:01: everything up to 1:00 inclusive has had its turn
    assertThat(out).containsExactly("a", "b1", "b2");
    assertThat(b.held()).isEqualTo(2);
    b.accept(at("late", 30)); // behind 1:00: out of order, at once, counted
    assertThat(out).containsExactly("a", "b1", "b2", "late");
    assertThat(b.late()).isEqualTo(1);
    b.accept(at("c2", 120)); // 2:00 is not behind yet: held with c, after it
    b.flush();
    assertThat(out).containsExactly("a", "b1", "b2", "late", "c", "c2", "d");
    assertThat(b.held()).isZero();
  }

  /** Shuffled by less than the bound, the output is the stable sort of the input by event time, none late. */
  @Test
  void shuffledWithinTheBoundGivesTheStableSort() throws Exception {
    List<AuditEvent> sorted = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      sorted.add(at("e" + i, i / 3)); // three events per second: ties
    }
    List<AuditEvent> shuffled = new ArrayList<>(sorted);
    Random r = new Random(42);
    // each event moved later by up to 4 minutes: sort by (time + delay), stable
    List<long[]> keys = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); i++) {
      keys.add(new long[] {shuffled.get(i).time().toEpochMilli() + r.nextInt(240_000), i});
    }
    keys.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    List<AuditEvent> delivered = new ArrayList<>();
    keys.forEach(k -> delivered.add(sorted.get((int) k[1])));
    assertThat(delivered).isNotEqualTo(sorted);

    List<AuditEvent> out = new ArrayList<>();
    EventTimeBuffer b = new EventTimeBuffer(Duration.ofMinutes(5), out::add);
    delivered.forEach(b);
    b.flush();
    List<AuditEvent> expected = new ArrayList<>(delivered);
    expected.sort(java.util.Comparator.comparing(AuditEvent::time)); // stable: ties keep their delivered order
    assertThat(out).containsExactlyElementsOf(expected);
    assertThat(b.late()).isZero();
  }
}
