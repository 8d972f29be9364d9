package dev.vigil.respond.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogReaderTest {
  @TempDir Path dir;

  private static final String SCAN_LOG = """
      \uFEFF2026-03-19T18:01:02.1234567Z Requested labels: ubuntu-latest
      2026-03-19T18:01:03.0000000Z Prepare all required actions
      2026-03-19T18:01:03.1000000Z Getting action download info
      2026-03-19T18:01:03.5000000Z Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)
      2026-03-19T18:01:04.0000000Z Download action repository 'aquasecurity/trivy-action@0.34.2' (SHA:DDB9DA4475C1CEF7D5389062BDFDFBDBD1394648)
      2026-03-19T18:01:09.0000000Z ##[group]Run aquasecurity/trivy-action@0.34.2
      """;

  @Test
  void aZipFromTheApiProvesWhichJobRanWhichCommit() throws Exception {
    Path zip = dir.resolve("run-4711.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("scan/1_Set up job.txt"));
      out.write(SCAN_LOG.getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("1_scan.txt"));
      out.write("2026-03-19T18:01:02Z nothing to see\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("deploy/1_Set up job.txt"));
      out.write("Download action repository 'aws-actions/configure-aws-credentials@v4'\n".getBytes(StandardCharsets.UTF_8));
    }
    RunLogReader reader = new RunLogReader();
    List<ActionExecution> runs = reader.read(List.of(zip));
    assertThat(reader.problems()).isEmpty();
    assertThat(runs).containsExactly(
        new ActionExecution(zip + "!scan/1_Set up job.txt", "scan", "actions/checkout", "v4",
            "11bd71901bbe5b1630ceea73d27597364c9af683", Instant.parse("2026-03-19T18:01:03.5Z"), 4),
        new ActionExecution(zip + "!scan/1_Set up job.txt", "scan", "aquasecurity/trivy-action", "0.34.2",
            "ddb9da4475c1cef7d5389062bdfdfbdbd1394648", Instant.parse("2026-03-19T18:01:04Z"), 5),
        new ActionExecution(zip + "!deploy/1_Set up job.txt", "deploy", "aws-actions/configure-aws-credentials", "v4",
            null, null, 1));
  }

  @Test
  void aFolderOfLogsAndBadInputs() throws Exception {
    Files.writeString(dir.resolve("2_security-scan.txt"), SCAN_LOG);
    Files.write(dir.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 0, 0});
    try (OutputStream out = Files.newOutputStream(dir.resolve("notes.md"))) {
      out.write("Download action repository 'x/y@z'".getBytes(StandardCharsets.UTF_8));
    }
    RunLogReader reader = new RunLogReader();
    List<ActionExecution> runs = reader.read(List.of(dir, dir.resolve("missing")));
    assertThat(runs).extracting(ActionExecution::job).containsExactly("security-scan", "security-scan");
    assertThat(runs).extracting(ActionExecution::repo).containsExactly("actions/checkout", "aquasecurity/trivy-action");
    assertThat(reader.problems()).extracting(RunLogReader.Problem::source)
        .containsExactly(dir.resolve("broken.zip").toString(), dir.resolve("missing").toString());
  }

  @Test
  void severalRunsSideBySideNameTheJobFromTheFolderThatHoldsTheStepLogs() throws Exception {
    // run-logs/<run>/<job>/<n>_<step>.txt, with a whole-job log <n>_<job>.txt beside the job folder
    Path root = dir.resolve("run-logs");
    for (String run : List.of("deploy-run-4101", "deploy-run-4102")) {
      Files.createDirectories(root.resolve(run).resolve("deploy"));
      Files.writeString(root.resolve(run).resolve("deploy/1_Set up job.txt"), SCAN_LOG);
      Files.writeString(root.resolve(run).resolve("2_deploy.txt"), SCAN_LOG);
    }
    List<ActionExecution> runs = new RunLogReader().read(List.of(root));
    assertThat(runs).hasSize(8).allSatisfy(r -> assertThat(r.job()).isEqualTo("deploy"));
    // one run's folder given directly reads the same
    assertThat(new RunLogReader().read(List.of(root.resolve("deploy-run-4101"))))
        .hasSize(4).allSatisfy(r -> assertThat(r.job()).isEqualTo("deploy"));
  }

  @Test
  void jobNamesFromTheLayout() {
    assertThat(RunLogReader.jobName("scan/1_Set up job.txt", d -> false)).isEqualTo("scan");
    assertThat(RunLogReader.jobName("1_scan.txt", d -> false)).isEqualTo("scan");
    assertThat(RunLogReader.jobName("run-9/build/3_Test.txt", d -> false)).isEqualTo("build");
    assertThat(RunLogReader.jobName("run-9/2_build.txt", "build"::equals)).isEqualTo("build");
    assertThat(RunLogReader.jobName("run-9/notes.txt", d -> false)).isEqualTo("run-9");
  }
}
