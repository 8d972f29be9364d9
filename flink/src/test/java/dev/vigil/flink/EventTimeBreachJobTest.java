package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.vigil.ingest.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.functions.sink.legacy.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The full job on the simulated EC breach delivered shuffled: every record arrives up to 10 minutes after its place
 * in event-time order (deterministic seed; records of the same second keep their relative order, as one delivery
 * file keeps them). In event-time order (the default) the job finds exactly what {@code vigil detect} finds on the
 * same events in event-time order: the same alerts (rule, actor, evidence event ids) and the same incident changes,
 * in the same sequence. In arrival order it does not: the ordering stage is what makes the result independent of
 * the delivery order.
 */
class EventTimeBreachJobTest {
  static final long MAX_DISPLACEMENT_MS = Duration.ofMinutes(10).toMillis(); // within the 15-minute lateness bound

  static List<AuditEvent> shuffled;
  static Breach.Run expected;

  @BeforeAll
  static void shuffle() throws Exception {
    List<AuditEvent> events = Breach.events();
    expected = Breach.vigilDetect(Breach.inEventTimeOrder(events));
    // each distinct event time gets one random delay in [0, 10 min); arrival order = event time + delay (stable)
    SplittableRandom random = new SplittableRandom(20261129);
    Map<Long, Long> delay = new HashMap<>();
    for (AuditEvent e : Breach.inEventTimeOrder(events)) {
      delay.computeIfAbsent(e.time().toEpochMilli(), t -> random.nextLong(MAX_DISPLACEMENT_MS));
    }
    List<AuditEvent> s = new ArrayList<>(Breach.inEventTimeOrder(events));
    s.sort(Comparator.comparingLong(e -> e.time().toEpochMilli() + delay.get(e.time().toEpochMilli())));
    shuffled = List.copyOf(s);
  }

