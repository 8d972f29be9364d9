package dev.vigil.pipeline.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.intel.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * GitHub Advisory Database entries for the "GitHub Actions" ecosystem, read from OSV JSON files. Affected versions
 * are tag names; a commit-pinned reference is matched through the tag it was resolved from (lock file or version
 * comment).
 */
public final class OsvAdvisories {
  public static final String ECOSYSTEM = "GitHub Actions";

  /** One affected range or version list of one advisory for one action (owner/repo[/path]). */
  public record Affected(String advisory, List<String> aliases, String summary, String severity, List<String> cwes,
      String action, String introduced, String fixed, String lastAffected, List<String> versions) {

    /** CWE-506 (embedded malicious code) marks a compromise rather than a flaw. */
    public boolean malicious() {
      return cwes.contains("CWE-506");
    }

    /** True when {@code tag} is inside this entry's versions. Unparseable tags match only an explicit list. */
    public boolean affects(String tag) {
      if (tag == null) {
        return false;
      }
      String bare = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
      for (String v : versions) {
        String vb = v.startsWith("v") ? v.substring(1) : v;
        if (vb.equals(bare)) {
          return true;
        }
      }
      if (introduced == null && fixed == null && lastAffected == null) {
        return false;
      }
      int[] t = Versions.parse(tag);
      if (t == null) {
        return false;
      }
      int[] lo = introduced == null ? null : Versions.parse(introduced);
      if (lo != null && Versions.compare(t, lo) < 0) {
        return false;
      }
      int[] hi = fixed == null ? null : Versions.parse(fixed);
      if (hi != null) {
        return compareMajor(t, hi) < 0;
      }
      int[] last = lastAffected == null ? null : Versions.parse(lastAffected);
      return last != null && compareMajor(t, last) <= 0;
    }

    // A floating major tag (v45) follows the latest release of its line, so only the major number is compared:
    // v45 is inside "last_affected 45.0.7" and outside "fixed 45.0.1".
    private static int compareMajor(int[] tag, int[] bound) {
      if (tag.length == 1 && bound.length > 1) {
        return Integer.compare(tag[0], bound[0]);
      }
      return Versions.compare(tag, bound);
    }
  }

  private final List<Affected> entries = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private int files;

  public static OsvAdvisories none() {
    return new OsvAdvisories();
  }

  /** Reads every {@code *.json} below {@code dir} (or the single file); unreadable files are listed in errors. */
  public static OsvAdvisories load(Path dir) throws IOException {
    OsvAdvisories a = new OsvAdvisories();
    ObjectMapper json = new ObjectMapper();
    List<Path> paths;
    if (Files.isRegularFile(dir)) {
      paths = List.of(dir);
    } else {
      try (Stream<Path> s = Files.walk(dir)) {
        paths = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
      }
    }
    for (Path p : paths) {
      JsonNode root;
      try {
        root = json.readTree(p.toFile());
      } catch (IOException e) {
        a.errors.add(p + ": not readable OSV JSON: " + e.getMessage().lines().findFirst().orElse(""));
        continue;
      }
      if (root == null || !root.has("id") || !root.has("affected")) {
        continue; // MANIFEST.json and other non-advisory files
      }
      a.files++;
      a.add(root);
    }
    return a;
  }

  private void add(JsonNode root) {
    String id = root.path("id").asText();
    List<String> aliases = new ArrayList<>();
    root.path("aliases").forEach(n -> aliases.add(n.asText()));
    String severity = root.path("database_specific").path("severity").asText("UNKNOWN");
    List<String> cwes = new ArrayList<>();
    root.path("database_specific").path("cwe_ids").forEach(n -> cwes.add(n.asText()));
    String summary = root.path("summary").asText("");
    for (JsonNode aff : root.path("affected")) {
      if (!ECOSYSTEM.equals(aff.path("package").path("ecosystem").asText())) {
        continue;
      }
      String name = aff.path("package").path("name").asText().toLowerCase(Locale.ROOT);
      List<String> versions = new ArrayList<>();
      aff.path("versions").forEach(v -> versions.add(v.asText()));
      boolean any = false;
      for (JsonNode range : aff.path("ranges")) {
        String intro = null;
        String fixed = null;
        String last = null;
        for (JsonNode ev : range.path("events")) {
          if (ev.has("introduced")) {
            intro = ev.get("introduced").asText();
          } else if (ev.has("fixed")) {
            fixed = ev.get("fixed").asText();
          } else if (ev.has("last_affected")) {
            last = ev.get("last_affected").asText();
          }
        }
        if (fixed == null && last == null) {
          String lk = aff.path("database_specific").path("last_known_affected_version_range").asText(null);
          if (lk != null) {
            last = lk.replaceFirst("^<=\\s*", "").replaceFirst("^<\\s*", "").trim();
          }
        }
        entries.add(new Affected(id, aliases, summary, severity, cwes, name, intro, fixed, last, versions));
        any = true;
      }
      if (!any) {
        entries.add(new Affected(id, aliases, summary, severity, cwes, name, null, null, null, versions));
      }
    }
  }

  /** Entries for an action ({@code owner/repo} or {@code owner/repo/path}) affecting {@code tag}. */
  public List<Affected> matching(String action, String tag) {
    String a = action.toLowerCase(Locale.ROOT);
    List<Affected> out = new ArrayList<>();
    for (Affected e : entries) {
      if ((e.action.equals(a) || a.startsWith(e.action + "/")) && e.affects(tag)
          && out.stream().noneMatch(o -> o.advisory.equals(e.advisory))) {
        out.add(e);
      }
    }
    return out;
  }

  /** Both sets together. */
  public static OsvAdvisories merge(OsvAdvisories a, OsvAdvisories b) {
    OsvAdvisories m = new OsvAdvisories();
    m.entries.addAll(a.entries);
    m.entries.addAll(b.entries);
    m.errors.addAll(a.errors);
    m.errors.addAll(b.errors);
    m.files = a.files + b.files;
    return m;
  }

  public List<Affected> entries() {
    return List.copyOf(entries);
  }

  public int advisoryFiles() {
    return files;
  }

  public List<String> errors() {
    return List.copyOf(errors);
  }
}
