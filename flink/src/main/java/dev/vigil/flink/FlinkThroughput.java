package dev.vigil.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.Detector;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.DiscardingSink;

/**
 * Throughput figures for docs/BENCHMARKS.md: N generated CloudTrail records in S3-layout files, run through the
 * Sigma-only job (keyed by actor) and the full job (Sigma + behaviour + incidents, keyed by account) in a local
 * MiniCluster at parallelism 1 and 2, against the same detection in one thread in-process (parse, then detect the
 * way {@code vigil detect} does). Also measures the account state a checkpoint writes.
 * Usage: {@code FlinkThroughput EVENTS ACTORS ACCOUNTS}; {@code FlinkThroughput EVENTS ACTORS ACCOUNTS orders [ROUNDS]}
 * runs only the full job, at parallelism 1 and 2, in arrival order and in event-time order alternately
 * ({@link EventTimeOrder}'s cost, arrival order being the baseline of the same round).
 */
public final class FlinkThroughput {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int actors = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int accounts = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    if (args.length > 3 && args[3].equals("orders")) {
      orders(events, actors, accounts, args.length > 4 ? Integer.parseInt(args[4]) : 2);
      return;
    }
    Path dir = Files.createTempDirectory("vigil-flink-bench");
    List<String> all = generate(dir, events, actors, accounts);
    System.out.printf("input: %,d records, %,d actor keys, %d accounts, %d files%n", events, actors, accounts,
        (events + 4_999) / 5_000);

