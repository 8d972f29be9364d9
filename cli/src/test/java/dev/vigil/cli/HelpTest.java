package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, however deep, teaches with --help and exits 0. */
class HelpTest {
  @Test
  void everyCommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new VigilCli()), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(3);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).as("vigil %s --help", String.join(" ", path)).isZero();
      assertThat(run.out()).as("vigil %s --help", String.join(" ", path)).contains("Usage: vigil");
      assertThat(run.err()).as("vigil %s --help", String.join(" ", path)).doesNotContain("WARN");
    }
  }

  private static void collect(CommandLine c, List<String> path, List<List<String>> out) {
    for (var e : c.getSubcommands().entrySet()) {
      if (e.getValue().getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      collect(e.getValue(), p, out);
    }
  }
}
