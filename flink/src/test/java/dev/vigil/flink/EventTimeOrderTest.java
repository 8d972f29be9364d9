package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EventTimeOrder} in Flink's keyed operator test harness, on the heap and on the RocksDB state backend:
 * the exact release order (event time, ties in arrival order, accounts interleaved by event time), late records
 * released at once and counted, and the held records and their timers surviving a snapshot and restore.
 */
class EventTimeOrderTest {

  private static StateBackend backend(String name) {
    return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ActorRecord, ActorRecord> harness(EventTimeOrder op,
      String backend) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(op, VigilFlinkJob.BY_ACCOUNT, Types.STRING);
    h.setStateBackend(backend(backend));
    return h;
  }

  /** A record of {@code account} at event time {@code t}; the JSON is only a label here (the stage never reads it). */
  private static StreamRecord<ActorRecord> rec(String account, String id, long t) {
    ActorRecord r = new ActorRecord("actor", t, id);
    r.account = account;
    return new StreamRecord<>(r, t);
  }

  /** What left the stage since the last call: "id@time" per record (checking its timestamp), "W" + watermark. */
  private static List<String> drain(KeyedOneInputStreamOperatorTestHarness<String, ActorRecord, ActorRecord> h) {
    List<String> out = new ArrayList<>();
    Object o;
    while ((o = h.getOutput().poll()) != null) {
      if (o instanceof Watermark w) {
        out.add("W" + w.getTimestamp());
      } else {
        @SuppressWarnings("unchecked")
        StreamRecord<ActorRecord> r = (StreamRecord<ActorRecord>) o;
        assertThat(r.getTimestamp()).isEqualTo(r.getValue().eventTimeMillis);
        out.add(r.getValue().json + "@" + r.getTimestamp());
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void releasesInEventTimeOrderCountsLateRecordsAndSurvivesRestore(String backend) throws Exception {
    EventTimeOrder first = new EventTimeOrder();
    OperatorSubtaskState snapshot;
    try (var h = harness(first, backend)) {
      h.open();
      // account A out of order, with ties at 100 and at 300; account B in between
      h.processElement(rec("A", "a1", 300));
      h.processElement(rec("A", "a2", 100));
      h.processElement(rec("B", "b1", 150));
      h.processElement(rec("A", "a3", 200));
      h.processElement(rec("A", "a4", 100));
      h.processElement(rec("B", "b2", 50));
      h.processElement(rec("A", "a5", 300));
      assertThat(drain(h)).isEmpty(); // nothing leaves before a watermark
      assertThat(first.buffered()).isEqualTo(7);

      h.processWatermark(new Watermark(49));
      assertThat(drain(h)).containsExactly("W49");
      h.processWatermark(new Watermark(150));
      // by event time across accounts; a2 before a4 (same time, arrival order); then the watermark
      assertThat(drain(h)).containsExactly("b2@50", "a2@100", "a4@100", "b1@150", "W150");
      assertThat(first.buffered()).isEqualTo(3);

      // late: behind the watermark (120 < 150) and on it (150): released at once, unordered, and counted
      h.processElement(rec("A", "a6", 120));
      h.processElement(rec("B", "b3", 150));
      assertThat(drain(h)).containsExactly("a6@120", "b3@150");
      assertThat(first.lateRecords()).isEqualTo(2);
      // just ahead of the watermark: held
      h.processElement(rec("A", "a7", 151));
      h.processElement(rec("B", "b4", 260));
      assertThat(drain(h)).isEmpty();
      assertThat(first.buffered()).isEqualTo(5);
      assertThat(first.lateRecords()).isEqualTo(2);

      snapshot = h.snapshot(1L, 1L);
      // what a failure after the checkpoint would lose: released now, but not in the snapshot
      h.processWatermark(new Watermark(1000));
      assertThat(drain(h)).containsExactly("a7@151", "a3@200", "b4@260", "a1@300", "a5@300", "W1000");
    }

    EventTimeOrder restored = new EventTimeOrder();
    try (var h = harness(restored, backend)) {
      h.initializeState(snapshot);
      h.open();
      assertThat(restored.buffered()).as("held records counted from the restored state").isEqualTo(5);
      // the source replays what came after the checkpoint: one more record of A at 200, tied with a3
      h.processElement(rec("A", "a8", 200));
      assertThat(drain(h)).isEmpty();
      h.processWatermark(new Watermark(250));
      assertThat(drain(h)).containsExactly("a7@151", "a3@200", "a8@200", "W250");
      h.processElement(rec("A", "a9", 5_000));
      // end of a bounded input: the final watermark releases everything left, in order
      h.processWatermark(Watermark.MAX_WATERMARK);
      assertThat(drain(h)).containsExactly("b4@260", "a1@300", "a5@300", "a9@5000", "W" + Long.MAX_VALUE);
      assertThat(restored.buffered()).isZero();
      assertThat(restored.lateRecords()).isZero();
      for (String state : List.of(EventTimeOrder.HELD, EventTimeOrder.COUNTS)) {
        try (Stream<Object> keys = restored.getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
          assertThat(keys).as("accounts with " + state + " left").isEmpty();
        }
      }
    }
  }
}
