package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.sigma.RuleHeader;
import dev.vigil.detect.sigma.SigmaRules;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules check|list}: validate Sigma rules, and show what Vigil would run. */
@Command(name = "rules",
    description = {"Validate Sigma rules and list the rules Vigil runs.", "",
        "Examples:",
        "  vigil rules check sigma/rules/cloud/aws            # what loads, what is rejected and why",
        "  vigil rules check rules-placeholder/ --placeholder Legitimate_Countries=BE,LU",
        "  vigil rules list                                   # Vigil's bundled rules",
        "  vigil rules list --rules sigma/rules/cloud/aws     # plus community rules"},
    subcommands = {RulesCommand.Check.class, RulesCommand.ListRules.class})
final class RulesCommand implements Runnable {

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "a subcommand is required: check or list");
  }

  static Map<String, List<String>> placeholders(Map<String, String> given) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    given.forEach((k, v) -> out.put(k, List.of(v.split(","))));
    return out;
  }

  static void requireExisting(List<Path> paths) {
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new UserException("no such file or directory: " + p);
      }
    }
  }

  static String attack(RuleHeader h) {
    List<String> parts = new ArrayList<>(h.techniques());
    parts.addAll(h.tactics());
    return parts.isEmpty() ? "-" : String.join(",", parts);
  }

  @Command(name = "check",
      description = {"Load Sigma rules and report every rule that loaded and every rule that was rejected, with "
          + "the file, rule id, line and reason. Without DIR, checks Vigil's bundled rules.", "",
          "Examples:",
          "  vigil rules check ../sigma/rules/cloud/aws/cloudtrail",
          "  vigil rules check my-rule.yml --placeholder Administrators=alice,bob"},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:every rule loaded", "1:some rule was rejected", "2:could not run (bad usage, no such path)"})
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "DIR|FILE", arity = "0..*",
        description = "Rule files or folders (read recursively: *.yml, *.yaml).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--placeholder", paramLabel = "NAME=VALUE[,VALUE...]",
        description = "Value(s) for a Sigma |expand placeholder %NAME% (repeatable).")
    Map<String, String> placeholders = new LinkedHashMap<>();

    @Option(names = "--quiet", description = "Print only rejections, warnings and the summary.")
    boolean quiet;

    @Override
    public Integer call() {
      requireExisting(paths);
      PrintStream out = System.out;
      SigmaRules.Loaded l = SigmaRules.loadAll(paths, paths.isEmpty(), placeholders(placeholders));
      if (!quiet) {
        for (RuleHeader h : l.loaded()) {
          out.println("loaded    " + (h.id() != null ? h.id() : h.name()) + "  " + h.kind() + "  " + h.title()
              + "  [" + h.source() + "]");
        }
      }
      for (SigmaRules.Rejection r : l.rejected()) {
        out.println("rejected  " + r);
      }
      for (String w : l.warnings()) {
        out.println("warning   " + w);
      }
      long correlations = l.loaded().stream().filter(RuleHeader::isCorrelation).count();
      out.println("vigil: " + l.files() + " file(s): " + l.loaded().size() + " loaded (" + (l.loaded().size()
          - correlations) + " rules, " + correlations + " correlations), " + l.rejected().size() + " rejected, "
          + l.warnings().size() + " warning(s)");
      return l.rejected().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }

  @Command(name = "list",
      description = {"Print the header of every rule Vigil would run: id, level, ATT&CK, title, source.", "",
          "Examples:",
          "  vigil rules list",
          "  vigil rules list --rules ../sigma/rules/cloud/aws --format jsonl"})
  static final class ListRules implements Callable<Integer> {
    @Option(names = "--rules", paramLabel = "DIR|FILE", description = "Sigma rules to list besides the bundled ones.")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--no-builtin-rules", description = "Leave out Vigil's bundled rules.")
    boolean noBuiltin;

    @Option(names = "--placeholder", paramLabel = "NAME=VALUE[,VALUE...]",
        description = "Value(s) for a Sigma |expand placeholder %NAME% (repeatable).")
    Map<String, String> placeholders = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "text|jsonl", defaultValue = "text",
        description = "text, or jsonl (one JSON object per rule) (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
      requireExisting(rules);
      if (!format.equals("text") && !format.equals("jsonl")) {
        throw new UserException("--format must be text or jsonl, not '" + format + "'");
      }
      SigmaRules.Loaded l = SigmaRules.loadAll(rules, !noBuiltin, placeholders(placeholders));
      PrintStream out = System.out;
      ObjectMapper json = new ObjectMapper();
      if (format.equals("text")) {
        out.printf("%-36s  %-13s  %-40s  %s  [%s]%n", "ID", "LEVEL", "ATT&CK", "TITLE", "SOURCE");
      }
      for (RuleHeader h : l.loaded()) {
        String id = h.id() != null ? h.id() : h.name();
        String level = h.level() != null ? h.level() : "(medium)";
        if (format.equals("text")) {
          out.printf("%-36s  %-13s  %-40s  %s  [%s]%n", id, level, attack(h), h.title()
              + (h.isCorrelation() ? " (correlation)" : ""), h.source());
        } else {
          ObjectNode o = json.createObjectNode();
          o.put("id", id);
          o.put("title", h.title());
          o.put("kind", h.kind());
          o.put("level", h.severity().name().toLowerCase(java.util.Locale.ROOT));
          o.put("status", h.status());
          o.set("techniques", json.valueToTree(h.techniques()));
          o.set("tactics", json.valueToTree(h.tactics()));
          o.set("references", json.valueToTree(h.references()));
          o.put("author", h.author());
          o.put("source", h.source());
          out.println(json.writeValueAsString(o));
        }
      }
      for (SigmaRules.Rejection r : l.rejected()) {
        System.err.println("vigil: rejected " + r);
      }
      return l.rejected().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }
}
