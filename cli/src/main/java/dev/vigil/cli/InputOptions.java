package dev.vigil.cli;

import dev.vigil.ingest.EventReader;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestProblem;
import dev.vigil.ingest.IngestReport;
import dev.vigil.ingest.Quarantine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The inputs every log-reading command takes, and how problems with them are shown. */
public final class InputOptions {
  /** How many problems are printed before the rest are only counted. */
  static final int PRINTED_PROBLEMS = 20;

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "CloudTrail files (.json, .json.gz, JSON Lines), directories (read recursively; an S3 "
          + "delivery layout AWSLogs/... is read in delivery-time order), or - for standard input.")
  List<Path> paths;

  @Option(names = "--quarantine", paramLabel = "FILE",
      description = "Write every rejected record, with its source, index and reason, to FILE as JSON Lines.")
  Path quarantineFile;

  @Option(names = "--max-line-bytes", paramLabel = "N", hidden = true,
      description = "Longest JSON Lines line accepted (default: ${DEFAULT-VALUE}).")
  int maxLineBytes = IngestLimits.DEFAULT.maxLineBytes();

  private int printed;
  private Quarantine quarantine;

  /** Checks the paths before any work starts, so a typo fails fast with exit code 2. */
  void validate() {
    for (Path p : paths) {
      if (!p.toString().equals("-") && !Files.exists(p)) {
        throw new UserException("no such file or directory: " + p);
      }
    }
  }

  /** A reader that prints the first problems to {@code err} and quarantines every one. */
  EventReader reader(PrintStream err) {
    validate();
    if (quarantineFile != null) {
      try {
        quarantine = Quarantine.toFile(quarantineFile);
      } catch (IOException e) {
        throw new UserException("cannot write the quarantine file " + quarantineFile + ": " + e.getMessage());
      }
    }
    IngestLimits d = IngestLimits.DEFAULT;
    IngestLimits limits = new IngestLimits(maxLineBytes, d.maxInflatedBytes(), d.bombRatio(),
        d.bombRatioAfterBytes(), d.maxStringChars());
    return new EventReader(limits, problem -> print(err, problem), quarantine);
  }

  private void print(PrintStream err, IngestProblem problem) {
    if (printed++ < PRINTED_PROBLEMS) {
      err.println("vigil: skipped " + problem);
    }
  }

  /** Closes the quarantine and prints the closing count line; returns the exit code the input deserves. */
  int finish(PrintStream err, IngestReport report) {
    if (quarantine != null) {
      try {
        quarantine.close();
      } catch (IOException e) {
        throw new UserException("cannot write the quarantine file " + quarantineFile + ": " + e.getMessage());
      }
    }
    if (report.quarantined() > PRINTED_PROBLEMS) {
      err.println("vigil: ... " + (report.quarantined() - PRINTED_PROBLEMS) + " more problems not shown"
          + (quarantineFile == null ? " (use --quarantine FILE to keep them all)" : ""));
    }
    if (report.files() == 0) {
      throw new UserException("no log files found in " + paths + " (looked for .json, .json.gz, .jsonl, "
          + ".ndjson, .log and .gz files)");
    }
    err.println("vigil: " + report + (quarantineFile != null && report.quarantined() > 0
        ? "; rejected records in " + quarantineFile : ""));
    return report.clean() ? ExitCode.OK : ExitCode.PARTIAL_INPUT;
  }
}
