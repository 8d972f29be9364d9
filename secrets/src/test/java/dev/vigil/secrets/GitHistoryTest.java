package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git history: a repository built by the test with JGit, a secret added in one commit and deleted later. */
class GitHistoryTest {
  static {
    System.setProperty("slf4j.internal.verbosity", "ERROR"); // JGit in the test itself logs before GitHistory loads
  }

  @TempDir Path dir;

  private static final PersonIdent ALICE = new PersonIdent("Alice Dev", "alice@example.org");

  private SecretScan.Result scan() throws Exception {
    SecretScan.Options o = new SecretScan.Options(true, false, SecretScan.Options.DEFAULT_MAX_FILE_BYTES, 2);
    return new SecretScan(new SecretScanner(RuleSet.builtin()), o).run(List.of(dir), null, null);
  }

  @Test
  void deletedSecretIsFoundWithTheCommitThatAddedIt() throws Exception {
    TestTokens t = new TestTokens(42);
    String token = t.github("ghp");
    String keyId = t.awsKeyId();
    RevCommit added;
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("README.md"), "# demo\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("init").setAuthor(ALICE).setCommitter(ALICE).setSign(false).call();

      Files.writeString(dir.resolve("deploy.sh"), "#!/bin/sh\necho deploying\nexport GITHUB_TOKEN=" + token
          + "\nexport AWS_ACCESS_KEY_ID=" + keyId + "\n");
      git.add().addFilepattern(".").call();
      added = git.commit().setMessage("add deploy").setAuthor(ALICE).setCommitter(ALICE).setSign(false).call();

      // an unrelated edit of the same file: the secret lines are unchanged, so this commit must not be blamed
      Files.writeString(dir.resolve("deploy.sh"), "#!/bin/sh\necho deploying now\nexport GITHUB_TOKEN=" + token
          + "\nexport AWS_ACCESS_KEY_ID=" + keyId + "\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("tweak").setAuthor(ALICE).setCommitter(ALICE).setSign(false).call();

      git.rm().addFilepattern("deploy.sh").call();
      git.commit().setMessage("remove secret").setAuthor(ALICE).setCommitter(ALICE).setSign(false).call();
    }
    assertThat(dir.resolve("deploy.sh")).doesNotExist();

    SecretScan.Result r = scan();
    assertThat(r.report().problems()).isEmpty();
    assertThat(r.report().commits()).isEqualTo(4);
    assertThat(r.findings()).extracting(Finding::ruleId, Finding::path, Finding::line, Finding::secret)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("github-pat-classic", "deploy.sh", 3, token),
            org.assertj.core.groups.Tuple.tuple("aws-access-key-id", "deploy.sh", 4, keyId));
    for (Finding f : r.findings()) {
      assertThat(f.commit().id()).isEqualTo(added.name());
      assertThat(f.commit().author()).isEqualTo("Alice Dev");
      assertThat(f.commit().email()).isEqualTo("alice@example.org");
      assertThat(f.commit().date()).isNotBlank();
    }
  }

  @Test
  void damagedRepositoryIsReportedAndTheRestStillScanned() throws Exception {
    TestTokens t = new TestTokens(7);
    String good = t.github("ghp");
    String lost = t.github("gho");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("a.env"), "TOKEN=" + good + "\n");
      Files.writeString(dir.resolve("b.env"), "OAUTH=" + lost + "\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("both").setAuthor(ALICE).setCommitter(ALICE).setSign(false).call();
      // corrupt the loose object of b.env's blob
      String blob = git.getRepository().resolve("HEAD:b.env").name();
      Path object = dir.resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2));
      object.toFile().setWritable(true);
      Files.write(object, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }
    SecretScan.Result r = scan();
    assertThat(r.findings()).extracting(Finding::secret).containsExactly(good);
    assertThat(r.report().problems()).hasSize(1);
    assertThat(r.report().problems().get(0).path()).contains("b.env");
    assertThat(r.report().problems().get(0).reason()).startsWith("unreadable");
  }

  @Test
  void aDirectoryThatIsNotARepositoryIsAUsageError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(this::scan).isInstanceOf(GitHistory.NotARepository.class)
        .hasMessageContaining(dir.toString());
  }
}
