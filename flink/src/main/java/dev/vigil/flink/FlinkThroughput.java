package dev.vigil.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Detector;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.DiscardingSink;

/**
 * Throughput figures for docs/BENCHMARKS.md: N generated CloudTrail records in S3-layout files, run through the
 * job in a local MiniCluster at parallelism 1 and 2, against the same parse+detect loop in one thread.
 * Usage: {@code FlinkThroughput EVENTS ACTORS}.
 */
public final class FlinkThroughput {
  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int actors = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    Path dir = Files.createTempDirectory("vigil-flink-bench");
    Path logs = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/19"));
    int perFile = 5_000;
    Instant t0 = Instant.parse("2026-03-19T00:00:00Z");
    StringBuilder all = new StringBuilder();
    for (int f = 0; f * perFile < events; f++) {
      StringBuilder b = new StringBuilder("{\"Records\":[");
      for (int i = f * perFile; i < Math.min(events, (f + 1) * perFile); i++) {
        if (i > f * perFile) {
          b.append(',');
        }
        String rec = "{\"eventVersion\":\"1.08\",\"eventTime\":\"" + t0.plusMillis(i * 100L) + "\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"" + (i % 50 == 0 ? "GetCallerIdentity" : "GetObject")
            + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"198.51.100." + (i % 200) + "\",\"eventID\":\"ev-" + i
            + "\",\"recipientAccountId\":\"111122223333\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/u"
            + (i % actors) + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIA" + String.format("%016d", i % actors) + "\"},"
            + "\"requestParameters\":{\"bucketName\":\"tenant-" + (i % 71) + "\",\"key\":\"data/" + i + ".bin\"}}";
        b.append(rec);
        all.append(rec).append('\n');
      }
      Files.writeString(logs.resolve(String.format("f%05d.json", f)), b.append("]}"));
    }
    // baseline: the library in one thread, parse + detect, as `vigil detect` runs it
    ObjectMapper json = new ObjectMapper();
    Detector d = benchDetector();
    long[] count = {0};
    long start = System.nanoTime();
    for (String line : all.toString().split("\n")) {
      AuditEvent e = CloudTrailNormalizer.normalize(json.readTree(line), new AuditEvent.Origin("bench", 0));
      d.accept(e, a -> count[0]++);
    }
    double base = events / ((System.nanoTime() - start) / 1e9);
    System.out.printf("in-process parse+detect, 1 thread: %,.0f events/s (%d alerts)%n", base, count[0]);
    for (int p : new int[] {1, 2}) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p);
      env.enableCheckpointing(5_000);
      VigilFlinkJob.Streams s = VigilFlinkJob.wire(VigilFlinkJob.fileSource(env, dir.toString()),
          FlinkThroughput::benchDetector, Duration.ofMinutes(15));
      s.alerts().addSink(new DiscardingSink<>());
      long st = System.nanoTime();
      env.execute("bench p" + p);
      double secs = (System.nanoTime() - st) / 1e9;
      System.out.printf("flink MiniCluster parallelism %d: %,.0f events/s (%.1f s incl. job start; %.2fx the in-process loop)%n",
          p, events / secs, secs, (events / secs) / base);
    }
  }

  /** Stand-in until the real Sigma and behaviour engines are merged: one equality check per event. */
  static Detector benchDetector() {
    return (e, alerts) -> {
      if ("GetCallerIdentity".equals(e.action())) {
        alerts.accept(new dev.vigil.detect.Alert("bench.credential-check", "credential check",
            dev.vigil.detect.Severity.MEDIUM, null, null, null, e.time(), java.util.List.of(e), "behaviour", null, null));
      }
    };
  }
}
