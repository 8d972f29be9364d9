package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginsTest {

  @Test
  void networksAreSixteenAndTwentyFourBitPrefixes() {
    assertThat(Origins.network("20.7.193.4")).isEqualTo("20.7.0.0/16");
    assertThat(Origins.network24("20.7.193.4")).isEqualTo("20.7.193.0/24");
    assertThat(Origins.network("035.249.253.232")).isEqualTo("35.249.0.0/16");
    assertThat(Origins.network("2001:db8:1::5")).isEqualTo("2001:db8::/32");
    assertThat(Origins.network("s3.amazonaws.com")).isEqualTo("s3.amazonaws.com");
    assertThat(Origins.isAddress("AWS Internal")).isFalse();
    assertThat(Origins.isAddress("10.0.0.1")).isTrue();
    assertThat(Origins.isAddress("10.0.0.1a")).isFalse();
    assertThat(Origins.isAddress("")).isFalse();
    assertThat(Origins.network(null)).isEqualTo("unknown");
    assertThat(Origins.network("S3.AmazonAWS.com")).isEqualTo("s3.amazonaws.com");
    // not four octets: kept as written; an empty octet reads as -1 so it never equals a real network
    assertThat(Origins.network("1.2.3")).isEqualTo("1.2.3");
    assertThat(Origins.network("1.2.3.4.5")).isEqualTo("1.2.3.4.5");
    assertThat(Origins.network24("1.2.3.")).isEqualTo("1.2.3.");
    assertThat(Origins.network24("1..3.4")).isEqualTo("1.-1.3.0/24");
    assertThat(Origins.network24("192.168.0009.77")).isEqualTo("192.168.9.0/24");
  }

  @Test
  void agentFamiliesDropVersionsButKeepTheDistribution() {
    assertThat(Origins.agentFamily("aws-cli/2.24.10 md/awscrt#0.23.8 os/linux md/distrib#ubuntu.24"))
        .isEqualTo("aws-cli/ubuntu").isEqualTo(Origins.agentFamily("aws-cli/2.25.4 os/linux md/distrib#ubuntu.24"));
    assertThat(Origins.agentFamily("aws-cli/2.23.6 md/distrib#kali.2025")).isEqualTo("aws-cli/kali");
    assertThat(Origins.agentFamily("TruffleHog aws-sdk-go-v2/1.30.3")).isEqualTo("trufflehog");
    assertThat(Origins.agentFamily("[S3Console/0.4, aws-internal/3]")).isEqualTo("s3console");
    assertThat(Origins.agentFamily(null)).isEqualTo("none");
    assertThat(Origins.desktopOs("aws-cli/2.23.6 os/macos#24.3.0")).isEqualTo("macOS");
    assertThat(Origins.desktopOs("aws-sdk-java/2.30 os/Linux")).isNull();
  }
}
