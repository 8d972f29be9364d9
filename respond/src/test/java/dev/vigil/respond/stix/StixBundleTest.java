package dev.vigil.respond.stix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StixBundleTest {
  private static final Instant T = Instant.parse("2026-03-25T09:00:00Z");

  private ObjectNode breachBundle() {
    StixBundleBuilder b = new StixBundleBuilder(T, "Example CERT").campaign("TeamPCP", "Trivy supply chain");
    b.technique("T1078.004", "Valid Accounts: Cloud Accounts");
    String ip = b.ipAddress("209.159.147.239", "TruffleHog credential validation");
    b.sighting(ip, Instant.parse("2026-03-19T20:01:02Z"), Instant.parse("2026-03-19T20:01:02Z"), 1);
    b.accessKey("AKIAEXAMPLEEXAMPLE22", "stolen CI key");
    b.userAgent("TruffleHog", null);
    b.userAgent("it's \\ odd", null);
    b.actionRef("aquasecurity/trivy-action", "ddb9da4475c1cef7d5389062bdfdfbdbd1394648", "tag 0.34.2");
    b.fileSha256("385d498d18a3a7c67878ca7322716f9da25683eb1a4bf9e9592da0d5f2ab09f6", "trivy_0.69.4_Linux-64bit.tar.gz",
        null);
    b.domain("scan.aquasecurtiy.org", "exfiltration endpoint");
    return b.build();
  }

  @Test
  void theBundleIsValidStix21() {
    ObjectNode bundle = breachBundle();
    assertThat(StixValidator.validate(bundle)).isEmpty();
    JsonNode objects = bundle.get("objects");
    assertThat(objects).extracting(o -> o.get("type").asText()).contains("identity", "campaign",
        "attack-pattern", "indicator", "sighting", "relationship");
    assertThat(objects).filteredOn(o -> o.get("type").asText().equals("indicator")).hasSize(7);
    assertThat(objects).filteredOn(o -> o.get("type").asText().equals("indicator"))
        .allSatisfy(o -> assertThat(StixPatterns.check(o.get("pattern").asText())).isNull());
    assertThat(objects.get(0).get("created").asText()).isEqualTo("2026-03-25T09:00:00.000Z");
  }

  @Test
  void idsAreDeterministic() {
    assertThat(breachBundle()).isEqualTo(breachBundle());
    assertThat(StixIds.id("indicator", "x")).matches("indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void theValidatorCatchesEachBrokenRule() throws Exception {
    ObjectNode bundle = breachBundle();
    ObjectNode indicator = (ObjectNode) findFirst(bundle, "indicator");
    ObjectNode relationship = (ObjectNode) findFirst(bundle, "relationship");
    ObjectNode sighting = (ObjectNode) findFirst(bundle, "sighting");
    indicator.put("pattern", "[ipv4-addr:value = '1.2.3.4'");
    indicator.put("modified", "2026-03-25 09:00:00");
    relationship.put("target_ref", "campaign--00000000-0000-4000-8000-000000000000");
    sighting.remove("sighting_of_ref");
    sighting.put("last_seen", "2026-03-19T00:00:00.000Z");
    ((ObjectNode) findFirst(bundle, "campaign")).put("spec_version", "2.0");
    ((ObjectNode) findFirst(bundle, "identity")).put("id", "identity--not-a-uuid");
    List<String> errors = StixValidator.validate(bundle);
    assertThat(errors).anyMatch(e -> e.contains("invalid pattern: expected ']'"))
        .anyMatch(e -> e.endsWith("'modified' must be an RFC 3339 UTC timestamp"))
        .anyMatch(e -> e.contains("'target_ref' points to campaign--00000000-0000-4000-8000-000000000000, not in the bundle"))
        .anyMatch(e -> e.endsWith("missing required property 'sighting_of_ref'"))
        .anyMatch(e -> e.endsWith("'last_seen' is before 'first_seen'"))
        .anyMatch(e -> e.endsWith("spec_version must be '2.1'"))
        .anyMatch(e -> e.equals("identity--not-a-uuid: id must be '<type>--<UUID>'"))
        .anyMatch(e -> e.contains("'created_by_ref' points to identity--"));
  }

  @Test
  void patternsFollowTheGrammar() {
    assertThat(StixPatterns.check("[file:hashes.'SHA-256' = 'ab'] AND [domain-name:value = 'x.org']")).isNull();
    assertThat(StixPatterns.check("([ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value IN ('5.6.7.8', '9.9.9.9')])"
        + " WITHIN 300 SECONDS")).isNull();
    assertThat(StixPatterns.check("[x509-certificate:serial_number != '1'] START t'2026-03-19T00:00:00Z' STOP "
        + "t'2026-03-20T00:00:00Z'")).isNull();
    assertThat(StixPatterns.check("[user-account:user_id = 'a\\'b']")).isNull();
    assertThat(StixPatterns.check("ipv4-addr:value = '1.2.3.4'")).isEqualTo("expected '[' at 0");
    assertThat(StixPatterns.check("[ipv4-addr:value == '1.2.3.4']")).isEqualTo("unknown operator '=='");
    assertThat(StixPatterns.check("[ipv4-addr:value = '1.2.3.4]")).isEqualTo("unterminated string");
    assertThat(StixPatterns.check("[IPV4:value = '1']")).isEqualTo("expected an object type at 1");
  }

  private static JsonNode findFirst(ObjectNode bundle, String type) {
    for (JsonNode o : bundle.get("objects")) {
      if (o.get("type").asText().equals(type)) {
        return o;
      }
    }
    throw new AssertionError("no " + type);
  }

}
