package dev.vigil.pipeline.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Vigil's lock file ({@code vigil-ci.lock.json}): for each action repository the commit every tag points to, as
 * seen in a local clone when the lock was built, and known-good artifact hashes (SHA-256 to file name).
 * Pinning reads it instead of asking the network.
 */
public final class ActionLock {
  public static final String FORMAT = "vigil-ci-lock";

  private final Map<String, Map<String, String>> tags = new TreeMap<>();
  private final Map<String, String> artifacts = new TreeMap<>();

  public static ActionLock empty() {
    return new ActionLock();
  }

  public static ActionLock load(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(file + ": not a Vigil lock file (its \"format\" must be \"" + FORMAT + "\")");
    }
    ActionLock l = new ActionLock();
    root.path("actions").properties().forEach(a ->
        a.getValue().path("tags").properties().forEach(t -> l.put(a.getKey(), t.getKey(), t.getValue().asText())));
    root.path("artifacts").properties().forEach(a -> l.putArtifact(a.getKey(), a.getValue().asText()));
    return l;
  }

  public void put(String repo, String tag, String commit) {
    tags.computeIfAbsent(repo.toLowerCase(Locale.ROOT), k -> new TreeMap<>()).put(tag, commit.toLowerCase(Locale.ROOT));
  }

  public void putArtifact(String sha256, String name) {
    artifacts.put(sha256.toLowerCase(Locale.ROOT), name);
  }

  /** The commit a tag of an action repository pointed to when the lock was built. */
  public Optional<String> commit(String repo, String tag) {
    Map<String, String> t = tags.get(repo.toLowerCase(Locale.ROOT));
    return t == null ? Optional.empty() : Optional.ofNullable(t.get(tag));
  }

  /** The tags of a repository that point at {@code commit} (to name a pinned commit's version). */
  public Optional<String> tagOf(String repo, String commit) {
    Map<String, String> t = tags.get(repo.toLowerCase(Locale.ROOT));
    if (t == null) {
      return Optional.empty();
    }
    String c = commit.toLowerCase(Locale.ROOT);
    return t.entrySet().stream().filter(e -> e.getValue().equals(c)).map(Map.Entry::getKey)
        .max((a, b) -> Integer.compare(a.length(), b.length()));
  }

  public Optional<String> knownGoodArtifact(String sha256) {
    return Optional.ofNullable(artifacts.get(sha256.toLowerCase(Locale.ROOT)));
  }

  public int repositories() {
    return tags.size();
  }

  public int tagCount() {
    return tags.values().stream().mapToInt(Map::size).sum();
  }

  public int artifactCount() {
    return artifacts.size();
  }

  public void merge(ActionLock other) {
    other.tags.forEach((r, t) -> t.forEach((tag, c) -> put(r, tag, c)));
    other.artifacts.forEach(this::putArtifact);
  }

  public void write(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", 1);
    ObjectNode actions = root.putObject("actions");
    tags.forEach((repo, t) -> {
      ObjectNode tn = actions.putObject(repo).putObject("tags");
      t.forEach(tn::put);
    });
    ObjectNode arts = root.putObject("artifacts");
    artifacts.forEach(arts::put);
    Files.writeString(file, json.writeValueAsString(root) + "\n");
  }
}
