package dev.vigil.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The full job on the simulated breach read from files in the S3 delivery layout (as {@code vigil flink run-local
 * --input}), at parallelism 2. In event-time order ({@code --order event-time}) it finds the alerts {@code vigil detect} finds on the
 * same events in event-time order; in arrival order (the default) those {@code vigil detect} finds on the directory as it is
 * (delivery order, each account's records up to 5 minutes out of event-time order). The two differ: same rules,
 * other evidence events. Files reach the job in delivery order; in directory-listing order the arrival-order job
 * found 24 of the 31 alerts.
 */
class FileBreachJobTest {

  static List<String> alerts(VigilFlinkJob.Order order) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    var streams = VigilFlinkJob.wireFull(VigilFlinkJob.fileSource(env, Breach.directory().toString()),
        VigilFlinkJob.sigma(null), DetectionSetup.defaults(), Duration.ofMinutes(15), order);
    List<String> alerts = new ArrayList<>();
    streams.alerts().executeAndCollect().forEachRemaining(alerts::add);
    return Breach.findingSummaries(alerts);
  }

  @Test
  void breachFromFilesInEventTimeOrderGivesTheAlertsOfVigilDetectInEventTimeOrder() throws Exception {
    Breach.Run cli = Breach.vigilDetect(Breach.inEventTimeOrder(Breach.events()));
    assertThat(cli.alerts()).hasSizeGreaterThan(10);
    assertThat(alerts(VigilFlinkJob.Order.EVENT_TIME)).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
  }

  @Test
  void breachFromFilesInArrivalOrderGivesTheAlertsOfVigilDetect() throws Exception {
    Breach.Run cli = Breach.vigilDetect(Breach.events());
    assertThat(cli.alerts()).hasSizeGreaterThan(10);
    assertThat(alerts(VigilFlinkJob.Order.ARRIVAL)).containsExactlyElementsOf(Breach.summaries(cli.alerts()))
        .isNotEqualTo(Breach.summaries(Breach.vigilDetect(Breach.inEventTimeOrder(Breach.events())).alerts()));
  }
}
