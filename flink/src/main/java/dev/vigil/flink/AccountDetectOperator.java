package dev.vigil.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.detect.incident.OcsfIncidents;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The full detection of one AWS account per key (the stream is keyed by {@code recipientAccountId}): Vigil's Sigma
 * rules, its behavioural engine, the folding of repeats and the incident tracker, exactly as {@code vigil detect}
 * runs them (see {@link AccountDetection}). Alerts leave on the main output as OCSF Detection Findings; incident
 * changes leave on {@link #INCIDENTS} as OCSF Incident Findings with {@code metadata.sequence} = the incident's
 * revision, so (uid, sequence) identifies an update and a consumer can upsert idempotently.
 *
 * <p>State: each account's {@link AccountDetection} lives as objects in a bounded in-memory cache and in keyed state
 * (RocksDB or heap) in pieces ({@link AccountStore}): a {@code MapState} entry per principal (its profile and recent
 * events), a {@code MapState} entry per chunk of 128 Sigma correlation inputs, and small values for the account-wide
 * part, the folding and the incident tracker. When a checkpoint is taken ({@link #snapshotState}), or when an account
 * leaves the cache, the accounts that changed write the pieces that changed: the principals that acted, the correlation
 * inputs added or expired, the folding and tracker only if an alert or a followed credential changed them. So a
 * checkpoint costs what changed in its interval, and RocksDB's incremental checkpoints upload only that. Pieces are
 * written at checkpoints rather than per event because a principal acting a thousand times in an interval is then
 * written once. An operator rather than a {@code KeyedProcessFunction} because only an operator can switch the current
 * key while snapshotting.
 *
 * <p>The Sigma rule set is one instance per subtask; its open correlation windows are rebuilt after a restart from
 * the correlation inputs each account keeps (see {@link AccountDetection#restoreSigma}), the first time the account is
 * loaded.
 */
public class AccountDetectOperator extends AbstractStreamOperator<String>
    implements OneInputStreamOperator<ActorRecord, String> {
  public static final OutputTag<String> INCIDENTS = new OutputTag<>("incidents") {};
  /** The account-wide value; an account has detection state if and only if it has this. */
  static final String STATE_NAME = "vigil-account";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DetectorFactory sigmaFactory;
  private final DetectionSetup setup;
  private final int cachedAccounts;
  /** In arrival order this stage counts the late records (in event-time order {@link EventTimeOrder} does). */
  private final boolean countLate;

  private transient Detector sigma;
  private transient AccountDetection.Shared shared;
  private transient KeyedAccountStore stored;
  private transient LinkedHashMap<String, AccountDetection> live;
  private transient Set<String> dirty;
  /** Accounts whose correlation windows this instance's rule set already holds (seen since open()). */
  private transient Set<String> inRuleSet;
  private transient Counter alerts;
  private transient Counter incidents;
  private transient Counter late;
  private transient long watermark;
  private transient long lastSnapshotBytes;
  private transient long lastSnapshotAccounts;

  /**
   * @param sigmaFactory   the Sigma rule set (null: behaviour and incidents only)
   * @param cachedAccounts how many accounts keep live objects in memory; the others are read back from state
   * @param countLate      count records behind the watermark in the {@code lateRecords} metric (arrival order)
   */
  public AccountDetectOperator(DetectorFactory sigmaFactory, DetectionSetup setup, int cachedAccounts,
      boolean countLate) {
    this.sigmaFactory = sigmaFactory;
    this.setup = setup;
    this.cachedAccounts = cachedAccounts;
    this.countLate = countLate;
  }

  @Override
  public void open() throws Exception {
    super.open();
    sigma = sigmaFactory == null ? null : sigmaFactory.create();
    shared = setup.shared();
    shared.relay.target = this::incident;
    stored = new KeyedAccountStore(value(STATE_NAME), value("vigil-folding"), value("vigil-incidents"),
        getPartitionedState(new MapStateDescriptor<>("vigil-principals", String.class, byte[].class)),
        getPartitionedState(new MapStateDescriptor<>("vigil-correlation-inputs", Long.class, byte[].class)));
    live = new LinkedHashMap<>(64, 0.75f, true);
    dirty = new LinkedHashSet<>();
    inRuleSet = new java.util.HashSet<>();
    alerts = getMetricGroup().counter("alerts");
    incidents = getMetricGroup().counter("incidentUpdates");
    late = getMetricGroup().counter("lateRecords");
    watermark = Long.MIN_VALUE;
    getMetricGroup().gauge("lastSnapshotBytes", () -> lastSnapshotBytes);
    getMetricGroup().gauge("lastSnapshotAccounts", () -> lastSnapshotAccounts);
  }

  @Override
  public void processWatermark(org.apache.flink.streaming.api.watermark.Watermark mark) throws Exception {
    watermark = mark.getTimestamp();
    super.processWatermark(mark);
  }

  /** Records evaluated behind the watermark since this instance opened (arrival order only). */
  long lateRecords() {
    return late.getCount();
  }

  private ValueState<byte[]> value(String name) throws Exception {
    return getPartitionedState(new ValueStateDescriptor<>(name, byte[].class));
  }

  @Override
  public void processElement(StreamRecord<ActorRecord> element) throws Exception {
    if (countLate && element.hasTimestamp() && element.getTimestamp() <= watermark) {
      late.inc(); // evaluated all the same, in the order it came
    }
    String account = (String) getCurrentKey();
    AccountDetection d = detection(account);
    AuditEvent e = CloudTrailNormalizer.normalize(JSON.readTree(element.getValue().json),
        new AuditEvent.Origin("flink", element.getValue().index));
    d.event(e, sigma, this::alert);
    dirty.add(account);
  }

  private AccountDetection detection(String account) throws Exception {
    AccountDetection d = live.get(account);
    if (d == null) {
      d = AccountDetection.load(shared, stored);
      boolean restored = d != null;
      if (d == null) {
        d = AccountDetection.fresh(shared);
      }
      if (inRuleSet.add(account) && restored) {
        d.restoreSigma(sigma); // first time since a (re)start: rebuild its open Sigma correlation windows
      }
      live.put(account, d);
      if (live.size() > cachedAccounts) {
        evictEldest(account);
      }
    }
    return d;
  }

  /** Writes the least recently used account back to state and drops its objects. */
  private void evictEldest(String current) throws Exception {
    var it = live.entrySet().iterator();
    Map.Entry<String, AccountDetection> eldest = it.next();
    if (dirty.remove(eldest.getKey())) {
      setCurrentKey(eldest.getKey());
      eldest.getValue().save(stored);
      setCurrentKey(current);
    }
    it.remove();
  }

  private void alert(Alert a) {
    alerts.inc();
    output.collect(new StreamRecord<>(OcsfFindings.detectionFinding(a).toString()));
  }

  private void incident(IncidentUpdate u) {
    incidents.inc();
    ObjectNode finding = OcsfIncidents.incidentFinding(u);
    ((ObjectNode) finding.get("metadata")).put("sequence", u.incident().revision());
    output.collect(INCIDENTS, new StreamRecord<>(finding.toString()));
  }

  /** Before Flink snapshots keyed state: the accounts changed since the last checkpoint write what changed. */
  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    Object current = getCurrentKey();
    long bytes = 0;
    for (String account : dirty) {
      setCurrentKey(account);
      bytes += live.get(account).save(stored);
    }
    lastSnapshotBytes = bytes;
    lastSnapshotAccounts = dirty.size();
    dirty.clear();
    if (current != null) {
      setCurrentKey(current);
    }
    super.snapshotState(context);
  }

  /** End of a bounded input (files, tests): pending alerts and every incident's final figures, as vigil detect. */
  @Override
  public void finish() throws Exception {
    Set<String> accounts = new LinkedHashSet<>();
    try (java.util.stream.Stream<Object> keys =
        getKeyedStateBackend().<VoidNamespace>getKeys(STATE_NAME, VoidNamespace.INSTANCE)) {
      keys.forEach(k -> accounts.add((String) k));
    }
    accounts.addAll(live.keySet());
    if (sigma != null) {
      // correlations still open at the end: each alert belongs to the account of its trigger event
      sigma.finish(a -> {
        try {
          String account = ActorRecord.accountOf(a.trigger());
          setCurrentKey(account);
          detection(account).admit(a, this::alert);
          dirty.add(account);
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
      });
    }
    for (String account : accounts) {
      setCurrentKey(account);
      detection(account).finish(this::alert);
      dirty.add(account);
    }
    super.finish();
  }

  /** The current key's pieces of {@link AccountStore} in Flink keyed state. */
  private record KeyedAccountStore(ValueState<byte[]> accountValue, ValueState<byte[]> foldingValue,
      ValueState<byte[]> incidentsValue, MapState<String, byte[]> principalMap, MapState<Long, byte[]> inputs)
      implements AccountStore {
    @Override
    public byte[] account() {
      return get(accountValue);
    }

    @Override
    public void account(byte[] value) {
      set(accountValue, value);
    }

    @Override
    public byte[] folding() {
      return get(foldingValue);
    }

    @Override
    public void folding(byte[] value) {
      set(foldingValue, value);
    }

    @Override
    public byte[] incidents() {
      return get(incidentsValue);
    }

    @Override
    public void incidents(byte[] value) {
      set(incidentsValue, value);
    }

    @Override
    public Iterable<Map.Entry<String, byte[]>> principals() throws Exception {
      return principalMap.entries();
    }

    @Override
    public void putPrincipal(String principal, byte[] value) throws Exception {
      principalMap.put(principal, value);
    }

    @Override
    public void removePrincipal(String principal) throws Exception {
      principalMap.remove(principal);
    }

    @Override
    public byte[] correlationInput(long chunk) throws Exception {
      return inputs.get(chunk);
    }

    @Override
    public void putCorrelationInput(long chunk, byte[] value) throws Exception {
      inputs.put(chunk, value);
    }

    @Override
    public void removeCorrelationInput(long chunk) throws Exception {
      inputs.remove(chunk);
    }

    private static byte[] get(ValueState<byte[]> state) {
      try {
        return state.value();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static void set(ValueState<byte[]> state, byte[] value) {
      try {
        state.update(value);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
