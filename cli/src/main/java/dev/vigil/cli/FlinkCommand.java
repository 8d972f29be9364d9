package dev.vigil.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil flink run-local}: runs the Flink job in an embedded MiniCluster. Flink (~300 MB of jars) is
 * kept out of vigil.jar: this command starts a JVM on the flink module's jar and its classpath file.
 */
@Command(name = "flink", description = "Vigil's detections as an Apache Flink job (see docs/SCALING.md).",
    mixinStandardHelpOptions = true, subcommands = {FlinkCommand.RunLocal.class})
final class FlinkCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserException("give a subcommand: vigil flink run-local --help");
  }

  @Command(name = "run-local", mixinStandardHelpOptions = true,
      description = "Run the Flink detection job (Sigma rules, behavioural detectors, incidents, keyed by AWS "
          + "account) in an embedded MiniCluster.",
      footer = {"", "Examples:",
          "  vigil flink run-local --input logs/ --out flink-out/",
          "  vigil flink run-local --kafka localhost:9092 --topic cloudtrail --out flink-out/",
          "", "Needs the flink module built: mvn -q -pl flink -am package -DskipTests"})
  static final class RunLocal implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "DIR", description = "CloudTrail files (S3 delivery layout).")
    Path input;
    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers.")
    String kafka;
    @Option(names = "--topic", paramLabel = "T", defaultValue = "cloudtrail", description = "Input topic (default: ${DEFAULT-VALUE}).")
    String topic;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Writes alerts/ (OCSF Detection Findings), "
        + "incidents/ (OCSF Incident Findings) and dead-letters/ here.")
    Path out;
    @Option(names = "--rules", paramLabel = "DIR", description = "Extra Sigma rules.")
    Path rules;
    @Option(names = "--lateness-minutes", paramLabel = "MIN", defaultValue = "15", description = "Bounded out-of-orderness: how far behind "
        + "the newest event time seen a record may arrive and still be evaluated in order (default: ${DEFAULT-VALUE}).")
    int lateness;
    @Option(names = "--order", paramLabel = "arrival|event-time", defaultValue = "arrival",
        description = {"In which order each account's records are evaluated (default: ${DEFAULT-VALUE}).",
            "arrival: as the records arrive, as vigil detect reads files: the same alerts as vigil detect on the same "
                + "input, no wait and no buffer; the order is the producers' (key Kafka messages by account).",
            "event-time: each record is held until the newest event time seen is --lateness-minutes past it, then "
                + "evaluated in event-time order, so the alerts do not depend on delivery or Kafka order; alerts wait "
                + "for that bound. For inputs whose producers cannot keep an account's records in order.",
            "Either way a record arriving more than --lateness-minutes late is evaluated and counted (lateRecords)."})
    String order;

    @Override
    public Integer call() throws Exception {
      if ((input == null) == (kafka == null)) {
        throw new UserException("give exactly one of --input DIR or --kafka BOOTSTRAP");
      }
      if (input != null && !Files.exists(input)) {
        throw new UserException("--input " + input + ": no such file or directory");
      }
      if (!order.equals("event-time") && !order.equals("arrival")) {
        throw new UserException("--order: give event-time or arrival, not " + order);
      }
      Path root = Path.of(System.getProperty("vigil.home", ".")).toAbsolutePath();
      Path jar = root.resolve("flink/target/vigil-flink-job.jar");
      Path cp = root.resolve("flink/target/classpath.txt");
      if (!Files.isRegularFile(jar) || !Files.isRegularFile(cp)) {
        throw new UserException("the Flink job is not built (" + jar + "): run mvn -q -pl flink -am package -DskipTests");
      }
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", jar + File.pathSeparator + Files.readString(cp).trim(), "dev.vigil.flink.VigilFlinkJob",
          "--out", out.toString(), "--lateness-minutes", String.valueOf(lateness), "--order", order,
          // a failure that repeats ends the run (with its log) instead of restarting forever
          "--restart-attempts", "3", "--exit-when-done", "true"));
      if (input != null) {
        cmd.addAll(List.of("--input", input.toString()));
      } else {
        cmd.addAll(List.of("--kafka", kafka, "--topic", topic));
      }
      if (rules != null) {
        cmd.addAll(List.of("--rules", rules.toString()));
      }
      int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
      if (exit == ExitCode.USAGE) {
        return ExitCode.USAGE; // the job refused its input or options; it said why above
      }
      if (exit != 0) {
        System.err.println("vigil flink: the job failed (exit " + exit + "); its log is above");
        return ExitCode.INTERNAL;
      }
      long alerts = lines(out.resolve("alerts"));
      long incidents = lines(out.resolve("incidents"));
      long dead = lines(out.resolve("dead-letters"));
      System.out.printf("Flink job finished: %,d alerts (%s), %,d incident changes (%s), %,d dead letters (%s)%n",
          alerts, out.resolve("alerts"), incidents, out.resolve("incidents"), dead, out.resolve("dead-letters"));
      return dead > 0 ? ExitCode.PARTIAL_INPUT : ExitCode.OK;
    }

    /** Lines in the committed part files under {@code dir} (in-progress files start with a dot and are skipped). */
    private static long lines(Path dir) throws java.io.IOException {
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      long n = 0;
      try (var files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().startsWith("."))::iterator) {
          try (var l = Files.lines(f)) {
            n += l.count();
          }
        }
      }
      return n;
    }
  }
}
