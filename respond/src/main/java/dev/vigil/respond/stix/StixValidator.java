package dev.vigil.respond.stix;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a bundle against the STIX 2.1 rules that matter for sharing with MISP or OpenCTI: required common
 * properties, identifier format, timestamps, references that resolve inside the bundle, and valid patterns.
 */
public final class StixValidator {
  static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
  private static final Pattern ID =
      Pattern.compile("([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Set<String> SDO_SRO = Set.of("attack-pattern", "campaign", "course-of-action", "grouping",
      "identity", "incident", "indicator", "infrastructure", "intrusion-set", "location", "malware",
      "malware-analysis", "note", "observed-data", "opinion", "report", "threat-actor", "tool", "vulnerability",
      "relationship", "sighting");
  private static final Map<String, List<String>> REQUIRED = Map.of(
      "indicator", List.of("pattern", "pattern_type", "valid_from"),
      "relationship", List.of("relationship_type", "source_ref", "target_ref"),
      "sighting", List.of("sighting_of_ref"),
      "identity", List.of("name"),
      "campaign", List.of("name"),
      "attack-pattern", List.of("name"),
      "threat-actor", List.of("name"),
      "malware", List.of("is_family"));

  private StixValidator() {}

  /** Every rule the bundle breaks; empty when it is valid. */
  public static List<String> validate(JsonNode bundle) {
    List<String> errors = new ArrayList<>();
    if (!"bundle".equals(bundle.path("type").asText())) {
      errors.add("bundle: type must be 'bundle'");
    }
    if (!ID.matcher(bundle.path("id").asText()).matches() || !bundle.path("id").asText().startsWith("bundle--")) {
      errors.add("bundle: invalid id '" + bundle.path("id").asText() + "'");
    }
    JsonNode objects = bundle.path("objects");
    if (!objects.isArray() || objects.isEmpty()) {
      errors.add("bundle: 'objects' must be a non-empty array");
      return errors;
    }
    Set<String> ids = new HashSet<>();
    for (JsonNode o : objects) {
      String id = o.path("id").asText();
      if (!ids.add(id)) {
        errors.add(id + ": duplicate id");
      }
    }
    for (JsonNode o : objects) {
      object(o, ids, errors);
    }
    return errors;
  }

  private static void object(JsonNode o, Set<String> ids, List<String> errors) {
    String type = o.path("type").asText();
    String id = o.path("id").asText();
    String where = id.isEmpty() ? "object of type '" + type + "'" : id;
    if (!ID.matcher(id).matches()) {
      errors.add(where + ": id must be '<type>--<UUID>'");
    } else if (!id.startsWith(type + "--")) {
      errors.add(where + ": id does not start with its type '" + type + "'");
    }
    boolean domain = SDO_SRO.contains(type);
    if (domain || o.has("spec_version")) {
      if (!"2.1".equals(o.path("spec_version").asText())) {
        errors.add(where + ": spec_version must be '2.1'");
      }
    }
    if (domain) {
      for (String field : List.of("created", "modified")) {
        if (!TIMESTAMP.matcher(o.path(field).asText()).matches()) {
          errors.add(where + ": '" + field + "' must be an RFC 3339 UTC timestamp");
        }
      }
      if (before(o, "modified", "created")) {
        errors.add(where + ": 'modified' is before 'created'");
      }
    }
    for (String field : REQUIRED.getOrDefault(type, List.of())) {
      if (!o.hasNonNull(field)) {
        errors.add(where + ": missing required property '" + field + "'");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().endsWith("_ref") && !ids.contains(f.getValue().asText())) {
        errors.add(where + ": '" + f.getKey() + "' points to " + f.getValue().asText() + ", not in the bundle");
      }
      if (f.getKey().endsWith("_refs")) {
        for (JsonNode ref : f.getValue()) {
          if (!ids.contains(ref.asText())) {
            errors.add(where + ": '" + f.getKey() + "' points to " + ref.asText() + ", not in the bundle");
          }
        }
      }
      if ((f.getKey().endsWith("_time") || f.getKey().endsWith("_seen") || f.getKey().startsWith("valid_"))
          && !TIMESTAMP.matcher(f.getValue().asText()).matches()) {
        errors.add(where + ": '" + f.getKey() + "' must be an RFC 3339 UTC timestamp");
      }
    }
    if (type.equals("indicator")) {
      if ("stix".equals(o.path("pattern_type").asText())) {
        String problem = StixPatterns.check(o.path("pattern").asText());
        if (problem != null) {
          errors.add(where + ": invalid pattern: " + problem);
        }
      }
      if (before(o, "valid_until", "valid_from") || o.has("valid_until")
          && o.path("valid_until").asText().equals(o.path("valid_from").asText())) {
        errors.add(where + ": 'valid_until' must be after 'valid_from'");
      }
    }
    if (type.equals("sighting")) {
      long count = o.path("count").asLong(1);
      if (count < 0 || count > 999_999_999) {
        errors.add(where + ": 'count' must be 0..999999999");
      }
      if (before(o, "last_seen", "first_seen")) {
        errors.add(where + ": 'last_seen' is before 'first_seen'");
      }
    }
  }

  private static boolean before(JsonNode o, String later, String earlier) {
    if (!o.has(later) || !o.has(earlier)) {
      return false;
    }
    try {
      return Instant.parse(o.get(later).asText()).isBefore(Instant.parse(o.get(earlier).asText()));
    } catch (RuntimeException e) {
      return false; // the timestamp format error is reported on its own
    }
  }
}
