package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A task fails mid-stream; Flink restores from the last checkpoint; every alert arrives exactly once. */
class FailureRecoveryTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger SEEN = new AtomicInteger();

  /** Throws once, after 150 records, so the failure lands after some checkpoints have completed. */
  static class FailOnce implements MapFunction<String, String> {
    @Override
    public String map(String value) throws Exception {
      Thread.sleep(2); // lets a few 50 ms checkpoints complete before the failure
      if (SEEN.incrementAndGet() == 150 && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure");
      }
      return value;
    }
  }

  @Test
  void noLostAndNoDuplicatedAlertsAfterRestore() throws Exception {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "3");
    conf.setString("restart-strategy.fixed-delay.delay", "100 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(50);
    List<String> messages = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String action = i % 10 == 0 ? "GetCallerIdentity" : "ListBuckets";
      String time = String.format("2026-03-19T%02d:%02d:00Z", 10 + i / 60, i % 60);
      messages.add(VigilFlinkJobTest.record("ev-" + i, "AKIAAAAAAAAAAAAAAAA" + (i % 3), action, time));
      if (action.equals("GetCallerIdentity")) {
        expected.add("test.credential-check ev-" + i);
      }
    }
    DataStream<String> raw = env.fromData(messages).map(new FailOnce()).name("fail once");
    var streams = VigilFlinkJob.wire(raw, VigilFlinkJobTest::credentialCheck, Duration.ofMinutes(15));
    List<String> alerts = new ArrayList<>();
    streams.alerts().executeAndCollect().forEachRemaining(alerts::add);

    assertThat(FAILED).isTrue();
    assertThat(SEEN.get()).as("records replayed after the restore").isGreaterThan(300);
    assertThat(VigilFlinkJobTest.summaries(alerts)).hasSize(30).containsExactlyInAnyOrderElementsOf(expected);
  }
}
