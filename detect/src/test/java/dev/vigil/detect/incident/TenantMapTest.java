package dev.vigil.detect.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantMapTest {
  @TempDir Path dir;

  @Test
  void byDefaultABucketIsATenantAndASharedBucketHasOneTenantPerTopLevelPrefix() {
    TenantMap m = TenantMap.defaults();
    assertThat(m.tenantOf("europa-site-agri", "mail/1.eml")).isEqualTo("europa-site-agri");
    assertThat(m.tenantOf("europa-hosting-shared", "dg-clima/mail/1.eml")).isEqualTo("dg-clima");
    assertThat(m.tenantOf("shared-sites", "/eu-lisa/index.html")).isEqualTo("eu-lisa");
    assertThat(m.tenantOf("europa-hosting-shared", "top-level-file.txt")).isEqualTo("europa-hosting-shared");
    assertThat(m.tenantOf("sharedsites", "a/b")).isEqualTo("sharedsites"); // "shared" must be a word
    assertThat(m.tenantOf(null, "a/b")).isNull();
  }

  @Test
  void aYamlFileMapsBucketsPrefixesAndSharedBucketsLongestPrefixFirst() throws IOException {
    Path f = dir.resolve("tenants.yaml");
    Files.writeString(f, """
        buckets:
          web-agri: DG AGRI
        prefixes:
          common/eu/: EU bodies
          common/eu/frontex/: Frontex
        shared_buckets: [pool]
        """);
    TenantMap m = TenantMap.load(f);
    assertThat(m.tenantOf("web-agri", "x")).isEqualTo("DG AGRI");
    assertThat(m.tenantOf("common", "eu/frontex/mail/1")).isEqualTo("Frontex");
    assertThat(m.tenantOf("common", "eu/cedefop/mail/1")).isEqualTo("EU bodies");
    assertThat(m.tenantOf("common", "other/1")).isEqualTo("common");
    assertThat(m.tenantOf("pool", "t7/page.html")).isEqualTo("t7");
    // an explicit file switches the naming-based default off
    assertThat(m.tenantOf("x-shared", "t7/page.html")).isEqualTo("x-shared");
  }

  @Test
  void aJsonFileCanListLocationsPerTenant() throws IOException {
    Path f = dir.resolve("tenants.json");
    Files.writeString(f, """
        {"tenants": {"agri": "web-agri", "clima": "s3://hosting/clima/", "eea": {"bucket": "hosting", "prefix": "eea/"},
                     "both": ["b1", "b2/x/"]}}
        """);
    TenantMap m = TenantMap.load(f);
    assertThat(m.tenantOf("web-agri", "a")).isEqualTo("agri");
    assertThat(m.tenantOf("hosting", "clima/a")).isEqualTo("clima");
    assertThat(m.tenantOf("hosting", "eea/a")).isEqualTo("eea");
    assertThat(m.tenantOf("b1", "z")).isEqualTo("both");
    assertThat(m.tenantOf("b2", "x/z")).isEqualTo("both");
  }

  @Test
  void contactsAreReadForTheNotices() throws IOException {
    Path f = dir.resolve("t.yaml");
    Files.writeString(f, "buckets: {web-agri: agri}\ncontacts: {agri: dpo@agri.example}\n");
    assertThat(TenantMap.load(f).contacts()).containsExactly(java.util.Map.entry("agri", "dpo@agri.example"));
    assertThat(TenantMap.defaults().contacts()).isEmpty();
    Files.writeString(f, "tenants: {agri: {bucket: web-agri, contact: it@agri.example}}\n");
    assertThat(TenantMap.load(f).contacts()).containsExactly(java.util.Map.entry("agri", "it@agri.example"));
    assertThat(TenantMap.load(f).tenantOf("web-agri", "x")).isEqualTo("agri");
  }

  @Test
  void badFilesAreReportedWithTheFileAndTheEntry() throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "buckets:\n  web-agri: [1, 2]\n");
    assertThatThrownBy(() -> TenantMap.load(f)).hasMessage(f + ": buckets.web-agri: expected a tenant name");
    Files.writeString(f, "bucketz: {}\n");
    assertThatThrownBy(() -> TenantMap.load(f))
        .hasMessage(f + ": unknown section 'bucketz' (expected buckets, prefixes, shared_buckets, tenants or contacts)");
    Files.writeString(f, "prefixes:\n  nobucketprefix: t\n");
    assertThatThrownBy(() -> TenantMap.load(f)).hasMessage(f + ": prefixes.nobucketprefix: expected bucket/prefix");
    Files.writeString(f, "buckets: [oops\n");
    assertThatThrownBy(() -> TenantMap.load(f)).hasMessageStartingWith(f + ": not valid YAML");
    Path json = dir.resolve("bad.json");
    Files.writeString(json, "{\"buckets\": ");
    assertThatThrownBy(() -> TenantMap.load(json)).hasMessageStartingWith(json + ": not valid JSON");
    assertThatThrownBy(() -> TenantMap.load(dir.resolve("missing.yaml")))
        .hasMessage(dir.resolve("missing.yaml") + ": tenant map not found");
  }
}
