package dev.vigil.respond.stix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a STIX 2.1 bundle of what an investigation found: indicators (addresses, access keys, user agents,
 * compromised action commits, artifact hashes, domains), sightings of them in the victim's logs, the campaign
 * and ATT&CK techniques, and the relationships between them. Ids are deterministic, so re-running an
 * investigation on the same facts yields the same bundle.
 */
public final class StixBundleBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String timestamp;
  private final String producerId;
  private final Map<String, ObjectNode> objects = new LinkedHashMap<>();
  private String campaignId;

  /**
   * @param created  when the investigation produced the bundle (used for created/modified)
   * @param producer the organisation sharing the bundle
   */
  public StixBundleBuilder(Instant created, String producer) {
    this.timestamp = ts(created);
    ObjectNode identity = sdo("identity", "identity|" + producer);
    identity.put("name", producer);
    identity.put("identity_class", "organization");
    producerId = identity.get("id").asText();
    identity.remove("created_by_ref");
    put(identity);
  }

  /** The campaign the indicators belong to (once). */
  public StixBundleBuilder campaign(String name, String description) {
    ObjectNode c = sdo("campaign", name);
    c.put("name", name);
    if (description != null) {
      c.put("description", description);
    }
    campaignId = put(c);
    return this;
  }

  /** An ATT&CK technique the attacker used, linked to the campaign with 'uses'. */
  public StixBundleBuilder technique(String techniqueId, String name) {
    ObjectNode a = sdo("attack-pattern", techniqueId);
    a.put("name", name == null ? techniqueId : name);
    ObjectNode ref = a.putArray("external_references").addObject();
    ref.put("source_name", "mitre-attack");
    ref.put("external_id", techniqueId);
    ref.put("url", "https://attack.mitre.org/techniques/" + techniqueId.replace('.', '/') + "/");
    String id = put(a);
    if (campaignId != null) {
      relationship(campaignId, "uses", id);
    }
    return this;
  }

  public String ipAddress(String ip, String description) {
    String type = ip.contains(":") ? "ipv6-addr" : "ipv4-addr";
    return indicator("[" + type + ":value = " + quote(ip) + "]", "Address " + ip, description);
  }

  /** An AWS access key id (not a secret on its own) that the attacker used or created. */
  public String accessKey(String keyId, String description) {
    return indicator("[user-account:account_type = 'aws-access-key' AND user-account:user_id = " + quote(keyId) + "]",
        "AWS access key " + keyId, description);
  }

  public String userAgent(String userAgent, String description) {
    return indicator("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = "
        + quote(userAgent) + "]", "User agent " + userAgent, description);
  }

  /** A GitHub Action at a malicious commit (or tag). */
  public String actionRef(String repo, String ref, String description) {
    return indicator("[software:name = " + quote(repo) + " AND software:version = " + quote(ref) + "]",
        "GitHub Action " + repo + "@" + ref, description);
  }

  public String fileSha256(String sha256, String name, String description) {
    return indicator("[file:hashes.'SHA-256' = " + quote(sha256) + "]", "File " + (name == null ? sha256 : name),
        description);
  }

  public String domain(String domain, String description) {
    return indicator("[domain-name:value = " + quote(domain) + "]", "Domain " + domain, description);
  }

  /** Records that an indicator was seen in the producer's own data, {@code count} times between two instants. */
  public StixBundleBuilder sighting(String indicatorId, Instant firstSeen, Instant lastSeen, long count) {
    ObjectNode s = sdo("sighting", indicatorId + "|" + firstSeen + "|" + lastSeen);
    s.put("sighting_of_ref", indicatorId);
    s.put("first_seen", ts(firstSeen));
    s.put("last_seen", ts(lastSeen.isBefore(firstSeen) ? firstSeen : lastSeen));
    s.put("count", Math.min(count, 999_999_999));
    s.putArray("where_sighted_refs").add(producerId);
    put(s);
    return this;
  }

  public ObjectNode build() {
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("type", "bundle");
    StringBuilder all = new StringBuilder();
    objects.keySet().forEach(all::append);
    bundle.put("id", StixIds.id("bundle", all.toString()));
    ArrayNode list = bundle.putArray("objects");
    objects.values().forEach(list::add);
    return bundle;
  }

  private String indicator(String pattern, String name, String description) {
    ObjectNode i = sdo("indicator", pattern);
    i.put("name", name);
    if (description != null) {
      i.put("description", description);
    }
    i.putArray("indicator_types").add("malicious-activity");
    i.put("pattern", pattern);
    i.put("pattern_type", "stix");
    i.put("pattern_version", "2.1");
    i.put("valid_from", timestamp);
    String id = put(i);
    if (campaignId != null) {
      relationship(id, "indicates", campaignId);
    }
    return id;
  }

  private void relationship(String source, String type, String target) {
    ObjectNode r = sdo("relationship", source + "|" + type + "|" + target);
    r.put("relationship_type", type);
    r.put("source_ref", source);
    r.put("target_ref", target);
    put(r);
  }

  private ObjectNode sdo(String type, String key) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", type);
    o.put("spec_version", "2.1");
    o.put("id", StixIds.id(type, key));
    o.put("created", timestamp);
    o.put("modified", timestamp);
    if (producerId != null) {
      o.put("created_by_ref", producerId);
    }
    return o;
  }

  private String put(ObjectNode o) {
    String id = o.get("id").asText();
    objects.putIfAbsent(id, o);
    return id;
  }

  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  static String ts(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d{2}:\\d{2}:\\d{2})Z$", "$1.000Z");
  }
}
