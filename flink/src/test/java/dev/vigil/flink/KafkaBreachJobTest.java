package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.ingest.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job end to end: the simulated EC breach is produced into an in-process Kafka broker (KRaft), the full job
 * (Sigma + behaviour + incidents, keyed by account) reads it in a Flink MiniCluster at parallelism 2 and writes
 * alerts and incidents to Kafka topics with exactly-once transactions; what a read_committed consumer finds equals
 * what {@code vigil detect} finds on the same events (the job's default order: arrival, as {@code vigil detect} reads).
 */
class KafkaBreachJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final ObjectMapper JSON = new ObjectMapper();
  static KafkaClusterTestKit kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.max.timeout.ms", "3600000")
        .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void breachFromKafkaGivesTheAlertsAndIncidentOfVigilDetect() throws Exception {
    List<AuditEvent> events = Breach.events();
    try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.clientProperties())) {
      admin.createTopics(List.of(new NewTopic("cloudtrail", 2, (short) 1), new NewTopic("vigil-alerts", 1, (short) 1),
          new NewTopic("vigil-incidents", 1, (short) 1))).all().get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (AuditEvent e : events) { // keyed by account: each account's records stay in order
        producer.send(new ProducerRecord<>("cloudtrail", ActorRecord.accountOf(e), e.raw().toString()));
      }
      producer.flush();
    }

    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "none"); // a failure fails the test instead of restarting forever
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(500);
    var streams = VigilFlinkJob.wireFull(
        VigilFlinkJob.kafkaSource(env, kafka.bootstrapServers(), "cloudtrail", OffsetsInitializer.latest()),
        VigilFlinkJob.sigma(null), DetectionSetup.defaults(), Duration.ofMinutes(15));
    streams.alerts().sinkTo(VigilFlinkJob.kafkaSink(kafka.bootstrapServers(), "vigil-alerts"));
    streams.incidents().sinkTo(VigilFlinkJob.incidentSink(kafka.bootstrapServers(), "vigil-incidents"));
    env.execute("breach from kafka");

    Breach.Run cli = Breach.vigilDetect(events);
    List<ConsumerRecord<String, String>> alerts = readCommitted("vigil-alerts");
    List<ConsumerRecord<String, String>> incidents = readCommitted("vigil-incidents");

    List<String> alertFindings = alerts.stream().map(ConsumerRecord::value).toList();
    assertThat(cli.alerts()).hasSizeGreaterThan(10);
    assertThat(Breach.findingSummaries(alertFindings)).containsExactlyElementsOf(Breach.summaries(cli.alerts()));

    // every incident change of vigil detect, once, as OCSF Incident Findings keyed by incident uid
    List<String> expected = new ArrayList<>();
    for (IncidentUpdate u : cli.updates()) {
      expected.add(u.incident().uid() + " r" + u.incident().revision() + " alerts=" + u.incident().alertCount());
    }
    List<String> got = new ArrayList<>();
    for (ConsumerRecord<String, String> r : incidents) {
      JsonNode f = JSON.readTree(r.value());
      assertThat(f.path("class_uid").asInt()).isEqualTo(2005);
      assertThat(r.key()).isEqualTo(f.path("metadata").path("uid").asText());
      got.add(r.key() + " r" + f.path("metadata").path("sequence").asInt() + " alerts=" + f.path("count").asLong());
    }
    assertThat(cli.incidents()).hasSize(1);
    assertThat(got).containsExactlyElementsOf(expected);
    JsonNode last = JSON.readTree(incidents.get(incidents.size() - 1).value());
    assertThat(last.path("metadata").path("uid").asText()).isEqualTo(cli.incidents().get(0).uid());
    assertThat(last.path("is_suspected_breach").asBoolean()).isTrue();
  }

  private static List<ConsumerRecord<String, String>> readCommitted(String topic) {
    Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // the job has finished and committed: read up to the end (the last stable offset under read_committed)
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }
}
