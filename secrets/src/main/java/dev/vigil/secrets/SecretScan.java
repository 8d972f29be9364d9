package dev.vigil.secrets;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scan: the inputs (files, directories, {@code -} for standard input, or git repositories with
 * {@link Options#git()}), the rules, and every core. Returns the findings in a stable order with the report.
 */
public final class SecretScan {
  /** How to scan. */
  public record Options(boolean git, boolean respectGitignore, long maxFileBytes, int threads) {
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;

    public static Options defaults() {
      return new Options(false, false, DEFAULT_MAX_FILE_BYTES, Runtime.getRuntime().availableProcessors());
    }
  }

  /** The findings (stable order: path, line, column, rule) and what was read. */
  public record Result(List<Finding> findings, ScanReport report) {}

  /** Files listed but not yet read, for a progress display. */
  public interface Progress {
    void total(long files);
  }

  private final SecretScanner scanner;
  private final Options options;
  private final ScanReport report = new ScanReport();

  public SecretScan(SecretScanner scanner, Options options) {
    this.scanner = scanner;
    this.options = options;
  }

  /** The live report (counts grow while the scan runs), for progress bars. */
  public ScanReport report() {
    return report;
  }

  public Result run(List<Path> paths, InputStream stdin, Progress progress) throws GitHistory.NotARepository {
    ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
    FileSources sources = new FileSources(options.maxFileBytes(), options.respectGitignore(), report);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
      Thread t = new Thread(r, "vigil-secrets");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Path> files = new ArrayList<>();
      for (Path p : paths) {
        if (p.toString().equals("-")) {
          sources.read("<stdin>", stdin, (name, text) -> add(findings, scanner.scan(text, name)));
        } else if (options.git()) {
          findings.addAll(new GitHistory(scanner, options.maxFileBytes(), report, options.threads()).scan(p, pool));
        } else {
          files.addAll(sources.list(p));
        }
      }
      if (progress != null) {
        progress.total(files.size());
      }
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < Math.max(1, options.threads()); w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            Path f = files.get(i);
            try {
              sources.read(f, (name, text, length) -> add(findings, scanner.scan(text, length, name)));
            } catch (RuntimeException | StackOverflowError e) {
              report.problem(f.toString(), "scan failed: " + e);
            }
          }
        }));
      }
      for (Future<?> w : workers) {
        try {
          w.get();
        } catch (Exception e) {
          report.problem("(scan)", "worker failed: " + e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(ORDER);
    return new Result(sorted, report);
  }

  private void add(ConcurrentLinkedQueue<Finding> sink, List<Finding> found) {
    if (!found.isEmpty()) {
      sink.addAll(found);
      report.findings.addAndGet(found.size());
    }
  }

  static final Comparator<Finding> ORDER = Comparator.comparing(Finding::path)
      .thenComparingInt(Finding::line).thenComparingInt(Finding::column).thenComparing(Finding::ruleId)
      .thenComparing(f -> f.commit() == null ? "" : f.commit().date());
}
