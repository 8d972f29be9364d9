package dev.vigil.pipeline.artifact;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.lock.ActionLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** SHA-256 of a tool binary or archive checked against the feeds' malicious hashes and a known-good lock. */
public final class ArtifactVerifier {
  public enum Verdict { COMPROMISED, KNOWN_GOOD, UNKNOWN }

  /** One file's verdict; {@code detail} names the matching feed entry or lock entry. */
  public record Check(Path file, String sha256, Verdict verdict, String detail) {}

  private final IocFeed feed;
  private final ActionLock lock;

  public ArtifactVerifier(IocFeed feed, ActionLock lock) {
    this.feed = feed;
    this.lock = lock;
  }

  public Check check(Path file) throws IOException {
    String sha = sha256(file);
    Optional<IocFeed.Artifact> bad = feed.artifactBySha256(sha);
    if (bad.isPresent()) {
      IocFeed.Artifact a = bad.get();
      StringBuilder d = new StringBuilder();
      d.append(a.name() == null ? "listed artifact" : a.name());
      if (a.product() != null) {
        d.append(" (").append(a.product()).append(a.version() == null ? "" : " " + a.version()).append(')');
      }
      d.append(", feed ").append(a.feedId());
      if (a.confidence() != null) {
        d.append(", ").append(a.confidence());
      }
      if (a.window() != null && a.window().start() != null) {
        d.append(", published ").append(a.window().start()).append(" to ").append(a.window().end());
      }
      return new Check(file, sha, Verdict.COMPROMISED, d.toString());
    }
    Optional<String> good = lock.knownGoodArtifact(sha);
    if (good.isPresent()) {
      return new Check(file, sha, Verdict.KNOWN_GOOD, "known-good lock entry '" + good.get() + "'");
    }
    return new Check(file, sha, Verdict.UNKNOWN, "not in any feed or lock");
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
