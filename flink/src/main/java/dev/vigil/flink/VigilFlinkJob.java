package dev.vigil.flink;

import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.LogFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Vigil detection job: CloudTrail from Kafka or S3-layout files, parsed by Vigil's normaliser, event
 * time with bounded out-of-orderness, then either the full detection keyed by AWS account (each account's records in
 * arrival order or, with {@code --order event-time}, put back into event-time order; then Sigma rules, behavioural
 * detectors, alert folding and incidents: {@link #wireFull})
 * or Sigma rules only keyed by actor ({@link #wire});
 * OCSF alerts and incidents to files and/or Kafka. A thin shell: all detection logic is the {@code vigil-detect}
 * library.
 *
 * <p>Usage ({@code flink run vigil-flink-job.jar ...}): {@code --input DIR | --kafka HOST:PORT --topic T}
 * {@code [--out DIR] [--alerts-topic T] [--incidents-topic T] [--rules DIR] [--sigma-only true]}
 * {@code [--config FILE] [--watchlist FILE] [--tenants FILE] [--fold-minutes 60]}
 * {@code [--lateness-minutes 15] [--order arrival|event-time] [--checkpoint-ms 10000] [--restart-attempts N] [--exit-when-done true]}.
 */
public final class VigilFlinkJob {
  public static final String DEFAULT_GROUP = "vigil-detect";

  private VigilFlinkJob() {}

  /** The wired pipeline, for tests and the CLI: alerts (OCSF JSON) with the dead letters as side output. */
  public record Streams(SingleOutputStreamOperator<ActorRecord> records, DataStream<String> alerts,
      DataStream<String> deadLetters, DataStream<String> incidents) {}

  /** Accounts whose detection objects stay in memory per subtask (the rest is read back from keyed state). */
  public static final int CACHED_ACCOUNTS = 256;

  /** In which order the account stage sees each account's records ({@code --order}). */
  public enum Order {
    /**
     * Event-time order ({@link EventTimeOrder}): each record is held until the watermark (the newest event time seen
     * minus the lateness bound) passes it. Detection waits for the lateness bound; in exchange the results do not
     * depend on how records were spread over Kafka partitions or delivery files, as long as they arrive less than the
     * bound out of order; later ones are still evaluated, at once, and counted ({@code lateRecords}).
     */
    EVENT_TIME("event-time"),
    /** Arrival order, as {@code vigil detect} reads files: no wait and no buffer; the order is the producers'. */
    ARRIVAL("arrival");

    public final String option;

    Order(String option) {
      this.option = option;
    }

    public static Order parse(String option) {
      for (Order o : values()) {
        if (o.option.equals(option)) {
          return o;
        }
      }
      throw new IllegalArgumentException("--order: give event-time or arrival, not " + option);
    }
  }

  /**
   * The default {@link Order}: arrival, so that the job finds what {@code vigil detect} finds on the same input and
   * alerts leave without waiting for the lateness bound (see docs/SCALING.md, "Event-time order").
   */
  public static final Order DEFAULT_ORDER = Order.ARRIVAL;

  /**
   * How long a parser subtask may go without records before the watermark moves on without it (an empty or quiet
   * Kafka partition would otherwise hold every account's records back); its records, when they come, may be late.
   */
  public static final Duration IDLE_INPUT = Duration.ofMinutes(1);

  /** The key of the account stage (and of its event-time order in front of it). */
  static final KeySelector<ActorRecord, String> BY_ACCOUNT = r -> r.account;

  /** {@link #wireFull(DataStream, DetectorFactory, DetectionSetup, Duration, Order)} in the default order. */
  public static Streams wireFull(DataStream<String> raw, DetectorFactory sigma, DetectionSetup setup,
      Duration lateness) {
    return wireFull(raw, sigma, setup, lateness, DEFAULT_ORDER);
  }

  /**
   * Wires parse, watermarks, keyBy(AWS account), in event-time order the {@link EventTimeOrder} stage (uid
   * {@code vigil-order-account}), and the full detection ({@link AccountDetectOperator}): alerts as OCSF Detection
   * Findings, incident changes as OCSF Incident Findings, dead letters. The order stage and the account stage are
   * keyed alike and run at the same parallelism: the ordered stream is re-interpreted as keyed by account, so the
   * two are chained with no second shuffle (setting a different parallelism on one of them fails at job build).
   */
  public static Streams wireFull(DataStream<String> raw, DetectorFactory sigma, DetectionSetup setup,
      Duration lateness, Order order) {
    // parsing at the source's parallelism keeps each source split's order up to the keyBy (no rebalance between)
    SingleOutputStreamOperator<ActorRecord> records = raw.process(new RecordParser()).name("parse CloudTrail")
        .setParallelism(raw.getParallelism());
    DataStream<String> deadLetters = records.getSideOutput(RecordParser.DEAD_LETTERS);
    DataStream<ActorRecord> timed = records.assignTimestampsAndWatermarks(
        WatermarkStrategy.<ActorRecord>forBoundedOutOfOrderness(lateness)
            .withTimestampAssigner((r, ts) -> r.eventTimeMillis).withIdleness(IDLE_INPUT));
    KeyedStream<ActorRecord, String> byAccount = timed.keyBy(BY_ACCOUNT);
    if (order == Order.EVENT_TIME) {
      SingleOutputStreamOperator<ActorRecord> ordered = byAccount
          .transform("order by event time (account)", timed.getType(), new EventTimeOrder())
          .uid("vigil-order-account");
      byAccount = DataStreamUtils.reinterpretAsKeyedStream(ordered, BY_ACCOUNT, Types.STRING);
    }
    SingleOutputStreamOperator<String> alerts = byAccount
        .transform("detect (account)", Types.STRING,
            new AccountDetectOperator(sigma, setup, CACHED_ACCOUNTS, order == Order.ARRIVAL))
        .uid("vigil-detect-account");
    return new Streams(records, alerts, deadLetters, alerts.getSideOutput(AccountDetectOperator.INCIDENTS));
  }

  /** Wires parse, watermarks, keyBy(actor) and detection onto a stream of raw messages/files. */
  public static Streams wire(DataStream<String> raw, DetectorFactory detectors, Duration lateness) {
    SingleOutputStreamOperator<ActorRecord> records = raw.process(new RecordParser()).name("parse CloudTrail");
    DataStream<String> deadLetters = records.getSideOutput(RecordParser.DEAD_LETTERS);
    DataStream<ActorRecord> timed = records.assignTimestampsAndWatermarks(
        WatermarkStrategy.<ActorRecord>forBoundedOutOfOrderness(lateness)
            .withTimestampAssigner((r, ts) -> r.eventTimeMillis));
    DataStream<String> alerts = timed.keyBy(r -> r.actorKey).process(new DetectFunction(detectors))
        .name("detect").uid("vigil-detect");
    return new Streams(records, alerts, deadLetters, null);
  }

  /**
   * Files in the S3 delivery layout, read by one reader in delivery order ({@link DeliveryOrderSplitAssigner}), so
   * each account's records reach detection in the order {@code vigil detect} reads them. Parsing keeps the source's
   * parallelism (see {@link #wireFull}), so the order holds up to the keyBy. Reading files is rarely the bottleneck;
   * at scale the records come from Kafka, partitioned by account.
   *
   * <p>A local directory is expanded as {@code vigil detect} expands it ({@code LogFiles.expand}): with an
   * {@code AWSLogs/} layout only the CloudTrail files in it, else the files with a log suffix; digests and side files
   * (a simulator's truth.json, a repository next to the logs) are not records and are not read. A URI with a scheme
   * ({@code s3://...}) is handed to Flink's file system as it is.
   */
  public static DataStream<String> fileSource(StreamExecutionEnvironment env, String dir) {
    org.apache.flink.core.fs.Path[] paths;
    if (dir.contains("://")) {
      paths = new org.apache.flink.core.fs.Path[] {new org.apache.flink.core.fs.Path(dir)};
    } else {
      LogFiles.Found found;
      try {
        found = LogFiles.expand(List.of(Path.of(dir)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(dir + ": " + e.getMessage(), e);
      }
      if (found.files().isEmpty()) {
        throw new IllegalArgumentException(dir + ": no CloudTrail log files (expected AWSLogs/<account>/CloudTrail/"
            + "... or *.json, *.json.gz files)");
      }
      if (found.ignored() > 0) {
        System.err.printf("vigil-flink: %s: %,d file(s) are not CloudTrail logs and are not read%n", dir,
            found.ignored());
      }
      paths = found.files().stream().map(f -> new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
          .toArray(org.apache.flink.core.fs.Path[]::new);
    }
    FileSource<String> source = FileSource.forBulkFileFormat(new WholeFileFormat(), paths)
        .setSplitAssigner(DeliveryOrderSplitAssigner::new)
        .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "cloudtrail files").uid("files-source")
        .setParallelism(1);
  }

  public static DataStream<String> kafkaSource(StreamExecutionEnvironment env, String bootstrap, String topic) {
    return kafkaSource(env, bootstrap, topic, null);
  }

  /** @param stopAt null to read forever; e.g. {@code OffsetsInitializer.latest()} for a bounded run (tests) */
  public static DataStream<String> kafkaSource(StreamExecutionEnvironment env, String bootstrap, String topic,
      OffsetsInitializer stopAt) {
    var builder = KafkaSource.<String>builder().setBootstrapServers(bootstrap).setTopics(topic)
        .setGroupId(DEFAULT_GROUP).setStartingOffsets(OffsetsInitializer.earliest())
        .setValueOnlyDeserializer(new SimpleStringSchema());
    if (stopAt != null) {
      builder.setBounded(stopAt);
    }
    return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "cloudtrail kafka").uid("kafka-source");
  }

  /** File sink: part files become visible only on checkpoint completion, so a restore leaves no duplicates. */
  public static FileSink<String> fileSink(String dir) {
    return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(Path.of(dir).toAbsolutePath().toUri()),
        new SimpleStringEncoder<String>("UTF-8")).build();
  }

  /** Kafka sink: transactional exactly-once (readers use isolation.level=read_committed). */
  public static KafkaSink<String> kafkaSink(String bootstrap, String topic) {
    return KafkaSink.<String>builder().setBootstrapServers(bootstrap)
        .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(topic)
            .setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).setTransactionalIdPrefix("vigil-" + topic)
        .build();
  }

  /**
   * Kafka sink for incident changes: exactly-once, message key = the incident uid (one partition per incident keeps
   * its revisions in order; a compacted topic keeps the latest), value = the OCSF Incident Finding, whose
   * {@code metadata.sequence} is the revision: (uid, revision) identifies an update for idempotent consumers.
   */
  public static KafkaSink<String> incidentSink(String bootstrap, String topic) {
    return KafkaSink.<String>builder().setBootstrapServers(bootstrap)
        .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder().setTopic(topic)
            .setKeySerializationSchema(json -> incidentUid(json).getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).setTransactionalIdPrefix("vigil-" + topic)
        .build();
  }

  static String incidentUid(String finding) {
    try {
      return JSON.readTree(finding).path("metadata").path("uid").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** Vigil's Sigma rules (built-in, plus a user folder when given). */
  public static DetectorFactory sigma(String rulesDir) {
    return () -> {
      List<Path> paths = new ArrayList<>();
      if (rulesDir != null) {
        paths.add(Path.of(rulesDir));
      }
      return SigmaRules.load(paths, true, Map.of(), System.err::println);
    };
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
    if (opts.containsKey("restart-attempts")) {
      // bounded restarts (run-local): a failure that repeats ends the job instead of restarting it forever
      conf.setString("restart-strategy.type", "fixed-delay");
      conf.setString("restart-strategy.fixed-delay.attempts", opts.get("restart-attempts"));
      conf.setString("restart-strategy.fixed-delay.delay", "5 s");
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(Long.parseLong(opts.getOrDefault("checkpoint-ms", "10000")));
    DataStream<String> raw;
    if (opts.containsKey("kafka")) {
      raw = kafkaSource(env, opts.get("kafka"), opts.getOrDefault("topic", "cloudtrail"));
    } else if (opts.containsKey("input")) {
      String input = opts.get("input");
      if (!input.contains("://") && !java.nio.file.Files.exists(Path.of(input))) {
        System.err.println("vigil-flink: --input " + input + ": no such file or directory");
        System.exit(2);
        return;
      }
      try {
        raw = fileSource(env, input);
      } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
        System.err.println("vigil-flink: --input " + e.getMessage());
        System.exit(2);
        return;
      }
    } else {
      System.err.println("vigil-flink: give --input DIR or --kafka HOST:PORT --topic T");
      System.exit(2);
      return;
    }
    Duration lateness = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("lateness-minutes", "15")));
    Order order = Order.parse(opts.getOrDefault("order", DEFAULT_ORDER.option));
    Streams s = Boolean.parseBoolean(opts.getOrDefault("sigma-only", "false"))
        ? wire(raw, sigma(opts.get("rules")), lateness)
        : wireFull(raw, sigma(opts.get("rules")), new DetectionSetup(opts.get("config"), opts.get("watchlist"),
            opts.get("tenants"), Long.parseLong(opts.getOrDefault("fold-minutes", "60"))), lateness, order);
    if (opts.containsKey("out")) {
      s.alerts().sinkTo(fileSink(opts.get("out") + "/alerts")).uid("alerts-file");
      s.deadLetters().sinkTo(fileSink(opts.get("out") + "/dead-letters")).uid("dead-letters-file");
      if (s.incidents() != null) {
        s.incidents().sinkTo(fileSink(opts.get("out") + "/incidents")).uid("incidents-file");
      }
    }
    if (opts.containsKey("incidents-topic") && s.incidents() != null) {
      s.incidents().sinkTo(incidentSink(opts.get("kafka"), opts.get("incidents-topic"))).uid("incidents-kafka");
    }
    if (opts.containsKey("alerts-topic")) {
      s.alerts().sinkTo(kafkaSink(opts.get("kafka"), opts.get("alerts-topic"))).uid("alerts-kafka");
    }
    env.execute("vigil-detect");
    if (Boolean.parseBoolean(opts.getOrDefault("exit-when-done", "false"))) {
      // run-local: the job is done and its output committed; a source fetcher thread Flink's MiniCluster sometimes
      // leaves behind must not keep this process (and the vigil command waiting on it) alive
      System.exit(0);
    }
  }
}
