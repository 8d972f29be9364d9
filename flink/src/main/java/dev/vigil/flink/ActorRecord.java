package dev.vigil.flink;

import dev.vigil.ingest.AuditEvent;

/**
 * One CloudTrail record between operators: the actor key and AWS account it is partitioned by, its event time, its
 * index in its message, and the record's JSON text. Plain JSON text crosses the network rather than Vigil's event
 * model, so Flink's POJO serialiser handles it without Kryo.
 */
public class ActorRecord {
  public String actorKey;
  public String account;
  public long eventTimeMillis;
  public long index;
  public String json;

  public ActorRecord() {}

  public ActorRecord(String actorKey, long eventTimeMillis, String json) {
    this.actorKey = actorKey;
    this.eventTimeMillis = eventTimeMillis;
    this.json = json;
  }

  public ActorRecord(AuditEvent e, String json) {
    this(e.actor().key(), e.time().toEpochMilli(), json);
    this.account = accountOf(e);
    this.index = e.origin().index();
  }

  /** The key of the account stage: {@code recipientAccountId}, else the actor's account, else "-". */
  static String accountOf(AuditEvent e) {
    return e.account() == null || e.account().isEmpty() ? "-" : e.account();
  }
}
