package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AccountDetectOperator} in Flink's keyed operator test harness, on the heap and on the RocksDB state backend:
 * in arrival order a record behind the watermark is still evaluated (its alert comes out) and counted as late; the
 * account's state in pieces survives a snapshot and a restore into a new operator instance.
 */
class AccountDetectOperatorTest {
  private static StateBackend backend(String name) {
    return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ActorRecord, String> harness(String backend)
      throws Exception {
    AccountDetectOperator op = new AccountDetectOperator(VigilFlinkJob.sigma(null), DetectionSetup.defaults(), 256,
        true);
    var h = new KeyedOneInputStreamOperatorTestHarness<>(op, VigilFlinkJob.BY_ACCOUNT, Types.STRING);
    h.setStateBackend(backend(backend));
    return h;
  }

  private static StreamRecord<ActorRecord> rec(AuditEvent e) {
    return new StreamRecord<>(new ActorRecord(e, e.raw().toString()), e.time().toEpochMilli());
  }

  /** Alerts that left since the last call, as {@link Breach#summary(String)} (rule, actor, evidence event ids). */
  private static List<String> alerts(KeyedOneInputStreamOperatorTestHarness<String, ActorRecord, String> h) {
    List<String> out = new ArrayList<>();
    Object o;
    while ((o = h.getOutput().poll()) != null) {
      if (o instanceof StreamRecord<?> r) {
        out.add(Breach.summary((String) r.getValue()));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void lateRecordsAreEvaluatedAndCountedAndStateSurvivesARestore(String backend) throws Exception {
    Instant t0 = Instant.parse("2026-03-01T08:00:00Z");
    AuditEvent quiet = Breach.event(t0, "user1", "ListBuckets", "s3.amazonaws.com", "10.0.0.1");
    AuditEvent stop = Breach.event(t0.minusSeconds(3600), "user2", "StopLogging", "cloudtrail.amazonaws.com",
        "10.0.0.2");
    OperatorSubtaskState snapshot;
    try (var h = harness(backend)) {
      h.open();
      h.processElement(rec(quiet));
      h.processWatermark(new Watermark(t0.toEpochMilli()));
      // an hour behind the watermark: evaluated all the same, and counted
      h.processElement(rec(stop));
      assertThat(((AccountDetectOperator) h.getOperator()).lateRecords()).isEqualTo(1);
      assertThat(alerts(h)).as("what vigil detect raises on the same two events")
          .isNotEmpty().containsExactlyElementsOf(Breach.summaries(Breach.vigilDetect(List.of(quiet, stop)).alerts()));
      snapshot = h.snapshot(1, 1);
    }
    // restored into a new instance: the account's folding remembers the alert (the same event again is folded), and
    // the behavioural profiles are back (user1 known)
    try (var h = harness(backend)) {
      h.initializeState(snapshot);
      h.open();
      h.processElement(rec(Breach.event(t0.minusSeconds(3500), "user2", "StopLogging", "cloudtrail.amazonaws.com",
          "10.0.0.2")));
      assertThat(alerts(h)).as("folded within the hour, as before the restore").isEmpty();
      assertThat(((AccountDetectOperator) h.getOperator()).lateRecords()).as("a new instance counts anew")
          .isEqualTo(0);
    }
  }
}
