package dev.vigil.bench;

import dev.vigil.pipeline.AuditEngine;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.yaml.YamlLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CI audit throughput: workflows audited per second on one thread, cycling over every YAML file of the zizmor
 * fixtures and the actionlint test data; the baseline is YAML parsing alone over the same files in the same run.
 * One operation = one file.
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar AuditCiBenchmark -jvmArgs -Dvigil.shared=/work/shared
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class AuditCiBenchmark {
  record Input(String path, CiFile.Kind kind, String text) {}

  private List<Input> corpus;
  private AuditEngine engine;
  private int next;

  @Setup
  public void load() throws IOException {
    Path shared = Path.of(System.getProperty("vigil.shared", "../shared"));
    List<Path> roots = List.of(shared.resolve("corpora/zizmor-fixtures/crates/zizmor/tests/integration/test-data"),
        shared.resolve("corpora/actionlint-testdata/testdata"));
    corpus = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException(root + " is missing: pass -jvmArgs -Dvigil.shared=/path/to/shared");
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().forEach(p -> {
          try {
            String name = p.getFileName().toString();
            CiFile.Kind kind = name.startsWith("action.") ? CiFile.Kind.ACTION : CiFile.Kind.WORKFLOW;
            corpus.add(new Input(p.toString(), kind, Files.readString(p)));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
    engine = AuditEngine.defaults();
    System.err.println("corpus: " + corpus.size() + " files, "
        + corpus.stream().mapToLong(i -> i.text().length()).sum() / 1024 + " KiB");
  }

  private Input nextInput() {
    Input in = corpus.get(next);
    next = next + 1 == corpus.size() ? 0 : next + 1;
    return in;
  }

  /** Parse, model, run every audit, apply suppressions: what 'vigil audit-ci' does per file. */
  @Benchmark
  public Object auditWorkflow() {
    Input in = nextInput();
    return engine.auditText(in.path(), in.kind(), in.text());
  }

  /** Baseline: YAML parsing alone (snakeyaml-engine events to Vigil's positioned tree). */
  @Benchmark
  public Object parseYamlOnly() {
    Input in = nextInput();
    try {
      return YamlLoader.parse(in.text(), in.path());
    } catch (YamlLoader.YamlError e) {
      return e;
    }
  }
}
