package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.AuditEvent;
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
import org.junit.jupiter.api.io.TempDir;
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
    StreamExecutionEnvironment env = Breach.recoveringEnvironment(new Configuration());
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

  static final AtomicBoolean FULL_FAILED = new AtomicBoolean();
  static final AtomicInteger FULL_SEEN = new AtomicInteger();

  /** Where the checkpoints go, when a test wants to see them at the failure. */
  static volatile java.nio.file.Path CHECKPOINTS;
  static final List<String> SHARED_AT_FAILURE = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Throws once, at the middle of the breach (records before it are in completed checkpoints). */
  static class FailOnceMidBreach implements MapFunction<String, String> {
    private final int at;

    FailOnceMidBreach(int at) {
      this.at = at;
    }

    @Override
    public String map(String value) throws Exception {
      if (FULL_SEEN.incrementAndGet() % 100 == 0) {
        Thread.sleep(20); // lets 50 ms checkpoints complete along the way
      }
      if (FULL_SEEN.get() == at && FULL_FAILED.compareAndSet(false, true)) {
        java.nio.file.Path checkpoints = CHECKPOINTS;
        if (checkpoints != null) {
          try (var files = java.nio.file.Files.walk(checkpoints)) {
            files.filter(f -> f.getParent().getFileName().toString().equals("shared"))
                .forEach(f -> SHARED_AT_FAILURE.add(f.toString()));
          }
        }
        throw new IllegalStateException("injected failure");
      }
      return value;
    }
  }

  /**
   * The full job (Sigma, behaviour, folding, incidents; in event-time order, the default) on the simulated breach, a
   * task failing halfway: after the restore from the last checkpoint (the order stage's held records and timers
   * included) the output holds every alert and every incident change of vigil detect on the events in event-time
   * order, once.
   */
  @Test
  void fullJobLosesAndDuplicatesNothingAfterRestore() throws Exception {
    fullJobRecovers(new Configuration());
  }

  /**
   * The same with the RocksDB state backend and incremental checkpoints, as in production (docs/SCALING.md): the
   * account state in pieces (MapState per principal and per correlation input) restores from RocksDB files.
   */
  @Test
  void fullJobOnRocksDbWithIncrementalCheckpointsLosesAndDuplicatesNothing(@TempDir java.nio.file.Path dir)
      throws Exception {
    Configuration conf = new Configuration();
    conf.setString("state.backend.type", "rocksdb");
    conf.setString("execution.checkpointing.incremental", "true");
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
    conf.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
    // every state file a file (none inlined into the checkpoint's metadata), so the test can see what was written
    conf.setString("execution.checkpointing.data-inline-threshold", "0 b");
    CHECKPOINTS = dir.resolve("checkpoints");
    SHARED_AT_FAILURE.clear();
    try {
      fullJobRecovers(conf);
    } finally {
      CHECKPOINTS = null;
    }
    // only an incremental backend (RocksDB) writes to the job's shared/ folder (the heap backend writes each
    // checkpoint whole into its chk-N folder): the checkpoint restored from at the failure was made of those files
    assertThat(SHARED_AT_FAILURE).as("RocksDB's incremental checkpoint files at the failure").isNotEmpty();
  }

  private void fullJobRecovers(Configuration conf) throws Exception {
    FULL_SEEN.set(0);
    FULL_FAILED.set(false);
    List<AuditEvent> events = Breach.events();
    Breach.Run cli = Breach.vigilDetect(events);
    StreamExecutionEnvironment env = Breach.recoveringEnvironment(conf);
    List<String> messages = events.stream().map(e -> e.raw().toString()).toList();
    // one reader keeps the records in file order, as vigil detect reads them
    DataStream<String> raw = env.fromData(messages).map(new FailOnceMidBreach(messages.size() / 2)).name("fail once")
        .setParallelism(1);
    var streams = VigilFlinkJob.wireFull(raw, VigilFlinkJob.sigma(null), DetectionSetup.defaults(),
        Duration.ofMinutes(15));
    Breach.JobOutput got = Breach.collect(streams.alerts(), streams.incidents());

    assertThat(FULL_FAILED).isTrue();
    assertThat(FULL_SEEN.get()).as("records replayed after the restore").isGreaterThan(messages.size())
        // restarted from a checkpoint, not from the beginning: fewer than the failure point plus all records
        .isLessThan(messages.size() / 2 + messages.size());
    assertThat(got.alerts()).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
    assertThat(got.incidents()).containsExactlyElementsOf(Breach.updateSummaries(cli.updates()));
  }

}
