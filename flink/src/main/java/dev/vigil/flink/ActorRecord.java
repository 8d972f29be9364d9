package dev.vigil.flink;

/**
 * One CloudTrail record between operators: the actor key it is partitioned by, its event time, and the
 * record's JSON text. Plain JSON text crosses the network rather than Vigil's event model, so Flink's POJO
 * serialiser handles it without Kryo.
 */
public class ActorRecord {
  public String actorKey;
  public long eventTimeMillis;
  public String json;

  public ActorRecord() {}

  public ActorRecord(String actorKey, long eventTimeMillis, String json) {
    this.actorKey = actorKey;
    this.eventTimeMillis = eventTimeMillis;
    this.json = json;
  }
}
