package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.sigma.SigmaRules;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sigma engine throughput, in events per second on one thread, each event parsed from its raw JSON bytes and
 * normalized (so "parse" is what a real run pays), then:
 * <ul>
 *   <li>{@code parseOnly}: nothing else (the baseline);</li>
 *   <li>{@code sigmaHq57}: the 57 SigmaHQ AWS CloudTrail rules;</li>
 *   <li>{@code sigmaHq57Plus1000}: those plus 1,000 generated rules on actions absent from the input.</li>
 * </ul>
 * Input: the 310 Stratus Red Team events and the 461 Panther test events, replicated to {@value #EVENTS} events.
 * Run from the repository root ({@code ../shared} must hold the corpora, or pass -Dvigil.shared=DIR).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class SigmaBench {
  static final int EVENTS = 100_000;

  private final ObjectMapper json = new ObjectMapper();
  private List<byte[]> raw;
  private Detector none;
  private Detector sigmaHq;
  private Detector sigmaHqPlus;
  private long alerts;

  static Path shared() {
    String prop = System.getProperty("vigil.shared");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
    if (!Files.isDirectory(p.resolve("corpora"))) {
      throw new IllegalStateException("corpora not found under " + p.toAbsolutePath() + " (-Dvigil.shared=DIR)");
    }
    return p;
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path shared = shared();
    List<byte[]> base = new ArrayList<>();
    try (Stream<Path> s = Files.list(shared.resolve("corpora/cloudtrail/stratus-red-team/docs/detonation-logs"))) {
      for (Path f : s.sorted().toList()) {
        for (JsonNode e : json.readTree(f.toFile())) {
          base.add(json.writeValueAsBytes(e));
        }
      }
    }
    for (String line : Files.readAllLines(
        shared.resolve("corpora/cloudtrail/panther-analysis-tests/cloudtrail_rule_tests.jsonl"))) {
      JsonNode log = json.readTree(line).path("log");
      if (log.isObject() && log.has("eventTime")) {
        base.add(json.writeValueAsBytes(log));
      }
    }
    raw = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      raw.add(base.get(i % base.size()));
    }
    Path rules = shared.resolve("corpora/sigma-aws/rules");
    none = (e, a) -> {};
    sigmaHq = SigmaRules.loadAll(List.of(rules), false, Map.of()).ruleSet();
    SigmaRules.Loaded generated = SigmaRules.fromYaml(generatedRules(1000), Map.of());
    if (!generated.rejected().isEmpty()) {
      throw new IllegalStateException(generated.rejected().toString());
    }
    Path tmp = Files.createTempFile("vigil-bench-rules", ".yml");
    Files.writeString(tmp, generatedRules(1000));
    sigmaHqPlus = SigmaRules.loadAll(List.of(rules, tmp), false, Map.of()).ruleSet();
    Files.delete(tmp);
  }

  /** {@code n} rules shaped like the SigmaHQ ones, on actions that never occur in the input. */
  static String generatedRules(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append("---\n");
      }
      b.append("title: Generated rule ").append(i).append('\n');
      b.append(String.format("id: 00000000-0000-4000-8000-%012d%n", i));
      b.append("level: medium\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n");
      b.append("    eventSource: service").append(i % 40).append(".amazonaws.com\n");
      b.append("    eventName:\n      - GeneratedAction").append(i).append("\n      - OtherAction").append(i)
          .append('\n');
      if (i % 3 == 0) {
        b.append("  filter:\n    userIdentity.type: AssumedRole\n  condition: selection and not filter\n");
      } else if (i % 3 == 1) {
        b.append("    requestParameters|contains: 'secret'\n  condition: selection\n");
      } else {
        b.append("  condition: selection\n");
      }
    }
    return b.toString();
  }

  private void run(Detector d, Blackhole bh) throws IOException {
    run(d, bh, 0, raw.size());
  }

  /** One pass of configuration {@code which} (0 parse only, 1 SigmaHQ, 2 SigmaHQ + 1,000) over events [from, to). */
  void pass(int which, Blackhole bh, int from, int to) throws IOException {
    run(which == 0 ? none : which == 1 ? sigmaHq : sigmaHqPlus, bh, from, to);
  }

  private void run(Detector d, Blackhole bh, int from, int to) throws IOException {
    Consumer<Alert> sink = a -> {
      alerts++;
      bh.consume(a);
    };
    int i = from;
    for (byte[] bytes : raw.subList(from, to)) {
      JsonNode node = json.readTree(bytes);
      AuditEvent e;
      try {
        e = CloudTrailNormalizer.normalize(node, new AuditEvent.Origin("bench", i++));
      } catch (CloudTrailNormalizer.RejectedRecord r) {
        continue;
      }
      d.accept(e, sink);
      bh.consume(e);
    }
    d.finish(sink);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void parseOnly(Blackhole bh) throws IOException {
    run(none, bh);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void sigmaHq57(Blackhole bh) throws IOException {
    run(sigmaHq, bh);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void sigmaHq57Plus1000(Blackhole bh) throws IOException {
    run(sigmaHqPlus, bh);
  }
}
