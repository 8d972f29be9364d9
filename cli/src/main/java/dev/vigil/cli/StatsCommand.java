package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.ingest.IngestReport;
import dev.vigil.ingest.LogStats;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats",
    description = {"First look at a log set: events, time range, accounts, regions, and the top services, "
        + "actions, actors, source addresses and user agents.", "",
        "Examples:",
        "  vigil stats AWSLogs/                      # a whole S3 delivery layout",
        "  vigil stats trail.json.gz --format json   # machine-readable: {\"events\": N, \"quarantined\": N, ...}",
        "  zcat *.json.gz | vigil stats -"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:all input read", "2:could not run (bad usage, no input)",
        "3:ran, but some records were quarantined (see stderr and --quarantine)"})
final class StatsCommand implements Callable<Integer> {

  @Mixin InputOptions input;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Entries per top list (default: ${DEFAULT-VALUE}).")
  int top;

  enum Format { text, json }

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    LogStats stats = new LogStats();
    IngestReport report = input.reader(System.err).read(input.paths, stats);
    int code = input.finish(System.err, report);
    if (format == Format.json) {
      out.println(json(stats, report));
    } else {
      text(out, stats, report);
    }
    return code;
  }

  private String json(LogStats stats, IngestReport report) throws IOException {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode o = m.createObjectNode();
    o.put("events", stats.events());
    o.put("quarantined", report.quarantined());
    o.put("read", report.read());
    o.put("files", report.files());
    o.put("unreadable_files", report.unreadableFiles());
    o.put("first", stats.first() == null ? null : stats.first().toString());
    o.put("last", stats.last() == null ? null : stats.last().toString());
    o.put("errors", stats.errors());
    o.put("bytes_out", stats.bytesOut());
    for (Map.Entry<String, LogStats.TopCounter> f : stats.fields().entrySet()) {
      ObjectNode field = o.putObject(f.getKey());
      field.put("distinct", f.getValue().distinct());
      field.put("approximate", f.getValue().approximate());
      ArrayNode topList = field.putArray("top");
      for (Map.Entry<String, Long> e : f.getValue().top(top)) {
        topList.addObject().put("value", e.getKey()).put("count", e.getValue());
      }
    }
    return m.writeValueAsString(o);
  }

  private void text(PrintStream out, LogStats stats, IngestReport report) {
    boolean c = Terminal.colour();
    out.printf("%s %,d events from %,d file(s), %,d quarantined%n", Terminal.paint("1", "Events:", c),
        stats.events(), report.files(), report.quarantined());
    if (stats.events() > 0) {
      out.printf("%s %s .. %s%n", Terminal.paint("1", "Time:  ", c), stats.first(), stats.last());
      out.printf("%s %,d failed calls, %,d bytes read out of S3 data events%n",
          Terminal.paint("1", "Errors:", c), stats.errors(), stats.bytesOut());
    }
    for (Map.Entry<String, LogStats.TopCounter> f : stats.fields().entrySet()) {
      LogStats.TopCounter counter = f.getValue();
      if (counter.distinct() == 0) {
        continue;
      }
      out.printf("%n%s (%s%,d distinct)%n", Terminal.paint("1", f.getKey().replace('_', ' '), c),
          counter.approximate() ? "at least " : "", counter.distinct());
      for (Map.Entry<String, Long> e : counter.top(top)) {
        out.printf("  %,12d  %s%n", e.getValue(), e.getKey());
      }
    }
  }
}
