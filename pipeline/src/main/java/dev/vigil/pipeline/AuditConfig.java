package dev.vigil.pipeline;

import dev.vigil.pipeline.audits.Audits;
import dev.vigil.pipeline.yaml.YNode;
import dev.vigil.pipeline.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The audit configuration file ({@code .vigil-ci.yml} at the audited root, or {@code --config FILE}):
 * <pre>
 * disable: [self-hosted-runner]          # audits not to run
 * first-party: [my-org]                  # owners whose actions are your own code
 * ignore:                                # suppressions; each needs a reason
 *   - audit: unpinned-uses
 *     path: .github/workflows/legacy.yml # glob, optional
 *     line: 12                           # optional
 *     reason: "frozen workflow, removed in Q3"
 * </pre>
 */
public final class AuditConfig {
  public record Ignore(String audit, String pathGlob, Integer line, String reason, PathMatcher matcher) {
    boolean matches(String auditId, String path, int findingLine) {
      return audit.equals(auditId) && (matcher == null || matcher.matches(Path.of(path)))
          && (line == null || line == findingLine);
    }
  }

  public static final String FILE_NAME = ".vigil-ci.yml";

  private final Set<String> disabled = new LinkedHashSet<>();
  private final Set<String> firstParty = new LinkedHashSet<>();
  private final List<Ignore> ignores = new ArrayList<>();

  public static AuditConfig empty() {
    return new AuditConfig();
  }

  /** Reads a config file; an IOException names the file, line and problem. */
  public static AuditConfig load(Path file) throws IOException {
    String text = Files.readString(file);
    YNode root;
    try {
      root = YamlLoader.parse(text, file.toString());
    } catch (YamlLoader.YamlError e) {
      throw new IOException(file + ":" + e.line + ":" + e.column + ": invalid YAML: " + e.getMessage());
    }
    AuditConfig c = new AuditConfig();
    if (root == null) {
      return c;
    }
    if (!root.isMap()) {
      throw new IOException(file + ":" + root.line() + ": the configuration must be a mapping");
    }
    for (YNode.Entry e : root.entries()) {
      String key = e.key().text();
      YNode v = e.value();
      switch (key) {
        case "disable" -> {
          for (String id : v.strings()) {
            if (Audits.byId(id).isEmpty()) {
              throw new IOException(file + ":" + v.line() + ": unknown audit '" + id + "' in disable");
            }
            c.disabled.add(id);
          }
        }
        case "first-party" -> c.firstParty.addAll(v.strings());
        case "ignore" -> {
          if (!v.isSeq()) {
            throw new IOException(file + ":" + v.line() + ": 'ignore' must be a list");
          }
          for (YNode i : v.items()) {
            String audit = i.str("audit");
            String reason = i.str("reason");
            if (audit == null || Audits.byId(audit).isEmpty()) {
              throw new IOException(file + ":" + i.line() + ": ignore entry needs a known 'audit' id (got "
                  + audit + ")");
            }
            if (reason == null || reason.isBlank()) {
              throw new IOException(file + ":" + i.line() + ": ignore entry for " + audit
                  + " needs a 'reason' (why is it acceptable?)");
            }
            String glob = i.str("path");
            Integer line = i.str("line") == null ? null : Integer.valueOf(i.str("line"));
            c.ignores.add(new Ignore(audit, glob, line, reason,
                glob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + glob)));
          }
        }
        default -> throw new IOException(file + ":" + e.key().line() + ": unknown key '" + key
            + "' (known: disable, first-party, ignore)");
      }
    }
    return c;
  }

  public Set<String> disabled() {
    return disabled;
  }

  public Set<String> firstParty() {
    return firstParty;
  }

  public List<Ignore> ignores() {
    return ignores;
  }

  /** The configured ignore matching a finding, or null. */
  public Ignore ignoreFor(String auditId, String path, int line) {
    return ignores.stream().filter(i -> i.matches(auditId, path, line)).findFirst().orElse(null);
  }
}
