package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IocFeedTest {
  private final IocFeed feed = IocFeed.bundled();

  private IocFeed.CompromisedAction action(String repo) {
    return feed.actionsFor(repo).get(0);
  }

  @Test
  void trivyActionTagsWithoutVAreAffectedButTheRestoredVTagsAndTheSafeReleaseAreNot() {
    IocFeed.CompromisedAction a = action("aquasecurity/trivy-action");
    assertThat(a.tagAffected("0.34.2")).isTrue();
    assertThat(a.tagAffected("0.0.1")).isTrue();
    assertThat(a.tagAffected("0.34.0")).isTrue();
    assertThat(a.tagAffected("v0.34.0")).isFalse();
    assertThat(a.tagAffected("0.35.0")).isFalse();
    assertThat(a.tagAffected("main")).isFalse();
    assertThat(a.advisory()).isEqualTo("GHSA-69fq-xp46-6x23");
    assertThat(a.window().contains(Instant.parse("2026-03-19T20:00:00Z"))).isTrue();
    assertThat(a.window().contains(Instant.parse("2026-03-21T00:00:00Z"))).isFalse();
  }

  @Test
  void maliciousCommitsMatchByFullShaAndPrefix() {
    IocFeed.CompromisedAction a = action("aquasecurity/trivy-action");
    assertThat(a.commitAffected("ddb9da4475c1cef7d5389062bdfdfbdbd1394648")).isTrue();
    assertThat(a.commitAffected("ddb9da4")).isTrue();
    assertThat(a.commitAffected("57a97c7e7821a5776cebc9bb87c984fa69cba8f1")).isFalse();
    IocFeed.CompromisedAction tj = action("tj-actions/changed-files");
    assertThat(tj.commitAffected("0e58ed8671d6b60d0890c21b07f8835ace038e67")).isTrue();
    assertThat(tj.tagAffected("v44")).isTrue();
    assertThat(tj.tagAffected("v45.0.7")).isTrue();
    assertThat(tj.tagAffected("v45.0.8")).isFalse();
    assertThat(tj.tagAffected("44")).isFalse();
  }

  @Test
  void setupTrivyV025IsAffectedAndTheFalseLeadIsKnown() {
    IocFeed.CompromisedAction s = action("aquasecurity/setup-trivy");
    assertThat(s.tagAffected("v0.2.5")).isTrue();
    assertThat(s.tagAffected("v0.2.6")).isFalse();
    assertThat(s.commitAffected("8afa9b9f9183b4e00c46e2b82d34047e3c177bd0")).isTrue();
    assertThat(feed.isFalseLead("e6c2c5e321ed9123bda567646e2f96565e34abe1")).isTrue();
    assertThat(s.commitAffected("e6c2c5e321ed9123bda567646e2f96565e34abe1")).isFalse();
  }

  @Test
  void artifactsAddressesAndUserAgents() {
    assertThat(feed.artifactBySha256("385d498d18a3a7c67878ca7322716f9da25683eb1a4bf9e9592da0d5f2ab09f6"))
        .hasValueSatisfying(a -> assertThat(a.name()).isEqualTo("trivy_0.69.4_Linux-64bit.tar.gz"));
    assertThat(feed.artifactBySha256("00".repeat(32))).isEmpty();
    assertThat(feed.address("45.148.10.212")).isPresent();
    assertThat(feed.address("209.159.147.239")).isPresent();
    assertThat(feed.address("8.8.8.8")).isEmpty();
    assertThat(feed.userAgentMarker("TruffleHog")).contains("TruffleHog");
    assertThat(feed.userAgentMarker("aws-cli/2.15.30 md/OS#linux distrib#kali")).isPresent();
    assertThat(feed.userAgentMarker("aws-cli/2.15.30 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22")).isEmpty();
  }

  @Test
  void aUserFeedIsValidatedAndMerged(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"other\"}");
    assertThatThrownBy(() -> IocFeed.load(bad)).isInstanceOf(FeedException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("vigil-ioc-feed");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"format\": ");
    assertThatThrownBy(() -> IocFeed.load(broken)).hasMessageContaining("broken.json: not valid JSON");
    Path mine = dir.resolve("mine.json");
    Files.writeString(mine, """
        {"format": "vigil-ioc-feed", "format_version": 1, "feed": {"id": "mine"},
         "compromised_artifacts": [{"name": "tool.tar.gz", "sha256": "AB%s"}],
         "network": [{"type": "ipv4", "value": "198.51.100.7"}]}
        """.formatted("cd".repeat(31)));
    IocFeed merged = feed.merge(IocFeed.load(mine));
    assertThat(merged.feedIds()).containsExactly("vigil-teampcp", "mine");
    assertThat(merged.artifactBySha256("ab" + "cd".repeat(31))).isPresent();
    assertThat(merged.address("198.51.100.7")).isPresent();
    assertThat(merged.address("45.148.10.212")).isPresent();
  }
}
