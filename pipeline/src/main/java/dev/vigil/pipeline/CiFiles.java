package dev.vigil.pipeline;

import dev.vigil.pipeline.model.CiFile;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds CI files under a path. In a repository (a directory with {@code .github/} or {@code .gitlab-ci.yml}):
 * workflows in {@code .github/workflows}, every {@code action.yml|yaml}, and {@code .gitlab-ci.yml}. In any other
 * directory every YAML file is taken, as a workflow unless its name says action or GitLab CI.
 */
public final class CiFiles {
  /**
   * A file to audit: where it is, how to show it, what it is. {@code guessed}: found in a directory that is not a
   * repository, so it is audited only if its content looks like CI configuration.
   */
  public record Input(Path path, String display, CiFile.Kind kind, boolean guessed) {}

  private static final Set<String> SKIP_DIRS = Set.of(".git", "node_modules", "target", "vendor", ".venv");

  private CiFiles() {}

  public static List<Input> discover(Path root) throws IOException {
    List<Input> out = new ArrayList<>();
    if (Files.isRegularFile(root) || !Files.exists(root)) {
      String n = root.getFileName() == null ? "" : root.getFileName().toString();
      if (n.startsWith("dependabot.")) {
        return out; // Dependabot configuration, not a CI file
      }
      out.add(new Input(root, root.toString(), kindOf(root, true), false));
      return out;
    }
    boolean repo = Files.isDirectory(root.resolve(".github")) || Files.exists(root.resolve(".gitlab-ci.yml"));
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
        return !dir.equals(root) && SKIP_DIRS.contains(n) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String name = file.getFileName().toString();
        if (!(name.endsWith(".yml") || name.endsWith(".yaml")) || name.startsWith("dependabot.")
            || name.equals(".pre-commit-config.yaml") || name.equals(".pre-commit-config.yml")) {
          return FileVisitResult.CONTINUE;
        }
        String rel = root.relativize(file).toString().replace('\\', '/');
        CiFile.Kind kind = null;
        if (name.equals("action.yml") || name.equals("action.yaml")) {
          kind = CiFile.Kind.ACTION;
        } else if (name.equals(".gitlab-ci.yml")) {
          kind = CiFile.Kind.GITLAB;
        } else if (!repo || rel.startsWith(".github/workflows/") && rel.indexOf('/', ".github/workflows/".length()) < 0) {
          kind = CiFile.Kind.WORKFLOW;
        }
        if (kind != null) {
          out.add(new Input(file, rel, kind, !repo && kind == CiFile.Kind.WORKFLOW));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        out.add(new Input(file, root.relativize(file).toString(), kindOf(file, true), false));
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort((a, b) -> a.display().compareTo(b.display()));
    return out;
  }

  static CiFile.Kind kindOf(Path p, boolean fallbackWorkflow) {
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    if (name.equals("action.yml") || name.equals("action.yaml")) {
      return CiFile.Kind.ACTION;
    }
    if (name.endsWith(".gitlab-ci.yml") || name.equals(".gitlab-ci.yaml")) {
      return CiFile.Kind.GITLAB;
    }
    return CiFile.Kind.WORKFLOW;
  }
}
