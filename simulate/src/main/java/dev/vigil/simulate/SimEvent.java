package dev.vigil.simulate;

/** One CloudTrail record to write. Fields map one to one to the record's fields; null fields are left out. */
final class SimEvent {
  long time;
  /** Order of creation; breaks ties between events in the same millisecond, deterministically. */
  long seq;
  String region;
  String source;
  String name;
  Identity who;
  String ip;
  String ua;
  /** requestParameters as key/value pairs; values: String, Number, Boolean, Object[] (object), List (array). */
  Object[] request;
  Object[] response;
  String errorCode;
  String errorMessage;
  boolean readOnly;
  /** An S3 data event: resources, additionalEventData with bytes, eventCategory Data. */
  boolean data;
  String bucket;
  String objectKey;
  long bytesIn;
  long bytesOut;
  String eventType = "AwsApiCall";
  String eventId;
  String requestId;
  String host;
  boolean console;
  /** Not written: true for events the attacker made (for truth.json). */
  boolean attacker;

  SimEvent(long time, String region, String source, String name, Identity who, String ip, String ua) {
    this.time = time;
    this.region = region;
    this.source = source;
    this.name = name;
    this.who = who;
    this.ip = ip;
    this.ua = ua;
  }

  SimEvent req(Object... keyValues) {
    this.request = keyValues;
    return this;
  }

  SimEvent resp(Object... keyValues) {
    this.response = keyValues;
    return this;
  }

  SimEvent error(String code, String message) {
    this.errorCode = code;
    this.errorMessage = message;
    return this;
  }

  SimEvent readOnly(boolean ro) {
    this.readOnly = ro;
    return this;
  }
}
