package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import java.util.List;
import java.util.Optional;

/** The table of contents: every audit Vigil runs, in report order. */
public final class Audits {
  private Audits() {}

  private static final List<Audit> ALL = List.of(
      new KnownCompromisedAction(),
      new KnownCompromisedImage(),
      new KnownVulnerableAction(),
      new UnpinnedUses(),
      new UnpinnedImages(),
      new UnpinnedTools(),
      new UnpinnedInclude(),
      new UnverifiedDownload(),
      new SecretsToThirdParty(),
      new SecretsInherit(),
      new SecretsInBroadEnv(),
      new OverprovisionedSecrets(),
      new LongLivedCloudCredentials(),
      new DangerousTriggers(),
      new TemplateInjection(),
      new ExcessivePermissions(),
      new Artipacked(),
      new CachePoisoning(),
      new SelfHostedRunner());

  public static List<Audit> all() {
    return ALL;
  }

  public static Optional<Audit> byId(String id) {
    return ALL.stream().filter(a -> a.info().id().equals(id)).findFirst();
  }
}
