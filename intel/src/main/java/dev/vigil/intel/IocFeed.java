package dev.vigil.intel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An IOC feed in the {@code vigil-ioc-feed} format (version 1): compromised GitHub Actions (tags, commits, windows),
 * compromised artifacts (SHA-256, image digests), network indicators, and cloud indicators (user agents, addresses).
 *
 * <p>Vigil ships its own feed ({@link #bundled()}); users add more with {@link #load(Path)} and {@link #merge}.
 */
public final class IocFeed {

  /** An exposure window; either end may be null when the sources do not give it. */
  public record Window(Instant start, Instant end) {
    public boolean contains(Instant t) {
      return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
    }
  }

  /**
   * A GitHub Action whose tags were repointed to malicious commits.
   *
   * @param tagFirst        with {@code tagLast}: every tag in this version range (same 'v' style) was affected
   * @param tagsExcept      tags in the range that were not affected
   * @param commits         malicious commit SHA to the tag it was published under (tag may be null)
   * @param commitPrefixes  abbreviated malicious SHAs, when the sources give only those
   * @param safeTag         a tag re-created with safe content after the incident, or null
   * @param safeCommit      the safe commit of {@code safeTag}, or null
   */
  public record CompromisedAction(
      String repo,
      String attribution,
      List<String> tags,
      String tagFirst,
      String tagLast,
      List<String> tagsExcept,
      Map<String, String> commits,
      List<String> commitPrefixes,
      Window window,
      String advisory,
      String confidence,
      String safeTag,
      String safeCommit,
      String feedId) {

    /** True when {@code tag} pointed to malicious code (listed, or inside the affected range). */
    public boolean tagAffected(String tag) {
      if (tag.equals(safeTag) || tagsExcept.contains(tag)) {
        return false;
      }
      if (tags.contains(tag)) {
        return true;
      }
      if (tagFirst == null || tagLast == null) {
        return false;
      }
      boolean vStyle = tagFirst.startsWith("v");
      if (tag.startsWith("v") != vStyle) {
        return false; // e.g. trivy-action's restored 'v0.34.0' tags are the legitimate ones
      }
      int[] v = Versions.parse(tag);
      return v != null && Versions.compare(v, Versions.parse(tagFirst)) >= 0
          && Versions.compare(v, Versions.parse(tagLast)) <= 0;
    }

    /** True when {@code sha} (full or abbreviated, at least 7 hex digits) is a listed malicious commit. */
    public boolean commitAffected(String sha) {
      String s = sha.toLowerCase(Locale.ROOT);
      if (s.length() >= 40 && commits.containsKey(s)) {
        return true;
      }
      for (String prefix : commitPrefixes) {
        if (s.length() >= 7 && s.startsWith(prefix)) {
          return true;
        }
      }
      if (s.length() >= 7 && s.length() < 40) {
        for (String c : commits.keySet()) {
          if (c.startsWith(s)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** A published file or image known to be malicious. {@code sha256} is lower-case hex without a prefix. */
  public record Artifact(String name, String kind, String product, String version, String sha256, Window window,
      String confidence, String feedId) {}

  /** A single indicator value (address, domain, user agent) with its role. */
  public record Indicator(String type, String value, String role, String confidence, String feedId) {}

  /** A known-good reference: a repository at a tag and commit. */
  public record KnownGood(String repo, String tag, String commit) {}

  private final List<String> feedIds = new ArrayList<>();
  private final List<CompromisedAction> actions = new ArrayList<>();
  private final List<Artifact> artifacts = new ArrayList<>();
  private final List<Indicator> network = new ArrayList<>();
  private final List<Indicator> cloudAddresses = new ArrayList<>();
  private final List<String> userAgentMarkers = new ArrayList<>();
  private final List<KnownGood> knownGood = new ArrayList<>();
  private final List<String> falseLeadCommits = new ArrayList<>();
  private final Map<String, Artifact> artifactsBySha = new HashMap<>();

  private IocFeed() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static IocFeed bundled;

  /** Vigil's own feed, shipped in the jar. */
  public static synchronized IocFeed bundled() {
    if (bundled == null) {
      try (InputStream in = IocFeed.class.getResourceAsStream("teampcp.json")) {
        bundled = parse(JSON.readTree(in), "vigil-teampcp");
      } catch (IOException e) {
        throw new UncheckedIOException("the bundled IOC feed is unreadable", e);
      }
    }
    return bundled;
  }

  /** An empty feed, to build on with {@link #merge}. */
  public static IocFeed empty() {
    return new IocFeed();
  }

  /** Reads a feed file; throws {@link FeedException} naming the file and what is wrong. */
  public static IocFeed load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new FeedException(file + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new FeedException(file + ": cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !"vigil-ioc-feed".equals(root.path("format").asText())) {
      throw new FeedException(file + ": not a vigil-ioc-feed file (its \"format\" must be \"vigil-ioc-feed\")");
    }
    if (root.path("format_version").asInt() != 1) {
      throw new FeedException(file + ": unsupported format_version " + root.path("format_version")
          + " (this Vigil reads version 1)");
    }
    String id = root.path("feed").path("id").asText(file.getFileName().toString());
    try {
      return parse(root, id);
    } catch (RuntimeException e) {
      throw new FeedException(file + ": " + e.getMessage());
    }
  }

  /** A feed holding the entries of both. */
  public IocFeed merge(IocFeed other) {
    IocFeed m = new IocFeed();
    for (IocFeed f : List.of(this, other)) {
      m.feedIds.addAll(f.feedIds);
      m.actions.addAll(f.actions);
      f.artifacts.forEach(m::addArtifact);
      m.network.addAll(f.network);
      m.cloudAddresses.addAll(f.cloudAddresses);
      m.userAgentMarkers.addAll(f.userAgentMarkers);
      m.knownGood.addAll(f.knownGood);
      m.falseLeadCommits.addAll(f.falseLeadCommits);
    }
    return m;
  }

  private static IocFeed parse(JsonNode root, String id) {
    IocFeed f = new IocFeed();
    f.feedIds.add(id);
    for (JsonNode a : root.path("compromised_actions")) {
      JsonNode scope = a.path("tag_scope");
      Map<String, String> commits = new HashMap<>();
      for (JsonNode c : a.path("commits")) {
        commits.put(c.asText().toLowerCase(Locale.ROOT), null);
      }
      a.path("commit_tags").fields().forEachRemaining(e ->
          commits.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
      f.actions.add(new CompromisedAction(
          required(a, "repo", "compromised_actions[]"),
          text(a, "attribution"),
          strings(a.path("tags")),
          text(scope, "first"),
          text(scope, "last"),
          strings(scope.path("all_tags_except")),
          commits,
          strings(a.path("commit_prefixes")).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
          window(a.path("window")),
          text(a, "advisory"),
          text(a, "confidence"),
          text(a.path("safe"), "tag"),
          text(a.path("safe"), "commit"),
          id));
    }
    for (JsonNode a : root.path("compromised_artifacts")) {
      String sha = text(a, "sha256");
      if (sha == null && text(a, "digest") != null) {
        sha = text(a, "digest").replaceFirst("^sha256:", "");
      }
      f.addArtifact(new Artifact(text(a, "name"), text(a, "kind"), text(a, "product"), text(a, "version"),
          sha == null ? null : sha.toLowerCase(Locale.ROOT), window(a.path("window")), text(a, "confidence"), id));
    }
    for (JsonNode h : root.path("host_indicators")) {
      if ("file_sha256".equals(text(h, "type")) && text(h, "sha256") != null) {
        f.addArtifact(new Artifact(text(h, "name"), "file", null, null,
            text(h, "sha256").toLowerCase(Locale.ROOT), null, text(h, "confidence"), id));
      }
    }
    for (JsonNode n : root.path("network")) {
      f.network.add(new Indicator(text(n, "type"), required(n, "value", "network[]"), text(n, "role"),
          text(n, "confidence"), id));
    }
    JsonNode cloud = root.path("cloud_indicators");
    f.userAgentMarkers.addAll(strings(cloud.path("user_agents_contains")));
    for (JsonNode n : cloud.path("ips")) {
      f.cloudAddresses.add(new Indicator(text(n, "type"), required(n, "value", "cloud_indicators.ips[]"),
          text(n, "role"), text(n, "confidence"), id));
    }
    for (JsonNode k : root.path("known_good")) {
      f.knownGood.add(new KnownGood(text(k, "repo"), text(k, "tag"), text(k, "commit")));
    }
    for (JsonNode k : root.path("false_leads")) {
      if (text(k, "commit") != null) {
        f.falseLeadCommits.add(text(k, "commit").toLowerCase(Locale.ROOT));
      }
    }
    return f;
  }

  private void addArtifact(Artifact a) {
    artifacts.add(a);
    if (a.sha256() != null) {
      artifactsBySha.putIfAbsent(a.sha256(), a);
    }
  }

  public List<String> feedIds() {
    return List.copyOf(feedIds);
  }

  public List<CompromisedAction> actions() {
    return List.copyOf(actions);
  }

  /** The compromised-action entries for a repository (case-insensitive, as GitHub treats names). */
  public List<CompromisedAction> actionsFor(String repo) {
    return actions.stream().filter(a -> a.repo().equalsIgnoreCase(repo)).toList();
  }

  public List<Artifact> artifacts() {
    return List.copyOf(artifacts);
  }

  public Optional<Artifact> artifactBySha256(String sha256) {
    return Optional.ofNullable(artifactsBySha.get(sha256.toLowerCase(Locale.ROOT).replaceFirst("^sha256:", "")));
  }

  /** Domains and addresses of the campaigns' infrastructure (C2, exfiltration endpoints). */
  public List<Indicator> network() {
    return List.copyOf(network);
  }

  /** Addresses seen calling cloud APIs with stolen credentials. */
  public List<Indicator> cloudAddresses() {
    return List.copyOf(cloudAddresses);
  }

  /** Any address indicator (network or cloud) equal to {@code ip}. */
  public Optional<Indicator> address(String ip) {
    if (ip == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(addressIndex().get(ip));
  }

  // built on first use (a feed is complete once parsed or merged): this lookup runs for every event
  private volatile Map<String, Indicator> addressIndex;

  private Map<String, Indicator> addressIndex() {
    Map<String, Indicator> index = addressIndex;
    if (index == null) {
      index = new HashMap<>();
      for (List<Indicator> list : List.of(cloudAddresses, network)) {
        for (Indicator i : list) {
          if (i.type() == null || i.type().startsWith("ip")) {
            index.putIfAbsent(i.value(), i); // the first listed wins, as a scan in this order would find it
          }
        }
      }
      addressIndex = index;
    }
    return index;
  }

  /** Case-sensitive substrings of attacker tooling's user agents (TruffleHog, Kali...). */
  public List<String> userAgentMarkers() {
    return List.copyOf(userAgentMarkers);
  }

  /** The first marker contained in {@code userAgent}, if any. */
  public Optional<String> userAgentMarker(String userAgent) {
    if (userAgent == null) {
      return Optional.empty();
    }
    for (String marker : userAgentMarkers) { // a loop, not a stream: this runs for every event
      if (userAgent.contains(marker)) {
        return Optional.of(marker);
      }
    }
    return Optional.empty();
  }

  public List<KnownGood> knownGood() {
    return List.copyOf(knownGood);
  }

  /** True for commits that some lists call compromised but that are known not to be (do not alert). */
  public boolean isFalseLead(String sha) {
    return sha != null && falseLeadCommits.contains(sha.toLowerCase(Locale.ROOT));
  }

  private static Window window(JsonNode w) {
    if (w == null || w.isMissingNode() || w.isNull()) {
      return null;
    }
    return new Window(instant(text(w, "start")), instant(text(w, "end")));
  }

  /** Accepts full timestamps and bare dates (taken as the start of that day, UTC). */
  static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    return s.length() == 10 ? Instant.parse(s + "T00:00:00Z") : Instant.parse(s);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }

  private static String required(JsonNode n, String field, String where) {
    String v = text(n, field);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(where + " lacks \"" + field + "\"");
    }
    return v;
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : arr) {
      out.add(n.asText());
    }
    return out;
  }
}
