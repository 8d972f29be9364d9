package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code uses:} reference: a local action ({@code ./path}), a Docker image ({@code docker://image}), or an
 * action or reusable workflow in a repository ({@code owner/repo[/path]@ref}).
 *
 * @param raw     the text as written
 * @param repo    {@code owner/repo} (lower case kept as written), null for local and docker references
 * @param path    the sub-path inside the repository (action directory or workflow file), "" when none
 * @param ref     the part after '@' (tag, branch or commit), null when absent
 * @param image   the image of a docker:// reference, null otherwise
 * @param node    the scalar node, for positions
 */
public record Uses(Kind kind, String raw, String repo, String path, String ref, String image, YNode node) {
  public enum Kind { LOCAL, DOCKER, REPOSITORY }

  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");

  /** Parses a {@code uses:} value; null when it is an expression or empty (cannot be resolved statically). */
  public static Uses parse(YNode node) {
    if (node == null || !node.isScalar() || node.isNull()) {
      return null;
    }
    String raw = node.text().trim();
    if (raw.startsWith("./") || raw.startsWith(".\\") || raw.equals(".")) {
      return new Uses(Kind.LOCAL, raw, null, raw, null, null, node);
    }
    if (raw.startsWith("docker://")) {
      return new Uses(Kind.DOCKER, raw, null, "", null, raw.substring("docker://".length()), node);
    }
    int at = raw.lastIndexOf('@');
    String target = at < 0 ? raw : raw.substring(0, at);
    String ref = at < 0 ? null : raw.substring(at + 1);
    String[] parts = target.split("/", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return new Uses(Kind.REPOSITORY, raw, target, "", ref, null, node);
    }
    return new Uses(Kind.REPOSITORY, raw, parts[0] + "/" + parts[1], parts.length == 3 ? parts[2] : "", ref, null,
        node);
  }

  public String owner() {
    return repo == null ? null : repo.substring(0, Math.max(0, repo.indexOf('/')));
  }

  /** True when the ref is a full 40-hex commit SHA (the only immutable reference). */
  public boolean commitPinned() {
    return ref != null && FULL_SHA.matcher(ref).matches();
  }

  public boolean isReusableWorkflow() {
    return kind == Kind.REPOSITORY && (path.endsWith(".yml") || path.endsWith(".yaml"))
        && path.contains(".github/workflows");
  }

  /** owner/repo[/path] without the ref, as the advisory database names packages. */
  public String target() {
    return path.isEmpty() ? repo : repo + "/" + path;
  }

  /** Actions published by GitHub itself ({@code actions/*}, {@code github/*}). */
  public boolean githubOwned() {
    String o = owner();
    return o != null && (o.equalsIgnoreCase("actions") || o.equalsIgnoreCase("github"));
  }

  public boolean is(String ownerRepo) {
    return repo != null && repo.toLowerCase(Locale.ROOT).equals(ownerRepo);
  }

  /** For docker images: true when pinned by a sha256 digest. */
  public static boolean imageHasDigest(String image) {
    return image != null && image.contains("@sha256:");
  }

  /** The tag of an image reference ({@code name:tag}), or null (no tag means 'latest'). */
  public static String imageTag(String image) {
    if (image == null) {
      return null;
    }
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    return colon > slash ? s.substring(colon + 1) : null;
  }

  /** The repository of an image reference, without tag or digest. */
  public static String imageName(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    return colon > slash ? s.substring(0, colon) : s;
  }
}
