package dev.vigil.respond.exposure;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.CiParser;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.JobExposure;
import dev.vigil.pipeline.model.Uses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Step 1 of an investigation: which workflows and jobs used a compromised action inside its exposure window,
 * read from the repository's history as it stood then (not as it is now), which secrets each such job could
 * read, and whether run logs prove that the job actually ran the malicious commit.
 */
public final class ExposureAnalyzer {

  /**
   * One job that ran (or would have run) a compromised action during its window.
   *
   * @param commit      the commit whose workflow file was in effect
   * @param secrets     secrets the job's steps could read (the GITHUB_TOKEN is always in reach too)
   * @param proof       run-log lines showing the job downloaded the action; empty when not proven
   */
  public record ExposedJob(String workflowPath, String commit, Instant commitTime, String jobId, String jobName,
      String actionRepo, String ref, String reason, String advisory, IocFeed.Window window, List<String> secrets,
      boolean inheritsAllSecrets, Map<String, String> permissions, List<ActionExecution> proof) {

    public boolean executionProven() {
      return !proof.isEmpty();
    }
  }

  /** What was found, what was assumed ({@code notes}) and what could not be read ({@code problems}). */
  public record Result(List<ExposedJob> jobs, List<String> notes, List<String> problems) {}

  private ExposureAnalyzer() {}

  /**
   * @param repo    a git work tree or bare repository (history is used), or a plain folder (current files)
   * @param runLogs executions found in run logs, or null when none were given
   */
  public static Result analyze(Path repo, IocFeed feed, List<ActionExecution> runLogs) {
    List<String> notes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, ExposedJob> found = new LinkedHashMap<>();
    if (runLogs == null) {
      notes.add("no run logs given: execution not proven, only that the workflows referenced the action");
    }
    try (Repository git = open(repo)) {
      if (git == null) {
        notes.add(repo + " is not a git repository: workflows are read as they are now, not as they stood in "
            + "the exposure window");
        for (Map.Entry<String, String> wf : currentWorkflows(repo, problems).entrySet()) {
          scan(wf.getKey(), wf.getValue(), null, null, feed, null, runLogs, found, problems);
        }
      } else {
        history(git, feed, runLogs, found, notes, problems);
      }
    } catch (IOException e) {
      problems.add(repo + ": cannot read the repository: " + e.getMessage());
    }
    return new Result(List.copyOf(found.values()), notes, problems);
  }

  private static Repository open(Path repo) throws IOException {
    FileRepositoryBuilder b = new FileRepositoryBuilder();
    if (Files.isDirectory(repo.resolve(".git"))) {
      b.setGitDir(repo.resolve(".git").toFile());
    } else if (Files.isRegularFile(repo.resolve("HEAD")) && Files.isDirectory(repo.resolve("objects"))) {
      b.setGitDir(repo.toFile());
    } else {
      return null;
    }
    return b.setMustExist(true).build();
  }

  private static void history(Repository git, IocFeed feed, List<ActionExecution> runLogs,
      Map<String, ExposedJob> found, List<String> notes, List<String> problems) throws IOException {
    ObjectId head = git.resolve("HEAD");
    if (head == null) {
      problems.add(git.getDirectory() + ": the repository has no commits");
      return;
    }
    List<RevCommit> commits = new ArrayList<>();
    try (RevWalk walk = new RevWalk(git)) {
      walk.markStart(walk.parseCommit(head));
      for (RevCommit c : walk) {
        commits.add(c);
      }
    }
    for (IocFeed.CompromisedAction action : feed.actions()) {
      IocFeed.Window w = action.window();
      Set<RevCommit> inEffect = new LinkedHashSet<>();
      boolean noWindow = w == null || w.start() == null;
      if (noWindow) {
        inEffect.add(commits.get(0));
      } else {
        // the commit current when the window opened, and every commit made while it was open
        commits.stream().filter(c -> !time(c).isAfter(w.start())).findFirst().ifPresent(inEffect::add);
        commits.stream().filter(c -> time(c).isAfter(w.start()) && (w.end() == null || !time(c).isAfter(w.end())))
            .forEach(inEffect::add);
      }
      int before = found.size();
      for (RevCommit c : inEffect) {
        for (Map.Entry<String, String> wf : workflowsAt(git, c).entrySet()) {
          scan(wf.getKey(), wf.getValue(), c.getName(), time(c), feed, w, runLogs, found, problems);
        }
      }
      if (noWindow && found.size() > before) {
        notes.add(action.repo() + ": the feed gives no exposure window, so the current workflows were checked");
      }
    }
  }

