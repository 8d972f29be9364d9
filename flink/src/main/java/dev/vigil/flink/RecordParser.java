package dev.vigil.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.api.common.functions.OpenContext;

/**
 * Splits a Kafka message or file (one record, or a {@code {"Records":[...]}} batch) into records and
 * validates each with Vigil's {@link CloudTrailNormalizer}. A bad message or record goes to the dead-letter
 * side output with the reason and is counted in the {@code deadLetters} metric; the job keeps running.
 */
public class RecordParser extends ProcessFunction<String, ActorRecord> {
  public static final OutputTag<String> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private transient Counter deadLetters;
  private transient Counter records;

  @Override
  public void open(OpenContext context) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    records = getRuntimeContext().getMetricGroup().counter("records");
  }

  @Override
  public void processElement(String message, Context ctx, Collector<ActorRecord> out) {
    // from the file source: "#file:<path>" on the first line names the file (WholeFileFormat); Kafka: JSON only
    String where = "";
    if (message.startsWith(WholeFileFormat.FILE_PREFIX)) {
      int nl = message.indexOf('\n');
      where = message.substring(WholeFileFormat.FILE_PREFIX.length(), nl < 0 ? message.length() : nl) + ": ";
      message = nl < 0 ? "" : message.substring(nl + 1);
      if (message.startsWith(WholeFileFormat.UNREADABLE)) {
        deadLetter(ctx, "", where + message.substring(WholeFileFormat.UNREADABLE.length()));
        return;
      }
    }
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (Exception e) {
      deadLetter(ctx, message, where + "not JSON: " + firstLine(e.getMessage()));
      return;
    }
    if (root == null || !root.isObject()) {
      deadLetter(ctx, message, where + "not a JSON object");
      return;
    }
    JsonNode batch = root.get("Records");
    if (batch != null) {
      if (!batch.isArray()) {
        deadLetter(ctx, message, where + "field Records: not an array");
        return;
      }
      int i = 0;
      for (JsonNode record : batch) {
        one(record, i++, where, ctx, out);
      }
    } else {
      one(root, 0, where, ctx, out);
    }
  }

  private void one(JsonNode record, int index, String where, Context ctx, Collector<ActorRecord> out) {
    try {
      AuditEvent e = CloudTrailNormalizer.normalize(record, new AuditEvent.Origin("flink", index));
      records.inc();
      out.collect(new ActorRecord(e, record.toString()));
    } catch (CloudTrailNormalizer.RejectedRecord r) {
      deadLetter(ctx, record.toString(), where + "record " + index + ": field " + r.field() + ": " + r.getMessage());
    }
  }

  private void deadLetter(Context ctx, String payload, String reason) {
    deadLetters.inc();
    var o = JSON.createObjectNode();
    o.put("reason", reason);
    o.put("payload", payload.length() > 4096 ? payload.substring(0, 4096) : payload);
    ctx.output(DEAD_LETTERS, o.toString());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
