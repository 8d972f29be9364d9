package dev.vigil.cli;

import dev.vigil.detect.Detector;
import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.behaviour.BehaviourState;
import dev.vigil.detect.behaviour.Honeytokens;
import dev.vigil.intel.IocFeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The behavioural engine's options for {@code vigil detect} (a mixin, so DetectCommand only adds it to its
 * detector list): configuration, state kept between runs, extra IOC feeds and the honeytoken watch list.
 */
final class BehaviourOptions {

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML thresholds and baselines of the behavioural detectors (overrides the defaults; "
          + "see docs/CONFIG.md).")
  Path config;

  @Option(names = "--state", paramLabel = "FILE",
      description = "Behavioural history: read at start if it exists, written at the end, so the next run "
          + "(a daily batch, a restart) remembers every actor's baseline.")
  Path state;

  @Option(names = "--feed", paramLabel = "FILE",
      description = "Extra IOC feed (vigil-ioc-feed v1 JSON) besides the bundled TeamPCP feed (repeatable).")
  List<Path> feeds = new ArrayList<>();

  @Option(names = "--watchlist", paramLabel = "FILE",
      description = "Honeytoken watch list written by 'vigil honeytoken create' (default: $VIGIL_HOME/"
          + "honeytokens.tsv, else ~/.vigil/honeytokens.tsv, when it exists).")
  Path watchlist;

  @Option(names = "--no-behaviour", description = "Do not run Vigil's behavioural detectors (Sigma rules only).")
  boolean noBehaviour;

  private BehaviourEngine engine;

  /** Adds the behavioural engine to {@code detectors} unless --no-behaviour. */
  void addTo(List<Detector> detectors) {
    if (noBehaviour) {
      return;
    }
    BehaviourConfig cfg;
    try {
      cfg = config == null ? BehaviourConfig.defaults() : BehaviourConfig.load(config);
    } catch (BehaviourConfig.ConfigException e) {
      throw new UserException(e.getMessage());
    }
    IocFeed feed = IocFeed.bundled();
    for (Path f : feeds) {
      if (!Files.isRegularFile(f)) {
        throw new UserException(f + ": no such feed file");
      }
      try {
        feed = feed.merge(IocFeed.load(f));
      } catch (RuntimeException e) {
        throw new UserException(f + ": " + e.getMessage());
      }
    }
    Path wl = watchlist != null ? watchlist : Honeytokens.defaultPath();
    if (watchlist != null && !Files.isRegularFile(watchlist)) {
      throw new UserException(watchlist + ": no such watch list (create one with 'vigil honeytoken create')");
    }
    try {
      BehaviourState s = state == null ? new BehaviourState() : BehaviourState.load(state);
      engine = BehaviourEngine.create(cfg, feed, s, Honeytokens.load(wl).keySet());
    } catch (IOException e) {
      throw new UserException(e.getMessage());
    }
    System.err.println("vigil: note: " + BehaviourEngine.GEO_NOTICE);
    detectors.add(engine);
  }

  /** Saves the state when --state was given. Call after every detector finished. */
  void afterRun() throws IOException {
    if (engine != null && state != null) {
      engine.saveState(state);
    }
  }
}
