package dev.vigil.flink;

import dev.vigil.detect.sigma.SigmaRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Vigil detection job: CloudTrail from Kafka or S3-layout files, parsed by Vigil's normaliser, event
 * time with bounded out-of-orderness, keyed by actor, Vigil's detectors, OCSF alerts to files and/or Kafka.
 * A thin shell: all detection logic is the {@code vigil-detect} library.
 *
 * <p>Usage ({@code flink run vigil-flink-job.jar ...}): {@code --input DIR | --kafka HOST:PORT --topic T}
 * {@code [--out DIR] [--alerts-topic T] [--rules DIR] [--lateness-minutes 15] [--checkpoint-ms 10000]}.
 */
public final class VigilFlinkJob {
  public static final String DEFAULT_GROUP = "vigil-detect";

  private VigilFlinkJob() {}

  /** The wired pipeline, for tests and the CLI: alerts (OCSF JSON) with the dead letters as side output. */
  public record Streams(SingleOutputStreamOperator<ActorRecord> records, DataStream<String> alerts,
      DataStream<String> deadLetters) {}

  /** Wires parse, watermarks, keyBy(actor) and detection onto a stream of raw messages/files. */
  public static Streams wire(DataStream<String> raw, DetectorFactory detectors, Duration lateness) {
    SingleOutputStreamOperator<ActorRecord> records = raw.process(new RecordParser()).name("parse CloudTrail");
    DataStream<String> deadLetters = records.getSideOutput(RecordParser.DEAD_LETTERS);
    DataStream<ActorRecord> timed = records.assignTimestampsAndWatermarks(
        WatermarkStrategy.<ActorRecord>forBoundedOutOfOrderness(lateness)
            .withTimestampAssigner((r, ts) -> r.eventTimeMillis));
    DataStream<String> alerts = timed.keyBy(r -> r.actorKey).process(new DetectFunction(detectors))
        .name("detect").uid("vigil-detect");
    return new Streams(records, alerts, deadLetters);
  }

  public static DataStream<String> fileSource(StreamExecutionEnvironment env, String dir) {
    FileSource<String> source = FileSource.forRecordStreamFormat(new WholeFileFormat(),
        new org.apache.flink.core.fs.Path(Path.of(dir).toAbsolutePath().toUri())).build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "cloudtrail files").uid("files-source");
  }

  public static DataStream<String> kafkaSource(StreamExecutionEnvironment env, String bootstrap, String topic) {
    KafkaSource<String> source = KafkaSource.<String>builder().setBootstrapServers(bootstrap).setTopics(topic)
        .setGroupId(DEFAULT_GROUP).setStartingOffsets(OffsetsInitializer.earliest())
        .setValueOnlyDeserializer(new SimpleStringSchema()).build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "cloudtrail kafka").uid("kafka-source");
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
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(Long.parseLong(opts.getOrDefault("checkpoint-ms", "10000")));
    DataStream<String> raw;
    if (opts.containsKey("kafka")) {
      raw = kafkaSource(env, opts.get("kafka"), opts.getOrDefault("topic", "cloudtrail"));
    } else if (opts.containsKey("input")) {
      raw = fileSource(env, opts.get("input"));
    } else {
      System.err.println("vigil-flink: give --input DIR or --kafka HOST:PORT --topic T");
      System.exit(2);
      return;
    }
    Streams s = wire(raw, sigma(opts.get("rules")),
        Duration.ofMinutes(Long.parseLong(opts.getOrDefault("lateness-minutes", "15"))));
    if (opts.containsKey("out")) {
      s.alerts().sinkTo(fileSink(opts.get("out") + "/alerts")).uid("alerts-file");
      s.deadLetters().sinkTo(fileSink(opts.get("out") + "/dead-letters")).uid("dead-letters-file");
    }
    if (opts.containsKey("alerts-topic")) {
      s.alerts().sinkTo(kafkaSink(opts.get("kafka"), opts.get("alerts-topic"))).uid("alerts-kafka");
    }
    env.execute("vigil-detect");
  }
}