  private static void scan(String path, String text, String commit, Instant commitTime, IocFeed feed,
      IocFeed.Window window, List<ActionExecution> runLogs, Map<String, ExposedJob> found, List<String> problems) {
    CiParser.Parsed parsed = CiParser.parse(path, CiFile.Kind.WORKFLOW, text);
    if (parsed.workflow() == null) {
      parsed.problems().forEach(p -> problems.add(p.toString() + (commit == null ? "" : " (at " + commit + ")")));
      return;
    }
    for (Job job : parsed.workflow().jobs()) {
      JobExposure exposure = JobExposure.of(job);
      for (Uses uses : exposure.actions()) {
        if (uses.repo() == null || uses.ref() == null) {
          continue;
        }
        for (IocFeed.CompromisedAction action : feed.actionsFor(uses.repo())) {
          if (window != null && action.window() != window) {
            continue; // each commit set is matched only against the action whose window selected it
          }
          String reason = reason(action, uses.ref());
          if (reason == null) {
            continue;
          }
          String key = path + "|" + job.id() + "|" + uses.repo() + "@" + uses.ref();
          if (found.containsKey(key)) {
            continue;
          }
          List<ActionExecution> proof = runLogs == null ? List.of() : runLogs.stream()
              .filter(r -> r.repo().equalsIgnoreCase(uses.repo()))
              .filter(r -> r.ref().equals(uses.ref()) || r.sha() != null && action.commitAffected(r.sha()))
              .filter(r -> r.job().equals(job.id()) || job.name() != null && r.job().equals(job.name()))
              .filter(r -> r.time() == null || action.window() == null || action.window().contains(r.time()))
              .toList();
          found.put(key, new ExposedJob(path, commit, commitTime, job.id(), job.name(), uses.repo(), uses.ref(),
              reason, action.advisory(), action.window(), List.copyOf(exposure.allSecrets()),
              exposure.inheritsAllSecrets(), exposure.permissions(), proof));
        }
      }
    }
  }

  private static String reason(IocFeed.CompromisedAction action, String ref) {
    if (ref.matches("[0-9a-fA-F]{7,40}")) {
      return action.commitAffected(ref) ? "pinned to malicious commit " + ref.toLowerCase(Locale.ROOT) : null;
    }
    return action.tagAffected(ref) ? "tag " + ref + " was repointed to malicious code" : null;
  }

  private static Map<String, String> workflowsAt(Repository git, RevCommit commit) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (TreeWalk tw = new TreeWalk(git)) {
      tw.addTree(commit.getTree());
      tw.setRecursive(true);
      tw.setFilter(PathFilter.create(".github/workflows"));
      while (tw.next()) {
        String p = tw.getPathString();
        if (p.endsWith(".yml") || p.endsWith(".yaml")) {
          out.put(p, new String(git.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static Map<String, String> currentWorkflows(Path repo, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    Path dir = repo.resolve(".github/workflows");
    if (!Files.isDirectory(dir)) {
      problems.add(repo + ": no .github/workflows folder");
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
          try {
            out.put(repo.relativize(f).toString(), Files.readString(f));
          } catch (IOException e) {
            problems.add(f + ": unreadable: " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      problems.add(dir + ": cannot list: " + e.getMessage());
    }
    return out;
  }

  private static Instant time(RevCommit c) {
    return Instant.ofEpochSecond(c.getCommitTime());
  }
}
