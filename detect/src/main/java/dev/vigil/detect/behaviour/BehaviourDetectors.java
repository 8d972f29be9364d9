package dev.vigil.detect.behaviour;

import java.util.List;

/** The registry: every behavioural detector Vigil ships, in evaluation order. */
public final class BehaviourDetectors {

  private BehaviourDetectors() {}

  /** Fresh instances of all detectors (they keep no state of their own; state lives in BehaviourState). */
  public static List<BehaviourDetector> all() {
    return List.of(
        new HoneytokenUsedDetector(),
        new KnownBadAddressDetector(),
        new AttackerToolingDetector(),
        new FirstSeenOriginDetector(),
        new CredentialValidationDetector(),
        new MultipleOriginsDetector(),
        new InstanceCredentialsElsewhereDetector(),
        new CredentialsForOtherUserDetector(),
        new SuspiciousKeyUsedDetector(),
        new IamChangeBySuspectDetector(),
        new AdminPolicyAttachedDetector(),
        new DiscoveryBurstDetector(),
        new LoggingDisabledDetector(),
        new ResourceSharedExternallyDetector(),
        new S3TenantSpreadDetector(),
        new S3VolumeDetector());
  }
}
