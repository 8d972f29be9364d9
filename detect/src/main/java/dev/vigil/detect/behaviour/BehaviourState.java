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

  /**
   * A profile touched (or dropped: {@code profile} null) since the last {@link #drainChanges}; {@code access} orders
   * principals by their latest access, which is the LRU order of {@link #actors}.
   */
  public record ProfileChange(long access, ActorProfile profile) {}

  /** Null unless {@link #trackChanges} was called; in order of latest access. Not part of the saved state. */
  private LinkedHashMap<String, ProfileChange> changes;
  private long accesses;

  /**
   * Starts recording which profiles change, for stream processors that save profiles one by one instead of the whole
   * state: {@code accessesSoFar} continues the access counter of a restored state ({@link #accesses}).
   */
  public void trackChanges(long accessesSoFar) {
    changes = new LinkedHashMap<>();
    accesses = accessesSoFar;
  }

  /** How many profile accesses there have been since tracking started (counting on from a restored state). */
  public long accesses() {
    return accesses;
  }

  /** The profiles touched or dropped since the previous call, oldest access first; starts a new record. */
  public Map<String, ProfileChange> drainChanges() {
    Map<String, ProfileChange> c = changes;
    changes = new LinkedHashMap<>();
    return c;
  }

  /** Puts back a saved profile; call in order of {@link ProfileChange#access}, oldest first (rebuilds the LRU order). */
  public void restoreProfile(String principal, ActorProfile profile) {
    actors.put(principal, profile);
  }

  ActorProfile profile(String principal, int maxActors) {
    ActorProfile p = actors.get(principal);
    if (p == null) {
      p = new ActorProfile();
      actors.put(principal, p);
      if (actors.size() > maxActors) {
        var it = actors.keySet().iterator();
        String dropped = it.next();
        it.remove();
        if (changes != null) {
          changes.remove(dropped);
          changes.put(dropped, new ProfileChange(accesses, null));
        }
      }
    }
    if (changes != null) {
      changes.remove(principal); // re-inserted: the map stays in order of latest access
      changes.put(principal, new ProfileChange(++accesses, p));
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

  /** Writes everything but the profiles as JSON (see {@link #write}); with {@link #writeProfile} for each principal. */
  public void writeWithoutProfiles(OutputStream out) throws IOException {
    LinkedHashMap<String, ActorProfile> all = actors;
    actors = new LinkedHashMap<>();
    try {
      write(out);
    } finally {
      actors = all;
    }
  }

  /** One principal's profile as JSON; {@code out} stays open. */
  public static void writeProfile(ActorProfile profile, OutputStream out) throws IOException {
    JSON.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, profile);
  }

  /** Reads what {@link #writeProfile} wrote. */
  public static ActorProfile readProfile(byte[] json, int offset, int length) throws IOException {
    try {
      return JSON.readValue(json, offset, length, ActorProfile.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("not a Vigil actor profile: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
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
