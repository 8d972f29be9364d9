package dev.vigil.simulate;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Someone or something that makes API calls: it acts in episodes (a CI run, a console session, a nightly backup,
 * a single request) whose start times come from a {@link Schedule}. Each episode emits events at or after its
 * start; the simulator merges all actors' events into one time-ordered stream.
 */
abstract class Actor {
  final World w;
  final String label;
  final SplittableRandom rnd;
  Schedule schedule;
  Budget budget;
  /** Share of the flexible part of the background budget; 0 for fixed-size actors. */
  final double share;
  /** Fewest events an episode may have. */
  final long minPerEpisode;

  Actor(World w, String label, double share, long minPerEpisode) {
    this.w = w;
    this.label = label;
    this.share = share;
    this.minPerEpisode = minPerEpisode;
    this.rnd = new SplittableRandom(Ids.mix(w.seed, "actor", label));
  }

  /** Episodes this actor will have, or -1 when there is one single-event episode per budgeted event. */
  long episodes() {
    return schedule == null ? -1 : schedule.count();
  }

  /** The fewest events this actor needs. */
  long minimum() {
    return schedule == null ? 0 : schedule.count() * minPerEpisode;
  }

  /** Fixes how many events this actor makes in all. */
  void plan(long events) {
    if (schedule == null) {
      schedule = Schedule.random(rnd, events, profile(), w.start, w.end);
      budget = new Budget(events, events, 1);
    } else {
      budget = new Budget(events, schedule.count(), minPerEpisode);
    }
  }

  /** For single-event actors: when their events happen. */
  Schedule.Profile profile() {
    return Schedule.Profile.ALWAYS;
  }

  long next() {
    return schedule.next();
  }

  /** Emits the events of the episode starting at {@code start}. */
  abstract void episode(long start, Consumer<SimEvent> out);

  // ---- helpers to build records ----

  static SimEvent call(long t, String region, String source, String name, Identity who, String ip, String ua) {
    return new SimEvent(t, region, source, name, who, ip, ua);
  }

  /** An S3 data event on an object (GetObject, PutObject, DeleteObject, HeadObject). */
  static SimEvent s3(long t, String region, String name, Identity who, String ip, String ua, String bucket,
      String key, long bytesOut, long bytesIn) {
    SimEvent e = new SimEvent(t, region, "s3.amazonaws.com", name, who, ip, ua);
    e.data = true;
    e.bucket = bucket;
    e.objectKey = key;
    e.bytesOut = bytesOut;
    e.bytesIn = bytesIn;
    e.readOnly = name.startsWith("Get") || name.startsWith("Head");
    e.request = new Object[] {"bucketName", bucket, "Host", bucket + ".s3." + region + ".amazonaws.com", "key", key};
    return e;
  }

  /** ListObjectsV2 on a prefix (a data event on the bucket). */
  static SimEvent list(long t, String region, Identity who, String ip, String ua, String bucket, String prefix) {
    SimEvent e = new SimEvent(t, region, "s3.amazonaws.com", "ListObjects", who, ip, ua);
    e.data = true;
    e.bucket = bucket;
    e.readOnly = true;
    e.request = new Object[] {"list-type", "2", "bucketName", bucket, "encoding-type", "url", "prefix", prefix,
        "Host", bucket + ".s3." + region + ".amazonaws.com"};
    return e;
  }

  /** A management call on a bucket (GetBucketAcl, GetBucketPolicy, ...). */
  static SimEvent bucketCall(long t, String region, String name, Identity who, String ip, String ua, String bucket,
      String subresource) {
    SimEvent e = new SimEvent(t, region, "s3.amazonaws.com", name, who, ip, ua);
    e.bucket = bucket;
    e.readOnly = name.startsWith("Get") || name.startsWith("List");
    e.request = new Object[] {"bucketName", bucket, "Host", bucket + ".s3." + region + ".amazonaws.com",
        subresource, ""};
    return e;
  }

  long sizeLogNormal(double median, double sigma, long max) {
    return Math.max(120, Math.min(max, Math.round(median * Math.exp(rnd.nextGaussian() * sigma))));
  }

  String sitePath() {
    int k = rnd.nextInt(10);
    String[] langs = {"en", "fr", "de", "nl", "it", "es"};
    String[] sections = {"news", "about", "publications", "events", "funding", "contact", "policies", "jobs"};
    if (k < 6) {
      return "site/" + langs[rnd.nextInt(langs.length)] + "/" + sections[rnd.nextInt(sections.length)] + "/"
          + Ids.hex(rnd, 8) + ".html";
    } else if (k < 9) {
      return "site/assets/img/" + Ids.hex(rnd, 12) + ".jpg";
    }
    return "site/assets/docs/" + Ids.hex(rnd, 12) + ".pdf";
  }

  long siteObjectSize(String path) {
    if (path.endsWith(".html")) {
      return sizeLogNormal(28_000, 0.6, 400_000);
    } else if (path.endsWith(".jpg")) {
      return sizeLogNormal(180_000, 0.8, 6_000_000);
    }
    return sizeLogNormal(900_000, 1.0, 40_000_000);
  }

  /** A mailbox file key for mail sent on the day of {@code t}. */
  String mailKey(long t) {
    String date = java.time.LocalDate.ofEpochDay(Math.floorDiv(t, Times.DAY)).toString().replace('-', '/');
    return "mail/outbound/" + date + "/" + Ids.hex(rnd, 24) + ".eml";
  }

  long gap(long minMillis, long maxMillis) {
    return minMillis + rnd.nextLong(maxMillis - minMillis + 1);
  }

  /** A role session key that stays the same for a slot of time (instance and Lambda credentials rotate). */
  String sessionKey(String who, long slot) {
    return Ids.accessKey(new SplittableRandom(Ids.mix(w.seed, "session", who, Long.toString(slot))), "ASIA");
  }
}