    double sigmaBase = inProcess(all, false);
    System.out.printf("in-process Sigma only, 1 thread: %,.0f events/s%n", sigmaBase);
    Map<String, AccountDetection> state = new LinkedHashMap<>();
    inProcessFull(all, state); // warm-up, saves included, so that the whole save below is not timed cold
    for (AccountDetection d : state.values()) {
      d.save(new MapAccountStore());
    }
    state.clear();
    double fullBase = inProcessFull(all, state);
    System.out.printf("in-process full (Sigma + behaviour + folding + incidents), 1 thread: %,.0f events/s%n",
        fullBase);
    long bytes = 0;
    long max = 0;
    Map<String, MapAccountStore> stores = new LinkedHashMap<>();
    long t = System.nanoTime();
    for (Map.Entry<String, AccountDetection> a : state.entrySet()) {
      MapAccountStore store = new MapAccountStore();
      a.getValue().save(store);
      stores.put(a.getKey(), store);
      bytes += store.size();
      max = Math.max(max, store.size());
    }
    double firstSave = (System.nanoTime() - t) / 1e6;
    long principalBytes = 0;
    long chunkBytes = 0;
    long chunks = 0;
    for (MapAccountStore st : stores.values()) {
      principalBytes += st.principalBytes;
      chunkBytes += st.chunkBytes;
      chunks += st.chunkWrites;
    }
    System.out.printf("account state after the run: %,d bytes in %d accounts (largest %,d), %,.0f bytes per actor key;"
        + " saving every account whole (the first save) %.0f ms%n", bytes, state.size(), max, (double) bytes / actors,
        firstSave);
    System.out.printf("  of which principal entries %,d bytes (%,.0f per principal), correlation inputs %,d bytes in %,d"
        + " chunks, the rest account values, folding and incidents%n", principalBytes, (double) principalBytes / actors,
        chunkBytes, chunks);
    t = System.nanoTime();
    for (Map.Entry<String, MapAccountStore> st : stores.entrySet()) {
      AccountDetection.load(state.get(st.getKey()).shared(), st.getValue());
    }
    System.out.printf("loading every account back from its store (a restore): %.0f ms%n", (System.nanoTime() - t) / 1e6);
    int tenth = all.size() / 10;
    checkpointCost(all.subList(all.size() - 2 * tenth, all.size() - tenth), 100, stores, state, firstSave);
    checkpointCost(all.subList(all.size() - tenth, all.size()), 1_000, stores, state, firstSave);
    state.clear(); // the jobs below run in this JVM: free the in-process accounts' objects first
    stores.clear();
    for (boolean full : new boolean[] {false, true}) {
      for (int p : new int[] {1, 2}) {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.setString("restart-strategy.type", "none"); // a failure ends the benchmark instead of restarting forever
        // the account state outgrows the JobManager's 5 MB in-memory checkpoint storage: checkpoints go to files
        conf.setString("execution.checkpointing.storage", "filesystem");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, conf);
        env.enableCheckpointing(5_000);
        var raw = VigilFlinkJob.fileSource(env, dir.toString());
        VigilFlinkJob.Streams s = full
            ? VigilFlinkJob.wireFull(raw, VigilFlinkJob.sigma(null), DetectionSetup.defaults(), Duration.ofMinutes(15))
            : VigilFlinkJob.wire(raw, VigilFlinkJob.sigma(null), Duration.ofMinutes(15));
        s.alerts().addSink(new DiscardingSink<>());
        if (s.incidents() != null) {
          s.incidents().addSink(new DiscardingSink<>());
        }
        long st = System.nanoTime();
        env.execute("bench " + (full ? "full" : "sigma") + " p" + p);
        double secs = (System.nanoTime() - st) / 1e9;
        double base = full ? fullBase : sigmaBase;
        System.out.printf("flink %s, parallelism %d: %,.0f events/s (%.1f s incl. job start; %.2fx the in-process loop)%n",
            full ? "full job" : "Sigma-only job", p, events / secs, secs, (events / secs) / base);
      }
    }
  }

  /**
   * What a checkpoint costs with the state saved in pieces: the accounts take {@code lines} again (the records of an
   * interval; every principal has state by then), and every {@code every} records each account that saw one saves
   * what changed; prints bytes and time per checkpoint against the whole state and its first (whole) save.
   */
  static void checkpointCost(List<String> lines, int every, Map<String, MapAccountStore> stores,
      Map<String, AccountDetection> state, double wholeSaveMillis) throws Exception {
    Detector sigma = VigilFlinkJob.sigma(null).create();
    java.util.Set<String> dirty = new java.util.HashSet<>();
    java.util.Set<String> principals = new java.util.HashSet<>();
    long written = 0;
    long principalBytes = 0;
    long chunkBytes = 0;
    long nanos = 0;
    long touched = 0;
    int saves = 0;
    int n = 0;
    for (String line : lines) {
      AuditEvent e = CloudTrailNormalizer.normalize(JSON.readTree(line), new AuditEvent.Origin("bench", 0));
      String account = ActorRecord.accountOf(e);
      state.get(account).event(e, sigma, a -> { });
      dirty.add(account);
      principals.add(e.actor().principalArn());
      if (++n % every == 0) {
        long t = System.nanoTime();
        for (String a : dirty) {
          MapAccountStore st = stores.get(a);
          st.resetCounters();
          written += state.get(a).save(st);
          principalBytes += st.principalBytes;
          chunkBytes += st.chunkBytes;
        }
        nanos += System.nanoTime() - t;
        saves++;
        touched += principals.size();
        dirty.clear();
        principals.clear();
      }
    }
    long whole = 0;
    for (MapAccountStore s : stores.values()) {
      whole += s.size();
    }
    double ms = nanos / 1e6 / saves;
    System.out.printf("checkpoint every %,d events (%d checkpoints, %,.0f principals acted in each): %,.0f bytes written"
        + " in %.1f ms on average; the whole state is %,d bytes: %.1f%% of its bytes and %.3fx the time of saving it"
        + " whole (%.0f ms)%n", every, saves, (double) touched / saves, (double) written / saves, ms, whole,
        100.0 * written / saves / whole, ms / wholeSaveMillis, wholeSaveMillis);
    System.out.printf("  of which principal entries %,.0f bytes (%,.0f per principal that acted), correlation-input"
        + " chunks %,.0f bytes%n", (double) principalBytes / saves, (double) principalBytes / touched,
        (double) chunkBytes / saves);
  }

  /** The full job in arrival order then in event-time order, per parallelism, {@code rounds} times. */
  static void orders(int events, int actors, int accounts, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("vigil-flink-bench");
    generate(dir, events, actors, accounts);
    System.out.printf("input: %,d records, %,d actor keys, %d accounts (in event-time order, 100 ms apart)%n", events,
        actors, accounts);
    for (int round = 1; round <= rounds; round++) {
      for (int p : new int[] {1, 2}) {
        double arrival = 0;
        for (VigilFlinkJob.Order order : new VigilFlinkJob.Order[] {VigilFlinkJob.Order.ARRIVAL,
            VigilFlinkJob.Order.EVENT_TIME}) {
          org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
          conf.setString("restart-strategy.type", "none");
          conf.setString("execution.checkpointing.storage", "filesystem");
          conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
          StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, conf);
          env.enableCheckpointing(5_000);
          VigilFlinkJob.Streams s = VigilFlinkJob.wireFull(VigilFlinkJob.fileSource(env, dir.toString()),
              VigilFlinkJob.sigma(null), DetectionSetup.defaults(), Duration.ofMinutes(15), order);
          s.alerts().addSink(new DiscardingSink<>());
          s.incidents().addSink(new DiscardingSink<>());
          long st = System.nanoTime();
          env.execute("bench full " + order.option + " p" + p);
          double rate = events / ((System.nanoTime() - st) / 1e9);
          if (order == VigilFlinkJob.Order.ARRIVAL) {
            arrival = rate;
          }
          System.out.printf("round %d, full job, parallelism %d, order %s: %,.0f events/s (%.2fx arrival order)%n",
              round, p, order.option, rate, rate / arrival);
        }
      }
    }
  }

  /** Parse + Sigma, as the Sigma-only job's detect stage does. */
  static double inProcess(List<String> lines, boolean unused) throws Exception {
    Detector d = VigilFlinkJob.sigma(null).create();
    long[] count = {0};
    long start = System.nanoTime();
    for (String line : lines) {
      AuditEvent e = CloudTrailNormalizer.normalize(JSON.readTree(line), new AuditEvent.Origin("bench", 0));
      d.accept(e, a -> count[0]++);
    }
    return lines.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** Parse + the full detection per account, as vigil detect runs it (and as the full job's account stage does). */
  static double inProcessFull(List<String> lines, Map<String, AccountDetection> accounts) throws Exception {
    Detector sigma = VigilFlinkJob.sigma(null).create();
    AccountDetection.Shared shared = DetectionSetup.defaults().shared();
    long[] count = {0};
    long start = System.nanoTime();
    for (String line : lines) {
      AuditEvent e = CloudTrailNormalizer.normalize(JSON.readTree(line), new AuditEvent.Origin("bench", 0));
      accounts.computeIfAbsent(ActorRecord.accountOf(e), k -> AccountDetection.fresh(shared))
          .event(e, sigma, a -> count[0]++);
    }
    return lines.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** S3 reads across 71 tenant buckets from 200 addresses, 2% GetCallerIdentity, spread over accounts. */
  static List<String> generate(Path dir, int events, int actors, int accounts) throws Exception {
    int perFile = 5_000;
    Instant t0 = Instant.parse("2026-03-19T00:00:00Z");
    List<String> all = new ArrayList<>(events);
    for (int f = 0; f * perFile < events; f++) {
      StringBuilder b = new StringBuilder("{\"Records\":[");
      for (int i = f * perFile; i < Math.min(events, (f + 1) * perFile); i++) {
        if (i > f * perFile) {
          b.append(',');
        }
        int actor = i % actors;
        String account = String.format("1111%08d", actor % accounts);
        String rec = "{\"eventVersion\":\"1.08\",\"eventTime\":\"" + t0.plusMillis(i * 100L) + "\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"" + (i % 50 == 0 ? "GetCallerIdentity" : "GetObject")
            + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"198.51.100." + (i % 200) + "\",\"eventID\":\"ev-" + i
            + "\",\"recipientAccountId\":\"" + account + "\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::"
            + account + ":user/u" + actor + "\",\"accountId\":\"" + account + "\",\"accessKeyId\":\"AKIA"
            + String.format("%016d", actor) + "\"},"
            + "\"requestParameters\":{\"bucketName\":\"tenant-" + (i % 71) + "\",\"key\":\"data/" + i + ".bin\"}}";
        b.append(rec);
        all.add(rec);
      }
      Path logs = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/19"));
      Files.writeString(logs.resolve(String.format("f%05d.json", f)), b.append("]}"));
    }
    return all;
  }
}
