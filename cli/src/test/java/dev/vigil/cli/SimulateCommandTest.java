package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private int run(String... args) {
    return VigilCli.execute(args);
  }

  @Test
  void writesASmallDatasetAndSaysWhere() throws IOException {
    Path dir = tmp.resolve("d");
    int code = run("simulate", "ec-breach", "--out", dir.toString(), "--tenants", "3", "--days", "4",
        "--background-events", "3000", "--seed", "5");
    assertThat(code).isZero();
    JsonNode truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
    assertThat(truth.get("seed").asLong()).isEqualTo(5);
    assertThat(truth.get("tenants").size()).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Wrote " + String.format("%,d",
        truth.get("event_count").asLong()) + " events").contains("truth.json");
  }

  @Test
  void refusesANonEmptyDirectoryUnlessForced() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(dir.resolve("notes.txt"), "mine");
    String[] args = {"simulate", "ec-breach", "--out", dir.toString(), "--tenants", "2", "--days", "3",
        "--background-events", "2000"};
    assertThat(run(args)).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("vigil: error: " + dir + " is not empty")
        .contains("--force").doesNotContain("Exception");
    String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
    forced[args.length] = "--force";
    assertThat(run(forced)).isZero();
    assertThat(run(forced)).isZero();
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
    assertThat(dir.resolve("truth.json")).exists();
  }

  @Test
  void tooFewBackgroundEventsIsAUserErrorNamingTheMinimum() {
    int code = run("simulate", "ec-breach", "--out", tmp.resolve("d").toString(), "--background-events", "10");
    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--background-events 10 is too few")
        .contains("at least");
  }

  @Test
  void helpTeachesWithExamples() {
    assertThat(run("simulate", "ec-breach", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Examples:").contains("--background-events")
        .contains("truth.json");
    out.reset();
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("simulate");
  }
}
