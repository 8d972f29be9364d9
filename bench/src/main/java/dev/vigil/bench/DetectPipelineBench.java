package dev.vigil.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Alert;
import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.incident.Incident;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.EventReader;
import dev.vigil.ingest.IngestReport;
import dev.vigil.ingest.LogFiles;
import dev.vigil.intel.IocFeed;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The detection pipeline's throughput and memory, printed as figures (run by {@code bench/detect-pipeline.sh}, one
 * JVM per mode so that each peak heap is its own).
 *
 * <ul>
 *   <li>{@code baseline DIR}: inflate every log file and parse every record into a JSON tree; nothing else.</li>
 *   <li>{@code pipeline DIR}: what {@code vigil detect} does per event: read, normalize, every detector, the
 *       incident tracker (outputs are not written: they are a few kilobytes).</li>
 * </ul>
 * Prints one line: {@code mode events seconds events/s peak-heap-bytes alerts incidents}.
 */
public final class DetectPipelineBench {
  private DetectPipelineBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("baseline") || args[0].equals("pipeline"))) {
      System.err.println("usage: DetectPipelineBench baseline|pipeline DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    long start = System.nanoTime();
    long events;
    long alerts = 0;
    int incidents = 0;
    if (args[0].equals("baseline")) {
      events = baseline(dir);
    } else {
      long[] count = {0, 0};
      List<Detector> detectors = detectors();
      IncidentTracker tracker = new IncidentTracker(TenantMap.defaults(), u -> {});
      AlertSuppression folding = AlertSuppression.hourly(); // as `vigil detect` by default
      Consumer<Alert> sink = a -> {
        if (folding.admit(a)) {
          count[1]++;
          tracker.alert(a);
        }
      };
      IngestReport report = new EventReader().read(List.of(dir), e -> {
        count[0]++;
        for (Detector d : detectors) {
          d.accept(e, sink);
        }
        tracker.observe(e);
      });
      for (Detector d : detectors) {
        d.finish(sink);
      }
      tracker.finish();
      events = report.accepted();
      alerts = count[1];
      List<Incident> all = tracker.incidents();
      incidents = all.size();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // the main thread's CPU time too: on a machine shared with other work it moves less than the wall clock
    double cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    System.out.printf(Locale.ROOT, "%s events=%d seconds=%.2f events_per_s=%.0f cpu_seconds=%.2f "
        + "events_per_cpu_s=%.0f peak_heap_bytes=%d alerts=%d incidents=%d%n", args[0], events, seconds,
        events / seconds, cpu, events / cpu, peakHeap(), alerts, incidents);
  }

  /** The detectors of {@code vigil detect}: Vigil's bundled Sigma rules and the behavioural detectors. */
  static List<Detector> detectors() {
    List<Detector> d = new ArrayList<>();
    d.add(SigmaRules.builtin().ruleSet());
    d.add(BehaviourEngine.create(BehaviourConfig.defaults(), IocFeed.bundled()));
    return d;
  }

  /** Inflates every file and parses every record into a tree: the floor any reader of these files pays. */
  static long baseline(Path dir) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    JsonFactory f = mapper.getFactory();
    long records = 0;
    for (Path file : LogFiles.expand(List.of(dir)).files()) {
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
          InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
          JsonParser p = f.createParser(in)) {
        // {"Records":[{...},{...}]}
        while (p.nextToken() != null) {
          if (p.currentToken() == JsonToken.START_ARRAY && "Records".equals(p.currentName())) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              mapper.readTree(p);
              records++;
            }
          }
        }
      }
    }
    return records;
  }

  static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
