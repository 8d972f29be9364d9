package dev.vigil.detect.behaviour;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Vigil has learned about one principal (an IAM user, a role): where it calls from, with which clients,
 * how much it reads and how wide it explores, plus the short sliding windows the detectors need. Every
 * collection is bounded (least recently seen entries go first) so state stays small whatever the input. Plain
 * fields so that {@link BehaviourState} can save it as JSON. Times are epoch seconds.
 */
public final class ActorProfile {

  public long firstSeen = Long.MIN_VALUE;
  public long lastSeen;
  public long events;
  /** /16 network → last seen. */
  public LinkedHashMap<String, Long> networks = new LinkedHashMap<>();
  /** address → last seen (evidence and "same address" checks). */
  public LinkedHashMap<String, Long> addresses = new LinkedHashMap<>();
  /** user-agent family → last seen. */
  public LinkedHashMap<String, Long> agents = new LinkedHashMap<>();
  /** Per day (epoch day) the highest window values: [bytes, objects, buckets, discovery actions, denied]. */
  public TreeMap<Long, long[]> dayMax = new TreeMap<>();

  // sliding windows
  /** [minute, bytes, objects] of S3 reads, oldest first. */
  public ArrayDeque<long[]> readMinutes = new ArrayDeque<>();
  /** [minute, objects] of successful GetObject calls, oldest first (the tenant-spread volume floor). */
  public ArrayDeque<long[]> spreadMinutes = new ArrayDeque<>();
  /** bucket → last read. */
  public LinkedHashMap<String, Long> readBuckets = new LinkedHashMap<>();
  /** discovery action → last call. */
  public LinkedHashMap<String, Long> discovery = new LinkedHashMap<>();
  /** denied action → last denial. */
  public LinkedHashMap<String, Long> denied = new LinkedHashMap<>();
  /** "network|family" → last seen, for the multiple-origins window. */
  public LinkedHashMap<String, Long> recentOrigins = new LinkedHashMap<>();
  /** detector id + subject → last alert time, to raise once (or once per re-alert period). */
  public HashMap<String, Long> alerted = new HashMap<>();

  static final int DAY = 86_400;
  static final int MAX_WINDOW_KEYS = 512;

  @JsonIgnore
  public boolean mature(BehaviourConfig c) {
    return events >= c.actorMinEvents && lastSeen - firstSeen >= c.actorMinAge.toSeconds();
  }

  /** Highest value of metric {@code i} over previous days (not today), within the history kept. */
  long baseline(int i, long now) {
    long today = Math.floorDiv(now, DAY);
    long max = 0;
    for (Map.Entry<Long, long[]> e : dayMax.headMap(today).entrySet()) {
      max = Math.max(max, e.getValue()[i]);
    }
    return max;
  }

  void recordDay(int i, long value, long now, int historyDays) {
    long today = Math.floorDiv(now, DAY);
    long[] m = dayMax.computeIfAbsent(today, d -> new long[5]);
    m[i] = Math.max(m[i], value);
    while (dayMax.size() > historyDays + 1) {
      dayMax.pollFirstEntry();
    }
  }

  static void touch(LinkedHashMap<String, Long> map, String key, long t, int limit) {
    map.remove(key);
    map.put(key, t);
    while (map.size() > limit) {
      Iterator<String> it = map.keySet().iterator();
      it.next();
      it.remove();
    }
  }

  /** Drops entries older than {@code since}; maps are in last-touch order so the old ones are first. */
  static void expire(LinkedHashMap<String, Long> map, long since) {
    Iterator<Map.Entry<String, Long>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() < since) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
