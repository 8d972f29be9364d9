package dev.vigil.flink;

import dev.vigil.detect.Alert;
import dev.vigil.detect.AlertSuppression;
import dev.vigil.detect.Detector;
import dev.vigil.detect.behaviour.ActorProfile;
import dev.vigil.detect.behaviour.BehaviourConfig;
import dev.vigil.detect.behaviour.BehaviourEngine;
import dev.vigil.detect.behaviour.BehaviourState;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.detect.sigma.SigmaRuleSet;
import dev.vigil.intel.IocFeed;
import dev.vigil.ingest.AuditEvent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * What Vigil's detection keeps for one AWS account, as {@code vigil detect} runs it over that account's events
 * (see cli's DetectionRun): the behavioural engine (its per-principal baselines and the account-wide suspects and
 * tainted keys), the folding of repeated alerts, and the incident tracker. Events go in; admitted alerts and incident
 * updates come out.
 *
 * <p>{@link #save} writes it to an {@link AccountStore} in pieces, and only the pieces that changed since the last save:
 * the profiles (with their recent events) of the principals that acted, the correlation inputs added and expired, the
 * folding and the tracker only when an alert or a followed credential changed them, and the small account-wide part.
 * A checkpoint therefore costs what changed in its interval, not the size of the account.
 */
final class AccountDetection {
  /** Bump when the byte layout changes. 4: saved in pieces (AccountStore); 3 was one blob per account. */
  static final int FORMAT = 4;
  /** Correlation inputs kept per account at most (the oldest go first). */
  static final int MAX_CORRELATION_INPUTS = 10_000;
  /**
   * Correlation inputs per stored chunk: deflating records one by one saves little (each is a few hundred bytes of
   * JSON), a chunk of similar records deflates well; and one value per chunk keeps the entries few.
   */
  static final int INPUT_CHUNK = 128;

  /** What every account shares in one operator instance: configuration, intelligence, the codecs. */
  static final class Shared {
    final BehaviourConfig config;
    final IocFeed feed;
    final Set<String> honeytokens;
    final TenantMap tenants;
    final Duration fold;
    final TrackerCodec.Relay relay = new TrackerCodec.Relay();
    final TrackerCodec codec;
    /** Reused for every value written (fastest level: saving runs in the checkpoint's synchronous phase). */
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);

    Shared(BehaviourConfig config, IocFeed feed, Set<String> honeytokens, TenantMap tenants, Duration fold) {
      this.config = config;
      this.feed = feed;
      this.honeytokens = Set.copyOf(honeytokens);
      this.tenants = tenants;
      this.fold = fold;
      this.codec = new TrackerCodec(tenants, relay);
    }

    /** Deflated bytes of what {@code body} writes. */
    byte[] pack(Body body) {
      try {
        buffer.reset();
        deflater.reset();
        DeflaterOutputStream z = new DeflaterOutputStream(buffer, deflater, 8 * 1024);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(z, 8 * 1024));
        body.write(out);
        out.flush();
        z.finish();
        return buffer.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  final BehaviourEngine engine;
  final AlertSuppression suppression;
  final IncidentTracker tracker;
  private final Shared shared;
  /**
   * The account's events that matched a rule feeding a Sigma correlation, within the correlations' longest timespan
   * (and {@link #MAX_CORRELATION_INPUTS}): the rule set's open windows are rebuilt from them after a restart. Numbered
   * from {@link #firstInput}; the store holds numbers {@link #storedFirst} to {@link #storedEnd} (exclusive), in chunks
   * of {@link #INPUT_CHUNK} by number.
   */
  private final ArrayDeque<AuditEvent> correlationInputs = new ArrayDeque<>();
  private long firstInput;
  private long storedFirst;
  private long storedEnd;
  /** Whether the folding or the tracker changed since the last save (fresh accounts: nothing saved yet). */
  private boolean foldingChanged = true;
  private boolean trackerChanged = true;

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
    BehaviourState state = new BehaviourState();
    state.trackChanges(0);
    return new AccountDetection(s, BehaviourEngine.create(s.config, s.feed, state, s.honeytokens),
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
    Consumer<Alert> admit = a -> admit(a, alerts);
    if (sigma instanceof SigmaRuleSet rules) {
      rules.onCorrelationInput(x -> keep(x, rules));
      sigma.accept(e, admit);
      rules.onCorrelationInput(null);
    } else if (sigma != null) {
      sigma.accept(e, admit);
    }
    engine.accept(e, admit);
    if (tracker.followsCredentials()) {
      trackerChanged = true;
    }
    tracker.observe(e);
  }

  /** An alert of this account through the folding; if admitted, to {@code alerts} and the tracker. */
  void admit(Alert a, Consumer<Alert> alerts) {
    foldingChanged = true;
    if (suppression.admit(a)) {
      trackerChanged = true;
      alerts.accept(a);
      tracker.alert(a);
    }
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
      firstInput++;
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

  /** The correlation inputs kept, oldest first. */
  List<AuditEvent> correlationInputs() {
    return List.copyOf(correlationInputs);
  }

  /** End of a bounded input: the engine's pending alerts, then the tracker's final figures. */
  void finish(Consumer<Alert> alerts) {
    engine.finish(a -> admit(a, alerts));
    trackerChanged = true;
    tracker.finish();
  }

  /**
   * Writes what changed since the last save (or since {@link #fresh}/{@link #load}) to {@code store}, which must be
   * this account's. Returns the bytes written.
   */
  long save(AccountStore store) throws Exception {
    long bytes = 0;
    for (Map.Entry<String, BehaviourState.ProfileChange> c : engine.state().drainChanges().entrySet()) {
      BehaviourState.ProfileChange change = c.getValue();
      if (change.profile() == null) {
        store.removePrincipal(c.getKey());
        continue;
      }
      // in order of latest access, which leaves the engine's recent-events order as it was (see recentEvents)
      List<AuditEvent> recent = engine.recentEvents(c.getKey());
      byte[] b = shared.pack(out -> {
        out.writeLong(change.access());
        ByteArrayOutputStream json = new ByteArrayOutputStream(2048);
        BehaviourState.writeProfile(change.profile(), json);
        out.writeInt(json.size());
        json.writeTo(out);
        writeEvents(out, recent);
      });
      store.putPrincipal(c.getKey(), b);
      bytes += b.length;
    }
    // correlation inputs in chunks of INPUT_CHUNK by number: expired chunks leave, new ones are written, and the chunk
    // that was partly written last time is written again (at most INPUT_CHUNK events more than the new ones)
    long end = firstInput + correlationInputs.size();
    for (long c = storedFirst / INPUT_CHUNK; c < firstInput / INPUT_CHUNK && c * INPUT_CHUNK < storedEnd; c++) {
      store.removeCorrelationInput(c);
    }
    if (end > storedEnd) {
      long fromChunk = Math.max(storedEnd, firstInput) / INPUT_CHUNK;
      List<AuditEvent> chunk = new ArrayList<>(INPUT_CHUNK);
      long q = firstInput;
      for (AuditEvent e : correlationInputs) {
        if (q / INPUT_CHUNK >= fromChunk) {
          chunk.add(e);
          if ((q + 1) % INPUT_CHUNK == 0 || q + 1 == end) {
            long first = q + 1 - chunk.size();
            byte[] b = shared.pack(out -> {
              out.writeLong(first);
              writeEvents(out, chunk);
            });
            store.putCorrelationInput(q / INPUT_CHUNK, b);
            bytes += b.length;
            chunk.clear();
          }
        }
        q++;
      }
    }
    storedFirst = firstInput;
    storedEnd = end;
    if (foldingChanged) {
      Map<String, Long> folded = suppression.remembered();
      byte[] b = shared.pack(out -> {
        out.writeLong(suppression.folded());
        out.writeInt(folded.size());
        for (Map.Entry<String, Long> f : folded.entrySet()) {
          out.writeUTF(f.getKey());
          out.writeLong(f.getValue());
        }
      });
      store.folding(b);
      bytes += b.length;
      foldingChanged = false;
    }
    if (trackerChanged) {
      byte[] t = shared.codec.write(tracker);
      byte[] b = shared.pack(out -> out.write(t));
      store.incidents(b);
      bytes += b.length;
      trackerChanged = false;
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
    engine.state().writeWithoutProfiles(json);
    byte[] packed = shared.pack(out -> {
      out.writeLong(engine.state().accesses());
      out.writeInt(json.size());
      json.writeTo(out);
      out.writeLong(firstInput);
      out.writeInt(correlationInputs.size());
    });
    byte[] account = new byte[4 + packed.length];
    ByteBuffer.wrap(account).putInt(FORMAT).put(packed);
    store.account(account);
    return bytes + account.length;
  }

  /** The account as {@link #save} left it in {@code store}; null if the store holds nothing for it. */
  static AccountDetection load(Shared s, AccountStore store) throws Exception {
    byte[] account = store.account();
    if (account == null) {
      return null;
    }
    int format = ByteBuffer.wrap(account).getInt();
    if (format != FORMAT) {
      throw new IOException("account state format " + format + " is not supported (expected " + FORMAT + ")");
    }
    DataInputStream in = unpack(account, 4);
    long accesses = in.readLong();
    BehaviourState state = BehaviourState.read(new ByteArrayInputStream(in.readNBytes(in.readInt())));
    long firstInput = in.readLong();
    int inputs = in.readInt();

    record Principal(String name, long access, ActorProfile profile, List<AuditEvent> recent) {}
    List<Principal> principals = new ArrayList<>();
    for (Map.Entry<String, byte[]> p : store.principals()) {
      DataInputStream pin = unpack(p.getValue(), 0);
      long access = pin.readLong();
      byte[] json = pin.readNBytes(pin.readInt());
      principals.add(new Principal(p.getKey(), access, BehaviourState.readProfile(json, 0, json.length),
          readEvents(pin)));
    }
    principals.sort(java.util.Comparator.comparingLong(Principal::access));
    Map<String, List<AuditEvent>> recent = new LinkedHashMap<>();
    for (Principal p : principals) {
      state.restoreProfile(p.name(), p.profile());
      if (!p.recent().isEmpty()) {
        recent.put(p.name(), p.recent());
      }
    }
    state.trackChanges(accesses);
    BehaviourEngine engine = BehaviourEngine.create(s.config, s.feed, state, s.honeytokens);
    engine.restoreRecentEvents(recent);

    AlertSuppression suppression = suppression(s);
    if (store.folding() != null) {
      DataInputStream fin = unpack(store.folding(), 0);
      long foldedSoFar = fin.readLong();
      int n = fin.readInt();
      Map<String, Long> remembered = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        remembered.put(fin.readUTF(), fin.readLong());
      }
      suppression.restore(remembered, foldedSoFar);
    }
    IncidentTracker tracker = store.incidents() == null ? new IncidentTracker(s.tenants, s.relay)
        : s.codec.read(unpack(store.incidents(), 0).readAllBytes());
    AccountDetection d = new AccountDetection(s, engine, suppression, tracker);
    long end = firstInput + inputs;
    for (long c = firstInput / INPUT_CHUNK; c * INPUT_CHUNK < end; c++) {
      byte[] b = store.correlationInput(c);
      if (b == null) {
        throw new IOException("chunk " + c + " of the account's correlation inputs is missing from its state");
      }
      DataInputStream cin = unpack(b, 0);
      long q = cin.readLong();
      for (AuditEvent e : readEvents(cin)) {
        if (q >= firstInput && q < end) {
          d.correlationInputs.addLast(e);
        }
        q++;
      }
    }
    if (d.correlationInputs.size() != inputs) {
      throw new IOException("the account's state holds " + d.correlationInputs.size() + " of its " + inputs
          + " correlation inputs");
    }
    d.firstInput = firstInput;
    d.storedFirst = firstInput;
    d.storedEnd = firstInput + inputs;
    d.foldingChanged = store.folding() == null;
    d.trackerChanged = store.incidents() == null;
    return d;
  }

  private static DataInputStream unpack(byte[] b, int offset) {
    return new DataInputStream(new BufferedInputStream(
        new InflaterInputStream(new ByteArrayInputStream(b, offset, b.length - offset)), 8 * 1024));
  }

  /** Events as their raw CloudTrail record and origin; normalised again on read. */
  private static void writeEvents(DataOutputStream out, List<AuditEvent> events) throws IOException {
    out.writeInt(events.size());
    for (AuditEvent e : events) {
      byte[] raw = e.raw().toString().getBytes(StandardCharsets.UTF_8); // writeUTF stops at 64 KB
      out.writeInt(raw.length);
      out.write(raw);
      out.writeUTF(e.origin().source());
      out.writeLong(e.origin().index());
    }
  }

  private static List<AuditEvent> readEvents(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<AuditEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String raw = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
      events.add(TrackerCodec.event(raw, in.readUTF(), in.readLong()));
    }
    return events;
  }
}
