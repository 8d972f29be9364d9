package dev.vigil.detect.behaviour;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Everything the behavioural detectors remember between runs: per-principal profiles (LRU, bounded by
 * {@code limits.max_actors}), suspicious keys and principals with the reason, and when learning started. Saved
 * as gzipped JSON with {@link #save(Path)} so a daily batch or a restart keeps its history.
 */
public final class BehaviourState {

  public static final int FORMAT = 1;

  public int format = FORMAT;
  /** Epoch second of the first event ever seen; learning lasts {@code learning.period_days} from it. */
  public long learningStart = Long.MIN_VALUE;
  /** Latest event time seen. */
  public long clock = Long.MIN_VALUE;
  public LinkedHashMap<String, ActorProfile> actors = new LinkedHashMap<>(1024, 0.75f, true);
  /** Suspicious access key or principal → why (the alert that made it suspicious). */
  public LinkedHashMap<String, String> suspects = new LinkedHashMap<>();
  /** Access keys created by a suspicious actor → the creating key or principal. */
  public LinkedHashMap<String, String> taintedKeys = new LinkedHashMap<>();

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  ActorProfile profile(String principal, int maxActors) {
    ActorProfile p = actors.get(principal);
    if (p == null) {
      p = new ActorProfile();
      actors.put(principal, p);
      if (actors.size() > maxActors) {
        var it = actors.keySet().iterator();
        it.next();
        it.remove();
      }
    }
    return p;
  }

  void suspect(String keyOrPrincipal, String why, int max) {
    if (keyOrPrincipal != null) {
      suspects.putIfAbsent(keyOrPrincipal, why);
      trim(suspects, max);
    }
  }

  void taint(String key, String by, int max) {
    taintedKeys.putIfAbsent(key, by);
    trim(taintedKeys, max);
  }

  private static void trim(Map<String, String> m, int max) {
    var it = m.keySet().iterator();
    while (m.size() > max && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Writes the state atomically (temporary file, then rename). */
  public void save(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".vigil-state", ".tmp");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
      write(out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes the state as JSON (uncompressed) to {@code out}, which stays open: for stream processors' snapshots. */
  public void write(OutputStream out) throws IOException {
    JSON.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, this);
  }

  /** Reads a state file written by {@link #save}; a missing file is a fresh state. */
  public static BehaviourState load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new BehaviourState();
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return read(in);
    } catch (java.util.zip.ZipException e) {
      throw new IOException(file + ": not a Vigil state file: " + e.getMessage().lines().findFirst().orElse(""), e);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads what {@link #write} wrote (the whole stream). */
  public static BehaviourState read(InputStream in) throws IOException {
    try {
      BehaviourState s = JSON.readValue(in, BehaviourState.class);
      if (s.format != FORMAT) {
        throw new IOException("state format " + s.format + " is not supported (expected " + FORMAT + ")");
      }
      // Jackson builds an insertion-ordered map; restore access order for LRU eviction
      LinkedHashMap<String, ActorProfile> lru = new LinkedHashMap<>(Math.max(16, s.actors.size() * 2), 0.75f, true);
      lru.putAll(s.actors);
      s.actors = lru;
      return s;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("not a Vigil state file: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }
}
