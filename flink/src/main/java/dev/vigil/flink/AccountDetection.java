package dev.vigil.flink;

import dev.vigil.detect.Alert;
import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.behaviour.BehaviourState;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.sigma.SigmaRuleSet;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.intel.IocFeed;
import dev.vigil.ingest.AuditEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What Vigil's detection keeps for one AWS account, as {@code vigil detect} runs it over that account's events
 * (see cli's DetectionRun): the behavioural engine (its per-principal baselines and the account-wide suspects and
 * tainted keys), the folding of repeated alerts, and the incident tracker. Events go in; admitted alerts and incident
 * updates come out. {@link #write}/{@link #read} give the whole of it as bytes for Flink keyed state.
 */
final class AccountDetection {
  /** Bump when the byte layout changes. 2: deflated after the format number. 3: correlation inputs. */
  static final int FORMAT = 3;
  /** Correlation inputs kept per account at most (the oldest go first). */
  static final int MAX_CORRELATION_INPUTS = 10_000;

  /** What every account shares in one operator instance: configuration, intelligence, the codec. */
  static final class Shared {
    final BehaviourConfig config;
    final IocFeed feed;
    final Set<String> honeytokens;
    final TenantMap tenants;
    final Duration fold;
    final TrackerCodec.Relay relay = new TrackerCodec.Relay();
    final TrackerCodec codec;

    Shared(BehaviourConfig config, IocFeed feed, Set<String> honeytokens, TenantMap tenants, Duration fold) {
      this.config = config;
      this.feed = feed;
      this.honeytokens = Set.copyOf(honeytokens);
      this.tenants = tenants;
      this.fold = fold;
      this.codec = new TrackerCodec(tenants, relay);
    }
  }

  final BehaviourEngine engine;
  final AlertSuppression suppression;
  final IncidentTracker tracker;
  private final Shared shared;
  /**
   * The account's events that matched a rule feeding a Sigma correlation, within the correlations' longest timespan
   * (and {@link #MAX_CORRELATION_INPUTS}): the rule set's open windows are rebuilt from them after a restart.
   */
  private final java.util.ArrayDeque<AuditEvent> correlationInputs = new java.util.ArrayDeque<>();

  private AccountDetection(Shared shared, BehaviourEngine engine, AlertSuppression suppression,
      IncidentTracker tracker) {
    this.shared = shared;
    this.engine = engine;
    this.suppression = suppression;
    this.tracker = tracker;
  }

  Shared shared() {
    return shared;
  }

  static AccountDetection fresh(Shared s) {
    return new AccountDetection(s, BehaviourEngine.create(s.config, s.feed, new BehaviourState(), s.honeytokens),
        suppression(s), new IncidentTracker(s.tenants, s.relay));
  }

  private static AlertSuppression suppression(Shared s) {
    return new AlertSuppression(s.fold, 100_000);
  }

  /**
   * One event, in DetectionRun's order: the Sigma rules then the behavioural engine; every alert they raise passes
   * the folding and, if admitted, goes to {@code alerts} and to the tracker; then the tracker observes the event.
   */
  void event(AuditEvent e, Detector sigma, Consumer<Alert> alerts) {
    Consumer<Alert> admit = a -> {
      if (suppression.admit(a)) {
        alerts.accept(a);
        tracker.alert(a);
      }
    };
    if (sigma instanceof SigmaRuleSet rules) {
      rules.onCorrelationInput(x -> keep(x, rules));
      sigma.accept(e, admit);
      rules.onCorrelationInput(null);
    } else if (sigma != null) {
      sigma.accept(e, admit);
    }
    engine.accept(e, admit);
    tracker.observe(e);
  }

  private void keep(AuditEvent e, SigmaRuleSet rules) {
    if (correlationInputs.peekLast() == e) {
      return; // matched several rules feeding correlations
    }
    correlationInputs.addLast(e);
    long since = e.time().toEpochMilli() - rules.correlationHorizon().toMillis();
    while (correlationInputs.size() > MAX_CORRELATION_INPUTS
        || correlationInputs.peekFirst().time().toEpochMilli() < since) {
      correlationInputs.removeFirst();
    }
  }

  /**
   * After a restart (a new rule set, no open correlation windows): feeds this account's kept correlation inputs
   * through {@code sigma} again, in their order, discarding what it raises (it was raised before the checkpoint).
   */
  void restoreSigma(Detector sigma) {
    if (sigma == null) {
      return;
    }
    for (AuditEvent e : correlationInputs) {
      sigma.accept(e, a -> { });
    }
  }

  /** End of a bounded input: the engine's pending alerts, then the tracker's final figures. */
  void finish(Consumer<Alert> alerts) {
    engine.finish(a -> {
      if (suppression.admit(a)) {
        alerts.accept(a);
        tracker.alert(a);
      }
    });
    tracker.finish();
  }

  byte[] write() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
      new DataOutputStream(bytes).writeInt(FORMAT);
      // the recent events (raw records) are most of the bytes and deflate well; fastest level: this runs while the
      // checkpoint's synchronous phase holds up processing
      java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED);
      java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(bytes, deflater, 64 * 1024);
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(z, 64 * 1024));
      ByteArrayOutputStream state = new ByteArrayOutputStream(8 * 1024);
      engine.state().write(state);
      out.writeInt(state.size());
      state.writeTo(out);
      Map<String, List<AuditEvent>> recent = engine.recentEvents();
      out.writeInt(recent.size());
      for (Map.Entry<String, List<AuditEvent>> r : recent.entrySet()) {
        out.writeUTF(r.getKey());
        out.writeInt(r.getValue().size());
        for (AuditEvent e : r.getValue()) {
          writeLong(out, e.raw().toString());
          out.writeUTF(e.origin().source());
          out.writeLong(e.origin().index());
        }
      }
      Map<String, Long> folded = suppression.remembered();
      out.writeLong(suppression.folded());
      out.writeInt(folded.size());
      for (Map.Entry<String, Long> f : folded.entrySet()) {
        out.writeUTF(f.getKey());
        out.writeLong(f.getValue());
      }
      byte[] t = shared.codec.write(tracker);
      out.writeInt(t.length);
      out.write(t);
      out.writeInt(correlationInputs.size());
      for (AuditEvent e : correlationInputs) {
        writeLong(out, e.raw().toString());
        out.writeUTF(e.origin().source());
        out.writeLong(e.origin().index());
      }
      out.flush();
      z.finish();
      deflater.end();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AccountDetection read(Shared s, byte[] data) {
    try {
      ByteArrayInputStream packed = new ByteArrayInputStream(data);
      int format = new DataInputStream(packed).readInt();
      if (format != FORMAT) {
        throw new IOException("account state format " + format + " is not supported (expected " + FORMAT + ")");
      }
      DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
          new java.util.zip.InflaterInputStream(packed), 64 * 1024));
      byte[] state = in.readNBytes(in.readInt());
      BehaviourEngine engine = BehaviourEngine.create(s.config, s.feed,
          BehaviourState.read(new ByteArrayInputStream(state)), s.honeytokens);
      int principals = in.readInt();
      Map<String, List<AuditEvent>> recent = new LinkedHashMap<>();
      for (int i = 0; i < principals; i++) {
        String p = in.readUTF();
        int n = in.readInt();
        List<AuditEvent> events = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          String raw = readLong(in);
          events.add(TrackerCodec.event(raw, in.readUTF(), in.readLong()));
        }
        recent.put(p, events);
      }
      engine.restoreRecentEvents(recent);
      AlertSuppression suppression = suppression(s);
      long foldedSoFar = in.readLong();
      int n = in.readInt();
      Map<String, Long> remembered = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        remembered.put(in.readUTF(), in.readLong());
      }
      suppression.restore(remembered, foldedSoFar);
      IncidentTracker tracker = s.codec.read(in.readNBytes(in.readInt()));
      AccountDetection d = new AccountDetection(s, engine, suppression, tracker);
      int inputs = in.readInt();
      for (int i = 0; i < inputs; i++) {
        String raw = readLong(in);
        d.correlationInputs.addLast(TrackerCodec.event(raw, in.readUTF(), in.readLong()));
      }
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** writeUTF stops at 64 KB; a CloudTrail record can be larger. */
  private static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLong(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
  }
}