  /** Alerts (sorted summaries) and incident changes (in output order) of one run of the full job. */
  static Breach.JobOutput run(List<AuditEvent> input, VigilFlinkJob.Order order) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2); // the account stage (and its order stage) at 2; the collection source is one reader
    var raw = env.fromData(input.stream().map(e -> e.raw().toString()).toList());
    var streams = VigilFlinkJob.wireFull(raw, VigilFlinkJob.sigma(null), DetectionSetup.defaults(),
        Duration.ofMinutes(15), order);
    return Breach.collect(streams.alerts(), streams.incidents());
  }

  /** The job's vertices (chains of operators) that run the account stage: name, inputs, the stages' uids in it. */
  static Map<String, List<String>> vertices(VigilFlinkJob.Order order) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    var streams = VigilFlinkJob.wireFull(env.fromData("{}"), VigilFlinkJob.sigma(null), DetectionSetup.defaults(),
        Duration.ofMinutes(15), order);
    streams.alerts().addSink(new DiscardingSink<>());
    Map<String, OperatorID> uids = new HashMap<>();
    for (String uid : List.of("vigil-order-account", "vigil-detect-account")) {
      uids.put(uid, StreamingJobGraphGenerator.generateOperatorID(uid));
    }
    Map<String, List<String>> out = new HashMap<>();
    for (JobVertex v : env.getStreamGraph().getJobGraph().getVertices()) {
      List<String> chained = new ArrayList<>();
      v.getOperatorIDs().forEach(p -> uids.forEach((uid, id) -> {
        if (id.equals(p.getGeneratedOperatorID())) {
          chained.add(uid);
        }
      }));
      chained.sort(null);
      if (!chained.isEmpty()) {
        out.put(v.getName() + " inputs=" + v.getNumberOfInputs(), chained);
      }
    }
    return out;
  }

  @Test
  void theOrderStageIsChainedToTheAccountStageWithNoSecondShuffle() {
    // event time: one vertex runs both stages (one input: the keyBy from the parser), under their stable uids
    assertThat(vertices(VigilFlinkJob.Order.EVENT_TIME)).containsOnly(entry(
        "order by event time (account) -> detect (account) -> Sink: Unnamed inputs=1",
        List.of("vigil-detect-account", "vigil-order-account")));
    assertThat(vertices(VigilFlinkJob.Order.ARRIVAL))
        .containsOnly(entry("detect (account) -> Sink: Unnamed inputs=1", List.of("vigil-detect-account")));
  }

  @Test
  void theShuffleIsBoundedAndReal() throws Exception {
    List<AuditEvent> events = Breach.events();
    assertThat(shuffled).hasSameSizeAs(events).containsExactlyInAnyOrderElementsOf(events);
    long maxSeen = Long.MIN_VALUE;
    long maxBehind = 0;
    int behind = 0;
    for (AuditEvent e : shuffled) {
      long t = e.time().toEpochMilli();
      if (t < maxSeen) {
        behind++;
        maxBehind = Math.max(maxBehind, maxSeen - t);
      }
      maxSeen = Math.max(maxSeen, t);
    }
    assertThat(behind).as("records arriving after a later-timed one").isGreaterThan(events.size() / 3);
    assertThat(maxBehind).as("no record is late for a 15-minute bound").isGreaterThan(Duration.ofMinutes(5).toMillis())
        .isLessThan(MAX_DISPLACEMENT_MS);
  }

  @Test
  void eventTimeOrderFindsWhatVigilDetectFindsInEventTimeOrder() throws Exception {
    Breach.JobOutput got = run(shuffled, VigilFlinkJob.Order.EVENT_TIME);
    assertThat(expected.alerts()).hasSizeGreaterThan(10);
    assertThat(got.alerts()).containsExactlyElementsOf(Breach.summaries(expected.alerts()));
    assertThat(expected.incidents()).hasSize(1);
    assertThat(got.incidents()).containsExactlyElementsOf(Breach.updateSummaries(expected.updates()));
  }

  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger SEEN = new AtomicInteger();
  static final AtomicInteger FAILED_AT = new AtomicInteger(-1);
  /** Records read when each checkpoint was taken, by checkpoint id. */
  static final Map<Long, Integer> READ_AT_CHECKPOINT = new java.util.concurrent.ConcurrentHashMap<>();
  /** Set when a checkpoint taken after record {@code held} had been read has completed. */
  static final AtomicBoolean HELD_CHECKPOINTED = new AtomicBoolean();

  /**
   * Fails once, at the first record after a checkpoint that includes record {@code held} (read, so held in the order
   * stage) has completed; until then, from record {@code held} on, each record waits 50 ms so checkpoints come.
   */
  static class FailAt implements MapFunction<String, String>, CheckpointedFunction, CheckpointListener {
    private final int held;

    FailAt(int held) {
      this.held = held;
    }

    @Override
    public String map(String value) throws Exception {
      int i = SEEN.incrementAndGet() - 1;
      if (!FAILED.get() && i > held) {
        if (HELD_CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
          FAILED_AT.set(i);
          throw new IllegalStateException("injected failure");
        }
        Thread.sleep(50);
      }
      return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      READ_AT_CHECKPOINT.put(context.getCheckpointId(), SEEN.get());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      Integer read = READ_AT_CHECKPOINT.get(checkpointId);
      if (read != null && read > held) {
        HELD_CHECKPOINTED.set(true);
      }
    }
  }

  /**
   * A task fails while an attacker's record (the trigger of an alert) is held in the order stage: it has been read,
   * nothing read since is 14 minutes newer, a checkpoint taken after it (its state holds the record, the source's
   * position is past it) has completed, then the task fails. After the restore from that checkpoint the output is
   * still exactly vigil detect's in event-time order: the held record came back from the checkpoint and was released
   * once. (Dropping the held records at restore makes this fail.)
   */
  @Test
  void aRestoreWhileTheAttackIsHeldForOrderLosesNothing() throws Exception {
    // the first alert trigger that is still held 10 records later (nothing read by then 14 minutes newer)
    int attack = -1;
    for (var a : expected.alerts()) {
      int i = 0;
      while (!shuffled.get(i).eventId().equals(a.trigger().eventId())) {
        i++;
      }
      java.time.Instant newest = shuffled.subList(0, i + 11).stream().map(AuditEvent::time)
          .max(Comparator.naturalOrder()).orElseThrow();
      if (Duration.between(shuffled.get(i).time(), newest).compareTo(Duration.ofMinutes(14)) < 0) {
        attack = i;
        break;
      }
    }
    assertThat(attack).as("an alert trigger held for order when the task fails").isNotNegative();
    StreamExecutionEnvironment env = Breach.recoveringEnvironment(new Configuration());
    List<String> messages = shuffled.stream().map(e -> e.raw().toString()).toList();
    var raw = env.fromData(messages).map(new FailAt(attack)).name("fail once").setParallelism(1);
    var streams = VigilFlinkJob.wireFull(raw, VigilFlinkJob.sigma(null), DetectionSetup.defaults(),
        Duration.ofMinutes(15), VigilFlinkJob.Order.EVENT_TIME);
    Breach.JobOutput got = Breach.collect(streams.alerts(), streams.incidents());

    assertThat(FAILED).isTrue();
    int fail = FAILED_AT.get();
    assertThat(fail).as("failed while the record was still held").isBetween(attack + 1, attack + 10);
    // read before the failure: fail + 1; after the restore from a checkpoint at source position c: size - c more
    int restoredPosition = fail + 1 + messages.size() - SEEN.get();
    assertThat(restoredPosition).as("the restored checkpoint was taken after the attacker's record was read, before the failure")
        .isGreaterThan(attack).isLessThanOrEqualTo(fail);
    assertThat(got.alerts()).containsExactlyElementsOf(Breach.summaries(expected.alerts()));
    assertThat(got.incidents()).containsExactlyElementsOf(Breach.updateSummaries(expected.updates()));
  }

  @Test
  void arrivalOrderOnTheShuffledInputDoesNot() throws Exception {
    Breach.JobOutput got = run(shuffled, VigilFlinkJob.Order.ARRIVAL);
    // what arrival order does here is vigil detect on the records as delivered
    Breach.Run asDelivered = Breach.vigilDetect(shuffled);
    assertThat(got.alerts()).containsExactlyElementsOf(Breach.summaries(asDelivered.alerts()));
    assertThat(got.alerts()).isNotEqualTo(Breach.summaries(expected.alerts()));
  }
}
