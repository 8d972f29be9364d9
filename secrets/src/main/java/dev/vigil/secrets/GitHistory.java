package dev.vigil.secrets;

import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Git history with JGit: every commit reachable from any ref, oldest first, each compared with its first parent.
 * A secret is reported once per rule, path and value, with the commit whose diff added the line (author, date,
 * path, line), so a secret added and later deleted is still found, with the commit to look at. Distinct blobs are
 * scanned once each, in parallel; unreadable commits and blobs of a damaged repository are problems, not a stop.
 */
public final class GitHistory {
  /** Not a git repository at all: a usage error, unlike a damaged one. */
  public static final class NotARepository extends Exception {
    private static final long serialVersionUID = 1L;

    NotARepository(String message) {
      super(message);
    }
  }

  static {
    // JGit logs through SLF4J; with no provider on the class path SLF4J would warn on stderr at first use
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
  }

  private final SecretScanner scanner;
  private final long maxBlobBytes;
  private final ScanReport report;
  private final int workers;

  public GitHistory(SecretScanner scanner, long maxBlobBytes, ScanReport report, int workers) {
    this.scanner = scanner;
    this.maxBlobBytes = maxBlobBytes;
    this.report = report;
    this.workers = Math.max(1, workers);
  }

  /** One file change of one commit. */
  private record Change(RevCommit commit, String path, ObjectId newBlob, ObjectId oldBlob) {}

  public List<Finding> scan(Path dir, ExecutorService pool) throws NotARepository {
    Repository repo;
    try {
      FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(dir.toFile());
      if (b.getGitDir() == null) {
        throw new NotARepository("not a git repository: " + dir);
      }
      repo = b.setMustExist(true).build();
    } catch (RepositoryNotFoundException e) {
      throw new NotARepository("not a git repository: " + dir);
    } catch (IOException | RuntimeException e) {
      report.problem(dir.toString(), "cannot open the git repository: " + FileSources.reason(e));
      return List.of();
    }
    String repoName = dir.toString();
    try (repo) {
      List<Change> changes = changes(repo, repoName);
      // scan each distinct blob once, in parallel, each worker with its own reader
      Map<ObjectId, String> blobPaths = new LinkedHashMap<>();
      for (Change c : changes) {
        blobPaths.putIfAbsent(c.newBlob(), c.path());
      }
      Map<ObjectId, List<Finding>> blobFindings = new ConcurrentHashMap<>();
      List<ObjectId> blobs = new ArrayList<>(blobPaths.keySet());
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int first = w;
        futures.add(pool.submit(() -> {
          try (ObjectReader reader = repo.newObjectReader()) {
            for (int i = first; i < blobs.size(); i += workers) {
              ObjectId id = blobs.get(i);
              String path = blobPaths.get(id);
              byte[] text = load(reader, id, path, repoName);
              if (text != null) {
                List<Finding> f = scanner.scan(text, path);
                if (!f.isEmpty()) {
                  blobFindings.put(id, f);
                  report.findings.addAndGet(f.size());
                }
              }
            }
          }
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (Exception e) {
          report.problem(repoName, "history scan failed: " + e.getMessage());
        }
      }
      return attribute(repo, repoName, changes, blobFindings);
    }
  }

  /** Every (commit, path) whose content changed, oldest commit first. */
  private List<Change> changes(Repository repo, String repoName) {
    List<Change> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.sort(RevSort.TOPO, true);
      walk.sort(RevSort.REVERSE, true);
      int starts = 0;
      for (Ref ref : repo.getRefDatabase().getRefs()) {
        ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
        if (id == null) {
          continue;
        }
        try {
          walk.markStart(walk.parseCommit(id));
          starts++;
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
          // a tag of a tree or blob: no history behind it
        } catch (IOException e) {
          report.problem(repoName, "ref " + ref.getName() + " points to an unreadable commit: "
              + FileSources.reason(e));
        }
      }
      if (starts == 0) {
        return out;
      }
      while (true) {
        RevCommit c;
        try {
          c = walk.next();
        } catch (IOException | RuntimeException e) {
          report.problem(repoName, "cannot walk history further: " + FileSources.reason(e));
          break;
        }
        if (c == null) {
          break;
        }
        report.commits.incrementAndGet();
        try (TreeWalk tw = new TreeWalk(repo)) {
          tw.setRecursive(true);
          if (c.getParentCount() > 0) {
            RevCommit parent = walk.parseCommit(c.getParent(0));
            tw.addTree(parent.getTree());
          } else {
            tw.addTree(new EmptyTreeIterator());
          }
          tw.addTree(c.getTree());
          tw.setFilter(TreeFilter.ANY_DIFF);
          while (tw.next()) {
            FileMode mode = tw.getFileMode(1);
            if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
              continue; // deleted here (its content was added earlier), a symlink or a submodule
            }
            out.add(new Change(c, tw.getPathString(), tw.getObjectId(1),
                tw.getFileMode(0) == FileMode.MISSING ? null : tw.getObjectId(0)));
          }
        } catch (IOException | RuntimeException e) {
          report.problem(repoName, "commit " + c.name() + ": cannot read its tree: "
              + FileSources.reason(e));
        }
      }
    } catch (IOException e) {
      report.problem(repoName, "cannot read refs: " + FileSources.reason(e));
    }
    return out;
  }

