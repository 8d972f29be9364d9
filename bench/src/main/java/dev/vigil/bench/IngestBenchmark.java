package dev.vigil.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.ingest.EventReader;
import dev.vigil.ingest.IngestReport;
import dev.vigil.simulate.EcBreachSimulation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingestion speed on one thread: Vigil's {@link EventReader} (inflate, parse, normalise into AuditEvents) over a
 * simulated 1M-event CloudTrail set in the S3 delivery layout, against a baseline that only inflates the same files
 * and walks their JSON tokens. Both report {@code events} per second (an auxiliary counter: one pass adds the
 * set's event count); the primary score is passes per second.
 *
 * <p>The data set is generated once into {@code bench/target/bench-data/} (override with
 * {@code -Dvigil.bench.data=DIR}) and reused by later runs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseSerialGC"})
@Threads(1)
public class IngestBenchmark {

  static final long EVENTS = 1_000_000;

  /** The simulated set, shared by both benchmarks. */
  @State(Scope.Benchmark)
  public static class Dataset {
    Path dir;
    List<Path> files;
    long events;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
      dir = Paths.get(System.getProperty("vigil.bench.data", "bench/target/bench-data"))
          .resolve("ec-breach-1m-seed1").toAbsolutePath();
      dir = ensure(dir);
      try (Stream<Path> walk = Files.walk(dir.resolve("AWSLogs"))) {
        files = walk.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
      }
      events = EVENTS;
    }
  }

  /** Generates the 1M-event set unless a complete one is already there. */
  static Path ensure(Path dir) throws IOException {
    Path done = dir.resolve(".complete");
    if (Files.exists(done)) {
      return dir;
    }
    EcBreachSimulation.Options base = EcBreachSimulation.defaults();
    EcBreachSimulation.Options o = base.withBackgroundEvents(EVENTS - EcBreachSimulation.attackerEvents(base));
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    System.err.println("vigil-bench: generating " + EVENTS + " simulated events into " + dir + " (once)...");
    EcBreachSimulation.Summary s = EcBreachSimulation.write(dir, o, null);
    if (s.events() != EVENTS) {
      throw new IllegalStateException("generated " + s.events() + " events, wanted " + EVENTS);
    }
    Files.writeString(done, "seed=1 events=" + s.events() + " files=" + s.files() + "\n");
    return dir;
  }

  /** Events processed, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counted {
    public long events;
  }

  @Benchmark
  public long vigilEventReader(Dataset data, Counted counted) throws IOException {
    long[] n = {0};
    IngestReport report = new EventReader().read(List.of(data.dir), e -> n[0]++);
    if (n[0] != data.events || report.quarantined() != 0) {
      throw new IllegalStateException("read " + n[0] + " events, " + report.quarantined() + " quarantined");
    }
    counted.events += n[0];
    return n[0];
  }

  private static final JsonFactory JSON = new JsonFactory();

  @Benchmark
  public long baselineInflateAndTokenize(Dataset data, Counted counted) {
    long tokens = 0;
    for (Path f : data.files) {
      try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(f), 1 << 16), 1 << 16);
          JsonParser p = JSON.createParser(in)) {
        while (p.nextToken() != null) {
          tokens++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    counted.events += data.events;
    return tokens;
  }
}
