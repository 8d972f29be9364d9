package dev.vigil.detect.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Which tenant an S3 object belongs to, so an incident can say whose data was read.
 *
 * <p>Resolution, first match wins: an explicit {@code bucket/prefix} (longest prefix first); an explicit bucket; a
 * shared bucket (tenant = first segment of the object key); otherwise the default. The default, used when no file
 * is given, treats a bucket as one tenant named after the bucket, except buckets whose name marks them as shared
 * hosting ({@value #SHARED_MARKER} as a word in the name), where each top-level prefix is a tenant. That is how
 * Vigil's EC-breach simulator lays out its hosting tenants.
 *
 * <p>File format (JSON or YAML; see docs/INCIDENTS.md):
 * <pre>
 * buckets:        {bucket: tenant, ...}
 * prefixes:       {"bucket/prefix/": tenant, ...}
 * shared_buckets: [bucket, ...]
 * tenants:        {tenant: "bucket" | "bucket/prefix/" | {bucket: b, prefix: p, contact: c}, ...}
 * contacts:       {tenant: "who to notify", ...}   (used by investigate's notices)
 * </pre>
 */
public final class TenantMap {
  /** A bucket whose name has this word ({@code -shared-}, {@code shared-...}, {@code ...-shared}) is shared. */
  public static final String SHARED_MARKER = "shared";

  private final Map<String, String> buckets;
  private final Map<String, List<Prefix>> prefixes;
  private final Set<String> sharedBuckets;
  private final boolean defaultSharedMarker;
  private Map<String, String> contacts = Map.of();

  private record Prefix(String prefix, String tenant) {}

  private TenantMap(Map<String, String> buckets, Map<String, List<Prefix>> prefixes, Set<String> shared,
      boolean defaultSharedMarker) {
    this.buckets = buckets;
    this.prefixes = prefixes;
    this.sharedBuckets = shared;
    this.defaultSharedMarker = defaultSharedMarker;
  }

  /** The map used when the user gives none: bucket name, or first prefix segment in a shared bucket. */
  public static TenantMap defaults() {
    return new TenantMap(Map.of(), Map.of(), Set.of(), true);
  }

  /** The tenant owning {@code bucket/objectKey}; never null for a non-null bucket. */
  public String tenantOf(String bucket, String objectKey) {
    if (bucket == null) {
      return null;
    }
    List<Prefix> candidates = prefixes.get(bucket);
    if (candidates != null && objectKey != null) {
      for (Prefix p : candidates) {
        if (objectKey.startsWith(p.prefix())) {
          return p.tenant();
        }
      }
    }
    String whole = buckets.get(bucket);
    if (whole != null) {
      return whole;
    }
    boolean shared = sharedBuckets.contains(bucket) || (defaultSharedMarker && looksShared(bucket));
    if (shared && objectKey != null) {
      String k = objectKey.startsWith("/") ? objectKey.substring(1) : objectKey;
      int slash = k.indexOf('/');
      if (slash > 0) {
        return k.substring(0, slash);
      }
    }
    return bucket;
  }

  static boolean looksShared(String bucket) {
    String b = bucket.toLowerCase(Locale.ROOT);
    for (String word : b.split("[-.]")) {
      if (word.equals(SHARED_MARKER)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Loads a tenant map file ({@code .json}, else YAML). Errors name the file and the entry at fault.
   *
   * @throws IllegalArgumentException for a file that is missing, unreadable or not of the format
   */
  public static TenantMap load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": tenant map not found");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read tenant map: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(file + ": tenant map is not UTF-8 text");
    }
    Object tree;
    try {
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
        JsonNode node = new ObjectMapper().readTree(text);
        tree = new ObjectMapper().convertValue(node, Object.class);
      } else {
        tree = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
      }
    } catch (IOException | YamlEngineException e) {
      throw new IllegalArgumentException(file + ": not valid " + (file.toString().endsWith(".json") ? "JSON" : "YAML")
          + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    return fromTree(file.toString(), tree);
  }

  /** Builds a map from parsed JSON/YAML (maps, lists, strings); {@code where} names the source in errors. */
  public static TenantMap fromTree(String where, Object tree) {
    if (!(tree instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException(where + ": a tenant map must be an object with buckets, prefixes, "
          + "shared_buckets or tenants");
    }
    Map<String, String> buckets = new HashMap<>();
    Map<String, List<Prefix>> prefixes = new HashMap<>();
    Set<String> shared = new HashSet<>();
    Map<String, String> contacts = new HashMap<>();
    for (Map.Entry<?, ?> e : root.entrySet()) {
      String section = String.valueOf(e.getKey());
      switch (section) {
        case "buckets" -> forEachString(where, section, e.getValue(), (bucket, tenant) -> buckets.put(bucket, tenant));
        case "prefixes" -> forEachString(where, section, e.getValue(), (location, tenant) -> {
          int slash = location.indexOf('/');
          if (slash <= 0) {
            throw new IllegalArgumentException(where + ": prefixes." + location + ": expected bucket/prefix");
          }
          place(buckets, prefixes, location, tenant);
        });
        case "shared_buckets" -> {
          if (!(e.getValue() instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": shared_buckets: expected a list of bucket names");
          }
          for (Object b : list) {
            shared.add(String.valueOf(b));
          }
        }
        case "tenants" -> {
          if (!(e.getValue() instanceof Map<?, ?> tenants)) {
            throw new IllegalArgumentException(where + ": tenants: expected {tenant: location}");
          }
          for (Map.Entry<?, ?> t : tenants.entrySet()) {
            String tenant = String.valueOf(t.getKey());
            if (t.getValue() instanceof Map<?, ?> m && m.get("contact") != null) {
              contacts.put(tenant, String.valueOf(m.get("contact")));
            }
            for (String location : locations(where, tenant, t.getValue())) {
              place(buckets, prefixes, location, tenant);
            }
          }
        }
        case "contacts" -> forEachString(where, section, e.getValue(), contacts::put);
        default -> throw new IllegalArgumentException(where + ": unknown section '" + section
            + "' (expected buckets, prefixes, shared_buckets, tenants or contacts)");
      }
    }
    // longest prefix first, so a more specific prefix wins
    prefixes.values().forEach(l -> l.sort(Comparator.comparingInt((Prefix p) -> p.prefix().length()).reversed()));
    TenantMap map = new TenantMap(Map.copyOf(buckets), Map.copyOf(prefixes), Set.copyOf(shared), false);
    map.contacts = Map.copyOf(contacts);
    return map;
  }

  /** Who to notify per tenant, from the file's {@code contacts} section (empty when it has none). */
  public Map<String, String> contacts() {
    return contacts;
  }

  private static List<String> locations(String where, String tenant, Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof Map<?, ?> m && m.get("bucket") != null) {
      Object prefix = m.get("prefix");
      out.add(m.get("bucket") + (prefix == null || String.valueOf(prefix).isEmpty() ? "" : "/" + prefix));
    } else if (value instanceof List<?> l) {
      for (Object o : l) {
        out.addAll(locations(where, tenant, o));
      }
    } else {
      throw new IllegalArgumentException(where + ": tenants." + tenant
          + ": expected \"bucket\", \"bucket/prefix/\" or {bucket: ..., prefix: ...}");
    }
    return out;
  }

  private static void place(Map<String, String> buckets, Map<String, List<Prefix>> prefixes, String location,
      String tenant) {
    String l = location.startsWith("s3://") ? location.substring(5) : location;
    int slash = l.indexOf('/');
    if (slash < 0 || slash == l.length() - 1) {
      buckets.put(slash < 0 ? l : l.substring(0, slash), tenant);
    } else {
      prefixes.computeIfAbsent(l.substring(0, slash), b -> new ArrayList<>())
          .add(new Prefix(l.substring(slash + 1), tenant));
    }
  }

  private interface Pair {
    void accept(String key, String value);
  }

  private static void forEachString(String where, String section, Object value, Pair f) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(where + ": " + section + ": expected an object of strings");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(where + ": " + section + "." + e.getKey() + ": expected a tenant name");
      }
      f.accept(String.valueOf(e.getKey()), s);
    }
  }
}
