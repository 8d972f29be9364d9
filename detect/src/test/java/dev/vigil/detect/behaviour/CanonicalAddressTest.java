package dev.vigil.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalAddressTest {
  @Test
  void zeroPaddedOctetsAreUnpaddedAndEverythingElseIsLeftAlone() {
    assertThat(KnownBadAddressDetector.canonical("035.001.002.003")).isEqualTo("35.1.2.3");
    assertThat(KnownBadAddressDetector.canonical("000.10.0.100")).isEqualTo("0.10.0.100");
    assertThat(KnownBadAddressDetector.canonical("209.159.147.239")).isEqualTo("209.159.147.239");
    assertThat(KnownBadAddressDetector.canonical("10.0.0.000")).isEqualTo("10.0.0.0");
    assertThat(KnownBadAddressDetector.canonical("2001:0db8::1")).isEqualTo("2001:0db8::1");
    assertThat(KnownBadAddressDetector.canonical("ec2.amazonaws.com")).isEqualTo("ec2.amazonaws.com");
    assertThat(KnownBadAddressDetector.canonical("")).isEmpty();
  }
}
