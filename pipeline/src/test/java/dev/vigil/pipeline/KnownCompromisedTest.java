package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.lock.ActionLock;
import dev.vigil.pipeline.model.CiFile;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The incident's references: compromised tags and commits are critical and name their advisory; safe pins are not. */
class KnownCompromisedTest {

  static String workflow(String uses) {
    return "name: scan\non: push\npermissions: {}\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - uses: " + uses + "\n";
  }

  static List<Finding> compromised(AuditEngine engine, String uses) {
    return engine.auditText("w.yml", CiFile.Kind.WORKFLOW, workflow(uses)).findings().stream()
        .filter(f -> f.auditId().equals("known-compromised-action")).toList();
  }

  @ParameterizedTest
  @CsvSource({
      "aquasecurity/trivy-action@0.34.2, GHSA-69fq-xp46-6x23",
      "aquasecurity/trivy-action@ddb9da4475c1cef7d5389062bdfdfbdbd1394648, GHSA-69fq-xp46-6x23",
      "aquasecurity/trivy-action@0.0.1, GHSA-69fq-xp46-6x23",
      "aquasecurity/setup-trivy@v0.2.5, GHSA-69fq-xp46-6x23",
      "aquasecurity/setup-trivy@8afa9b9f9183b4e00c46e2b82d34047e3c177bd0, GHSA-69fq-xp46-6x23",
      "tj-actions/changed-files@v44, GHSA-mrrh-fwg8-r2c3",
      "tj-actions/changed-files@v45.0.7, GHSA-mrrh-fwg8-r2c3",
      "reviewdog/action-setup@v1, GHSA-qmg3-hpqr-gqvc",
  })
  void compromisedReferencesAreCriticalAndNameTheAdvisory(String uses, String advisory) {
    List<Finding> fs = compromised(AuditEngine.defaults(), uses);
    assertThat(fs).hasSize(1);
    assertThat(fs.get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(fs.get(0).line()).isEqualTo(8);
    assertThat(fs.get(0).facts()).containsEntry("advisory", advisory);
    assertThat(fs.get(0).message()).contains(advisory);
  }

  @ParameterizedTest
  @CsvSource({
      "aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1",
      "aquasecurity/trivy-action@0.35.0",
      "aquasecurity/trivy-action@v0.34.0",
      "aquasecurity/setup-trivy@e6c2c5e321ed9123bda567646e2f96565e34abe1",
      "aquasecurity/setup-trivy@v0.2.6",
      "tj-actions/changed-files@v46",
      "actions/checkout@v4",
  })
  void safeReferencesAreNot(String uses) {
    assertThat(compromised(AuditEngine.defaults(), uses)).isEmpty();
  }

  static AuditEngine withAdvisories() throws IOException {
    OsvAdvisories osv = OsvAdvisories.load(Shared.dir("corpora/ghsa-actions/advisories"));
    return new AuditEngine(IocFeed.empty(), osv, ActionLock.empty(), AuditConfig.empty(), Persona.REGULAR,
        Set.of());
  }

  @Test
  void namesTheSecretsThePayloadCouldRead() {
    String wf = """
        on: push
        permissions: {}
        env:
          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
        jobs:
          scan:
            runs-on: ubuntu-latest
            steps:
              - uses: aquasecurity/trivy-action@0.34.2
              - run: ./deploy.sh
                env:
                  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
        """;
    Finding f = Audit.first("known-compromised-action", wf);
    assertThat(f.facts()).containsEntry("secrets-in-reach", "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,GITHUB_TOKEN")
        .containsEntry("job", "scan");
    assertThat(f.message()).endsWith("secrets in reach of the job: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
        + "GITHUB_TOKEN");
  }

  @Test
  void advisoryDatabaseAloneFlagsCompromisesByCwe506() throws IOException {
    AuditEngine osvOnly = withAdvisories();
    List<Finding> tj = compromised(osvOnly, "tj-actions/changed-files@v44");
    assertThat(tj).extracting(f -> f.facts().get("advisory")).containsExactly("GHSA-mrrh-fwg8-r2c3");
    assertThat(tj.get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(compromised(osvOnly, "aquasecurity/trivy-action@0.34.2"))
        .extracting(f -> f.facts().get("advisory")).containsExactly("GHSA-69fq-xp46-6x23");
    assertThat(compromised(osvOnly, "aquasecurity/trivy-action@0.35.0")).isEmpty();
    // OSV alone cannot judge a commit pin: only the feed's commit lists can
    assertThat(compromised(osvOnly, "aquasecurity/trivy-action@ddb9da4475c1cef7d5389062bdfdfbdbd1394648")).isEmpty();
  }

  @Test
  void feedIsTrustedOverAdvisoryRangesForRestoredTags() throws IOException {
    OsvAdvisories osv = OsvAdvisories.load(Shared.dir("corpora/ghsa-actions/advisories"));
    AuditEngine both = new AuditEngine(IocFeed.bundled(), osv, ActionLock.empty(), AuditConfig.empty(),
        Persona.REGULAR, Set.of());
    // the restored 'v' tags point to the original legitimate commits
    assertThat(compromised(both, "aquasecurity/trivy-action@v0.34.0")).isEmpty();
    assertThat(compromised(both, "aquasecurity/trivy-action@0.34.0")).hasSize(1);
  }

  @Test
  void knownVulnerableActionsFromOsvRanges() throws IOException {
    AuditEngine osvOnly = withAdvisories();
    List<Finding> fs = osvOnly.auditText("w.yml", CiFile.Kind.WORKFLOW,
        workflow("tj-actions/changed-files@v40")).findings().stream()
        .filter(f -> f.auditId().equals("known-vulnerable-action")).toList();
    assertThat(fs).extracting(f -> f.facts().get("advisory")).contains("GHSA-mcph-m25j-8j63");
    // a commit pin is matched through its version comment
    String pinned = workflow("tj-actions/changed-files@0123456789abcdef0123456789abcdef01234567 # v40.1.0");
    assertThat(osvOnly.auditText("w.yml", CiFile.Kind.WORKFLOW, pinned).findings())
        .anyMatch(f -> f.auditId().equals("known-vulnerable-action")
            && "GHSA-mcph-m25j-8j63".equals(f.facts().get("advisory")));
    assertThat(osvOnly.auditText("w.yml", CiFile.Kind.WORKFLOW, workflow("tj-actions/changed-files@v46"))
        .findings()).noneMatch(f -> f.auditId().startsWith("known-"));
  }

  @Test
  void everyAdvisoryFileOfTheCorpusLoads() throws IOException {
    OsvAdvisories osv = OsvAdvisories.load(Shared.dir("corpora/ghsa-actions/advisories"));
    assertThat(osv.errors()).isEmpty();
    assertThat(osv.advisoryFiles()).isEqualTo(53);
    assertThat(osv.entries().stream().filter(OsvAdvisories.Affected::malicious)
        .map(OsvAdvisories.Affected::advisory).distinct())
        .contains("GHSA-69fq-xp46-6x23", "GHSA-mrrh-fwg8-r2c3", "GHSA-qmg3-hpqr-gqvc");
  }

  @Test
  void extraFeedAddsCompromisedActions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    java.nio.file.Path feed = dir.resolve("extra.json");
    java.nio.file.Files.writeString(feed, """
        {"format": "vigil-ioc-feed", "format_version": 1, "feed": {"id": "test-feed"},
         "compromised_actions": [{"repo": "acme/evil-action", "tags": ["v3"], "advisory": "TEST-0001",
           "commits": ["1111111111111111111111111111111111111111"], "confidence": "confirmed"}]}
        """);
    AuditEngine e = new AuditEngine(IocFeed.bundled().merge(IocFeed.load(feed)), OsvAdvisories.none(),
        ActionLock.empty(), AuditConfig.empty(), Persona.REGULAR, Set.of());
    assertThat(compromised(e, "acme/evil-action@v3")).extracting(f -> f.facts().get("advisory"))
        .containsExactly("TEST-0001");
    assertThat(compromised(e, "acme/evil-action@1111111111111111111111111111111111111111")).hasSize(1);
    assertThat(compromised(e, "acme/evil-action@v2")).isEmpty();
    assertThat(compromised(AuditEngine.defaults(), "acme/evil-action@v3")).isEmpty();
  }

  @Test
  void compromisedImagesFromTheFeed() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          scan:
            runs-on: ubuntu-latest
            container: aquasec/trivy:0.69.4
            steps:
              - uses: docker://docker.io/aquasec/trivy:0.69.6
              - uses: docker://aquasec/trivy:0.69.3
        """;
    assertThat(Audit.of("known-compromised-image", wf)).containsExactly("known-compromised-image@6",
        "known-compromised-image@8");
  }
}
