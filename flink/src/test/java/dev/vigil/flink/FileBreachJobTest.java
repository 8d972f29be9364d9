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
 * --input}), at parallelism 2: the same alerts as {@code vigil detect} on the same directory. Files reach detection
 * in delivery order; in directory-listing order the job found 24 of the 31 alerts.
 */
class FileBreachJobTest {

  @Test
  void breachFromFilesGivesTheAlertsOfVigilDetect() throws Exception {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    var streams = VigilFlinkJob.wireFull(VigilFlinkJob.fileSource(env, Breach.directory().toString()),
        VigilFlinkJob.sigma(null), DetectionSetup.defaults(), Duration.ofMinutes(15));
    List<String> alerts = new ArrayList<>();
    streams.alerts().executeAndCollect().forEachRemaining(alerts::add);

    Breach.Run cli = Breach.vigilDetect(Breach.events());
    assertThat(cli.alerts()).hasSizeGreaterThan(10);
    assertThat(Breach.findingSummaries(alerts)).containsExactlyElementsOf(Breach.summaries(cli.alerts()));
  }
}
