package dev.vigil.flink;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Puts each account's records back into event-time order before the account stage (the stream is keyed by account).
 * A record is held in keyed state until the watermark passes its event time, then released; records with the same
 * event time leave in the order they arrived (CloudTrail times have whole seconds, so ties are common). A record that
 * arrives already behind the watermark ("late": its account's earlier-timed records have left) is not dropped: it is
 * released at once, evaluated out of order, and counted in the {@code lateRecords} metric. The
 * {@code bufferedRecords} gauge is the number of records held on this subtask. At the end of a bounded input the
 * final watermark releases everything, in order.
 *
 * <p>State, per account: {@value #COUNTS} (event time → how many records are held at it) and {@value #HELD}
 * ((event time, arrival number) → record), plus one event-time timer per distinct held event time. One map entry per
 * record, so holding a record writes one small entry and updates one counter instead of re-serialising a list of
 * every record of the same second (a hot account has hundreds per second). All of it is ordinary keyed state and
 * timers, so it works the same with the heap and RocksDB backends and is in every checkpoint and savepoint: after a
 * restore the held records and their timers are back as of the checkpoint, and the source replays what came after
 * it, so each record is released exactly once.
 *
 * <p>An operator rather than a {@code KeyedProcessFunction} for two reasons: it can count the records held in
 * restored state when it opens (so the gauge is right after a restore), and it emits without a per-record
 * collector wrapper.
 */
public final class EventTimeOrder extends AbstractStreamOperator<ActorRecord>
    implements OneInputStreamOperator<ActorRecord, ActorRecord>, Triggerable<String, VoidNamespace> {
  static final String COUNTS = "vigil-order-counts";
  static final String HELD = "vigil-order-held";

  static final MapStateDescriptor<Long, Integer> COUNTS_STATE = new MapStateDescriptor<>(COUNTS, Types.LONG, Types.INT);

  private transient MapState<Long, Integer> counts;
  private transient MapState<Tuple2<Long, Integer>, ActorRecord> held;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient Counter late;
  private transient long buffered;
  private transient StreamRecord<ActorRecord> out;

  @Override
  public void open() throws Exception {
    super.open();
    counts = getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, COUNTS_STATE);
    held = getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
        new MapStateDescriptor<>(HELD, new TupleTypeInfo<>(Types.LONG, Types.INT), TypeInformation.of(ActorRecord.class)));
    timers = getInternalTimerService("vigil-order-timers", VoidNamespaceSerializer.INSTANCE, this);
    out = new StreamRecord<>(null);
    buffered = 0;
    // after a restore: the records held in this subtask's key groups (the gauge starts from them)
    long[] restored = {0};
    getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, COUNTS_STATE,
        (key, state) -> {
          for (Integer n : state.values()) {
            restored[0] += n;
          }
        });
    buffered = restored[0];
    late = getMetricGroup().counter("lateRecords");
    getMetricGroup().gauge("bufferedRecords", () -> buffered);
  }

  @Override
  public void processElement(StreamRecord<ActorRecord> element) throws Exception {
    ActorRecord r = element.getValue();
    long t = r.eventTimeMillis;
    if (t <= timers.currentWatermark()) {
      // late: this account's records up to the watermark have left already; evaluate it now rather than drop it
      late.inc();
      output.collect(out.replace(r, t));
      return;
    }
    Integer n = counts.get(t);
    int i = n == null ? 0 : n;
    held.put(Tuple2.of(t, i), r);
    counts.put(t, i + 1);
    if (i == 0) {
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, t);
    }
    buffered++;
  }

  /** The watermark passed {@code t}: this account's records held at {@code t} leave, in arrival order. */
  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    long t = timer.getTimestamp();
    Integer n = counts.get(t);
    if (n == null) {
      return;
    }
    for (int i = 0; i < n; i++) {
      Tuple2<Long, Integer> k = Tuple2.of(t, i);
      ActorRecord r = held.get(k);
      held.remove(k);
      output.collect(out.replace(r, t));
    }
    counts.remove(t);
    buffered -= n;
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    // no processing-time timers
  }

  /** Records held on this subtask now (also the {@code bufferedRecords} gauge). */
  long buffered() {
    return buffered;
  }

  /** Late records released unordered since this instance opened (also the {@code lateRecords} metric). */
  long lateRecords() {
    return late.getCount();
  }
}
