package dev.vigil.pipeline.lock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Reads the tags of local clones of action repositories (no network) into an {@link ActionLock}. */
public final class LockBuilder {
  static {
    // JGit logs through SLF4J; with no logging backend SLF4J would print a three-line notice on every run.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
  }

  private LockBuilder() {}

  /**
   * Adds every tag of the clone at {@code dir} (peeled to its commit) under {@code repoName}, or under the
   * {@code owner/repo} of its {@code origin} remote when {@code repoName} is null. Returns the name used.
   */
  public static String addClone(ActionLock lock, Path dir, String repoName) throws IOException {
    FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
    if (b.getGitDir() == null) {
      throw new IOException(dir + ": not a git repository (clone the action repository there first)");
    }
    try (Repository repo = b.build(); Git git = new Git(repo)) {
      String name = repoName != null ? repoName : ownerRepo(repo.getConfig().getString("remote", "origin", "url"));
      if (name == null) {
        throw new IOException(dir + ": cannot tell which action this is (no 'origin' remote on GitHub); "
            + "name it with DIR=owner/repo");
      }
      for (Ref ref : git.tagList().call()) {
        Ref peeled = repo.getRefDatabase().peel(ref);
        ObjectId id = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
        lock.put(name, Repository.shortenRefName(ref.getName()), id.name());
      }
      return name.toLowerCase(Locale.ROOT);
    } catch (GitAPIException e) {
      throw new IOException(dir + ": cannot list tags: " + e.getMessage(), e);
    }
  }

  /** {@code owner/repo} of a GitHub remote URL (https or ssh), or null. */
  static String ownerRepo(String url) {
    if (url == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("github\\.com[:/]+([^/]+)/([^/]+?)(?:\\.git)?/?$").matcher(url.trim());
    return m.find() ? m.group(1) + "/" + m.group(2) : null;
  }
}