  private byte[] load(ObjectReader reader, ObjectId id, String path, String repoName) {
    try {
      ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
      if (loader.getSize() > maxBlobBytes) {
        report.skip(path + "@" + id.name(), "over the size cap");
        return null;
      }
      byte[] bytes = loader.getCachedBytes();
      if (FileSources.isBinary(bytes)) {
        report.skip(path + "@" + id.name(), "binary");
        return null;
      }
      report.blobs.incrementAndGet();
      report.files.incrementAndGet();
      report.bytes.addAndGet(bytes.length);
      return bytes;
    } catch (IOException | RuntimeException e) {
      report.problem(repoName + ": " + path + " (blob " + id.name() + ")", "unreadable: "
          + FileSources.reason(e));
      return null;
    }
  }

  /** Keeps the findings on lines each commit added; one per rule, path and secret: the oldest commit. */
  private List<Finding> attribute(Repository repo, String repoName, List<Change> changes,
      Map<ObjectId, List<Finding>> blobFindings) {
    Map<String, Finding> first = new LinkedHashMap<>();
    Map<String, Integer> repeats = new HashMap<>();
    try (ObjectReader reader = repo.newObjectReader()) {
      for (Change ch : changes) {
        List<Finding> found = blobFindings.get(ch.newBlob());
        if (found == null) {
          continue;
        }
        List<Edit> edits = null;
        if (ch.oldBlob() != null && !ch.oldBlob().equals(ObjectId.zeroId())) {
          try {
            RawText a = new RawText(reader.open(ch.oldBlob(), Constants.OBJ_BLOB).getCachedBytes());
            RawText b = new RawText(reader.open(ch.newBlob(), Constants.OBJ_BLOB).getCachedBytes());
            edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, a, b);
          } catch (IOException | RuntimeException e) {
            edits = null; // the previous version is unreadable: count every line as added
          }
        }
        for (Finding f : found) {
          if (edits != null && !added(edits, f.line())) {
            continue;
          }
          String key = f.ruleId() + "\0" + ch.path() + "\0" + f.secret();
          if (first.containsKey(key)) {
            continue;
          }
          PersonIdent a = ch.commit().getAuthorIdent();
          Finding.Commit commit = new Finding.Commit(ch.commit().name(), a.getName(), a.getEmailAddress(),
              DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(a.getWhenAsInstant().atZone(a.getZoneId())), repoName);
          String fp = SecretScanner.fingerprint(f.ruleId(), ch.path(), f.secret());
          int k = repeats.merge(fp, 1, Integer::sum);
          first.put(key, f.withLocation(ch.path(), commit).withFingerprint(k == 1 ? fp : fp + ":" + k));
        }
      }
    }
    return new ArrayList<>(first.values());
  }

  /** True when a 1-based line of the new version lies in an inserted or replaced region. */
  private static boolean added(List<Edit> edits, int line) {
    int i = line - 1;
    for (Edit e : edits) {
      if (i >= e.getBeginB() && i < e.getEndB()) {
        return true;
      }
    }
    return false;
  }
}
