package dev.vigil.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.Alert;
import dev.vigil.detect.Detector;
import dev.vigil.detect.OcsfFindings;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs Vigil's detection library on the records of one actor key. Alerts leave as OCSF Detection Finding
 * JSON. The uids of alerts already emitted for the key are kept in keyed state (checkpointed), so a replay
 * after a restore does not emit an alert twice. Late records (behind the watermark) are still evaluated
 * and counted in the {@code lateRecords} metric.
 */
public class DetectFunction extends KeyedProcessFunction<String, ActorRecord, String> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DetectorFactory factory;
  private transient Detector detector;
  private transient MapState<String, Boolean> emitted;
  private transient Counter late;
  private transient Counter alerts;

  public DetectFunction(DetectorFactory factory) {
    this.factory = factory;
  }

  @Override
  public void open(OpenContext context) throws Exception {
    detector = factory.create();
    emitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("emitted-alert-uids", String.class, Boolean.class));
    late = getRuntimeContext().getMetricGroup().counter("lateRecords");
    alerts = getRuntimeContext().getMetricGroup().counter("alerts");
  }

  @Override
  public void processElement(ActorRecord r, Context ctx, Collector<String> out) throws Exception {
    if (ctx.timestamp() != null && ctx.timestamp() < ctx.timerService().currentWatermark()) {
      late.inc();
    }
    AuditEvent event = CloudTrailNormalizer.normalize(JSON.readTree(r.json), new AuditEvent.Origin("flink", 0));
    List<Alert> found = new ArrayList<>();
    detector.accept(event, found::add);
    for (Alert a : found) {
      String uid = OcsfFindings.alertUid(a);
      if (emitted.contains(uid)) {
        continue;
      }
      emitted.put(uid, Boolean.TRUE);
      alerts.inc();
      ObjectNode finding = OcsfFindings.detectionFinding(a);
      out.collect(finding.toString());
    }
  }
}
