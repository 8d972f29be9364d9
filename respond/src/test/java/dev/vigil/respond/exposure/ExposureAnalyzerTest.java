package dev.vigil.respond.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.intel.IocFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExposureAnalyzerTest {
  @TempDir Path repo;

  private static final String EXPOSED = """
      name: scan
      on: [push]
      jobs:
        security-scan:
          runs-on: ubuntu-latest
          env:
            AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
          steps:
            - uses: actions/checkout@v4
            - uses: aquasecurity/trivy-action@0.34.2
              with:
                scan-type: fs
            - run: aws s3 sync site s3://bucket
              env:
                AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
        lint:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
      """;
  private static final String FIXED = EXPOSED.replace("aquasecurity/trivy-action@0.34.2",
      "aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1 # 0.35.0");

  private RevCommit commit(Git git, String text, String when) throws Exception {
    Files.createDirectories(repo.resolve(".github/workflows"));
    Files.writeString(repo.resolve(".github/workflows/scan.yml"), text);
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("Dev", "dev@example.eu", Date.from(Instant.parse(when)),
        TimeZone.getTimeZone("UTC"));
    return git.commit().setMessage("ci").setAuthor(who).setCommitter(who).call();
  }

  @Test
  void theWorkflowAsItStoodInTheWindowIsExposedEvenThoughItIsFixedNow() throws Exception {
    RevCommit exposed;
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      exposed = commit(git, EXPOSED, "2026-03-02T10:00:00Z");
      commit(git, FIXED, "2026-03-25T10:00:00Z");
    }
    ActionExecution ran = new ActionExecution("logs/1_security-scan.txt", "security-scan",
        "aquasecurity/trivy-action", "0.34.2", "ddb9da4475c1cef7d5389062bdfdfbdbd1394648",
        Instant.parse("2026-03-19T20:00:00Z"), 5);
    ActionExecution before = new ActionExecution("logs/old.txt", "security-scan", "aquasecurity/trivy-action",
        "0.34.2", "0000000000000000000000000000000000000000", Instant.parse("2026-03-10T20:00:00Z"), 5);
    ExposureAnalyzer.Result r = ExposureAnalyzer.analyze(repo, IocFeed.bundled(), List.of(ran, before));
    assertThat(r.problems()).isEmpty();
    assertThat(r.jobs()).hasSize(1);
    ExposureAnalyzer.ExposedJob job = r.jobs().get(0);
    assertThat(job.workflowPath()).isEqualTo(".github/workflows/scan.yml");
    assertThat(job.commit()).isEqualTo(exposed.getName());
    assertThat(job.jobId()).isEqualTo("security-scan");
    assertThat(job.actionRepo()).isEqualTo("aquasecurity/trivy-action");
    assertThat(job.ref()).isEqualTo("0.34.2");
    assertThat(job.advisory()).isEqualTo("GHSA-69fq-xp46-6x23");
    assertThat(job.secrets()).containsExactlyInAnyOrder("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(job.proof()).containsExactly(ran);
    assertThat(job.executionProven()).isTrue();
    assertThat(r.notes()).isEmpty();
  }

  @Test
  void withoutRunLogsOrHistoryTheReportSaysWhatIsNotProven() throws Exception {
    Files.createDirectories(repo.resolve(".github/workflows"));
    Files.writeString(repo.resolve(".github/workflows/scan.yml"), EXPOSED);
    ExposureAnalyzer.Result r = ExposureAnalyzer.analyze(repo, IocFeed.bundled(), null);
    assertThat(r.jobs()).extracting(ExposureAnalyzer.ExposedJob::jobId).containsExactly("security-scan");
    assertThat(r.jobs().get(0).executionProven()).isFalse();
    assertThat(r.notes()).containsExactly(
        "no run logs given: execution not proven, only that the workflows referenced the action",
        repo + " is not a git repository: workflows are read as they are now, not as they stood in the exposure window");
  }

  @Test
  void aSafePinOutsideTheWindowIsNotExposed() throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      commit(git, FIXED, "2026-03-02T10:00:00Z");
    }
    assertThat(ExposureAnalyzer.analyze(repo, IocFeed.bundled(), List.of()).jobs()).isEmpty();
  }
}
