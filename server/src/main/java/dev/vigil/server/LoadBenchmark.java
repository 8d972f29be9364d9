package dev.vigil.server;

import dev.vigil.detect.incident.TenantMap;
import dev.vigil.store.Role;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.Touch;
import dev.vigil.store.User;
import dev.vigil.store.VigilStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded load test on loopback (a benchmark, not a unit test):
 * {@code java -cp cli/target/vigil.jar dev.vigil.server.LoadBenchmark [events] [readers] [seconds] [db]}.
 * POSTs {@code events} generated CloudTrail events in batches of 5000 (store + de-duplication, no detectors), then
 * runs {@code readers} concurrent clients on {@code GET /api/incidents} for {@code seconds}, beside a baseline of
 * the same clients on {@code GET /api/openapi.json} (no authentication, no store).
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int readers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path tmp = Files.createTempDirectory("vigil-load");
    String db = args.length > 3 ? args[3] : tmp.resolve("store").toString();
    try (VigilStore store = VigilStore.open(db)) {
      store.putUser(new User("bench", Role.ADMIN, null));
      String token = store.issueToken("bench");
      for (int i = 0; i < 200; i++) {
        store.putIncident(new StoredIncident("inc-" + i, "Synthetic incident " + i, "high", 3 + i % 2, "open", null,
            i, i, "{\"n\":" + i + "}", List.of(Touch.tenant("t" + i % 20), Touch.key("AKIA" + i))));
      }
      try (VigilServer server = new VigilServer(store, List.of(), TenantMap.defaults(),
          new InetSocketAddress("127.0.0.1", 0), null, (k, i) -> { }).start()) {
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        long t0 = System.nanoTime();
        int batch = 5000;
        for (long sent = 0; sent < events; sent += batch) {
          StringBuilder b = new StringBuilder(batch * 420).append("{\"Records\":[");
          for (long i = sent; i < Math.min(events, sent + batch); i++) {
            if (i > sent) {
              b.append(',');
            }
            b.append("{\"eventVersion\":\"1.09\",\"eventTime\":\"2026-03-19T10:00:00Z\",\"eventID\":\"load-").append(i)
                .append("\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\","
                    + "\"sourceIPAddress\":\"192.0.2.").append(i % 250).append("\",\"userAgent\":\"aws-cli/2.15.0\","
                    + "\"userIdentity\":{\"type\":\"IAMUser\",\"accessKeyId\":\"AKIALOAD0000000000").append(i % 10)
                .append("\",\"accountId\":\"111122223333\"},\"requestParameters\":{\"bucketName\":\"tenant-")
                .append(i % 71).append("\",\"key\":\"mail/").append(i).append(".eml\"},"
                    + "\"additionalEventData\":{\"bytesTransferredOut\":1234},\"readOnly\":true}");
          }
          b.append("]}");
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/events"))
              .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(b.toString()))
              .build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("POST answered " + r.statusCode() + ": " + r.body());
          }
        }
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("POST %,d events in batches of %d: %.1f s, %,.0f events/s (stored %,d)%n", events, batch,
            ingestSeconds, events / ingestSeconds, store.eventCount());
        report("GET /api/openapi.json (baseline)", run(client, server.url() + "api/openapi.json", null, readers,
            Math.max(5, seconds / 3)));
        report("GET /api/incidents?limit=50", run(client, server.url() + "api/incidents?limit=50", token, readers,
            seconds));
      }
    }
  }

  private static void report(String what, long[] latencies) {
    long[] l = latencies;
    Arrays.sort(l);
    System.out.printf("%s: %,d requests, p50 %.2f ms, p99 %.2f ms%n", what, l.length, l[l.length / 2] / 1e6,
        l[(int) (l.length * 0.99)] / 1e6);
  }

  private static long[] run(HttpClient unused, String url, String token, int readers, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<long[]>> futures = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int r = 0; r < readers; r++) {
      futures.add(pool.submit(() -> {
        HttpClient c = HttpClient.newHttpClient();
        long[] lat = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end) {
          HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
          if (token != null) {
            b.header("Authorization", "Bearer " + token);
          }
          long s = System.nanoTime();
          HttpResponse<byte[]> resp = c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
          if (resp.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + resp.statusCode());
          }
          if (n == lat.length) {
            lat = Arrays.copyOf(lat, n * 2);
          }
          lat[n++] = System.nanoTime() - s;
        }
        return Arrays.copyOf(lat, n);
      }));
    }
    List<long[]> all = new ArrayList<>();
    int total = 0;
    for (Future<long[]> f : futures) {
      long[] l = f.get();
      all.add(l);
      total += l.length;
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    long[] merged = new long[total];
    int at = 0;
    for (long[] l : all) {
      System.arraycopy(l, 0, merged, at, l.length);
      at += l.length;
    }
    System.out.printf("  %d readers for %.0f s: %,.0f requests/s%n", readers, elapsed, total / elapsed);
    return merged;
  }
}
