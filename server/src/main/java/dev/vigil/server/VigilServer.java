package dev.vigil.server;

import dev.vigil.detect.Detector;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.store.StoredIncident;
import dev.vigil.store.VigilStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/** The whole service: store, detection pipeline, optional directory watch, API and dashboard. */
public final class VigilServer implements AutoCloseable {
  private final VigilStore store;
  private final IngestPipeline pipeline;
  private final ApiServer api;
  private final DirectoryIngest watch;

  public VigilServer(VigilStore store, List<Detector> detectors, TenantMap tenants, InetSocketAddress listen,
      Path watchDir, BiConsumer<String, StoredIncident> notifier) throws IOException {
    this.store = store;
    this.pipeline = new IngestPipeline(store, detectors, tenants, notifier);
    this.api = new ApiServer(store, pipeline, listen, ApiServer.DEFAULT_MAX_BODY,
        new ApiServer.RateLimiter(2000, 1000));
    this.watch = watchDir == null ? null : new DirectoryIngest(pipeline, watchDir, Duration.ofSeconds(2));
  }

  /** Rebuilds detection state from the stored events (see {@link IngestPipeline#recover}), then serves. */
  public VigilServer start() {
    try {
      long replayed = pipeline.recover();
      if (replayed > 0) {
        System.err.println("vigil serve: detection state rebuilt from " + replayed + " stored event(s)");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot replay the stored events: " + e.getMessage(), e);
    }
    api.start();
    if (watch != null) {
      watch.start();
    }
    return this;
  }

  public InetSocketAddress address() {
    return api.address();
  }

  public String url() {
    return "http://" + address().getHostString() + ":" + address().getPort() + "/";
  }

  public IngestPipeline pipeline() {
    return pipeline;
  }

  public VigilStore store() {
    return store;
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    api.close();
  }
}
