package dev.vigil.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes events, which must arrive in time order, as CloudTrail delivers them to S3: one gzipped
 * {@code {"Records":[...]}} file per region and 5-minute delivery window, under
 * {@code AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/}. Output is byte-identical for the same events:
 * gzip headers carry no time stamp and file names are derived from the seed, region and window.
 */
final class CloudTrailWriter implements Closeable {
  static final long WINDOW = 5 * Times.MINUTE;

  private static final JsonFactory JSON = new JsonFactory();

  private final Path root;
  private final String account;
  private final long seed;
  /** One deflater for all files: files are written one window at a time, each region's in turn. */
  private final Map<String, Deflater> deflaters = new TreeMap<>();
  private final Map<String, Path> lastDir = new TreeMap<>();
  private final int deflateLevel;
  private final Times times = new Times();
  private final SplittableRandom extraIds;
  /** Open files by region; TreeMap so that closing order (and any error) is deterministic. */
  private final Map<String, RegionFile> open = new TreeMap<>();
  private long currentWindow = Long.MIN_VALUE;
  private long events;
  private long files;
  private long lastTime = Long.MIN_VALUE;
  /** Pre-encoded repeated values (agents, ARNs, names); lookup only, bounded so memory stays flat. */
  private final java.util.HashMap<String, SerializedString> encoded = new java.util.HashMap<>();

  private static final class RegionFile {
    final long window;
    final JsonGenerator json;

    RegionFile(long window, JsonGenerator json) {
      this.window = window;
      this.json = json;
    }
  }

  CloudTrailWriter(Path outDir, String account, long seed, int deflateLevel) {
    this.root = outDir.resolve("AWSLogs").resolve(account).resolve("CloudTrail");
    this.account = account;
    this.seed = seed;
    this.deflateLevel = deflateLevel;
    this.extraIds = new SplittableRandom(Ids.mix(seed, "writer"));
  }

  long events() {
    return events;
  }

  long files() {
    return files;
  }

  void write(SimEvent e) throws IOException {
    if (e.time < lastTime) {
      throw new IllegalStateException("events out of order: " + e.time + " after " + lastTime);
    }
    lastTime = e.time;
    long window = Math.floorDiv(e.time, WINDOW);
    if (window != currentWindow) {
      closeAll();
      currentWindow = window;
    }
    RegionFile f = open.get(e.region);
    if (f == null) {
      f = openFile(e.region, window);
      open.put(e.region, f);
    }
    render(f.json, e);
    events++;
  }

  private RegionFile openFile(String region, long window) throws IOException {
    // CloudTrail names a file after its delivery time: the end of the window it covers
    long delivered = (window + 1) * WINDOW;
    ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochMilli(delivered), ZoneOffset.UTC);
    Path dir = root.resolve(region).resolve(String.format("%04d", t.getYear()))
        .resolve(String.format("%02d", t.getMonthValue())).resolve(String.format("%02d", t.getDayOfMonth()));
    if (!dir.equals(lastDir.get(region))) {
      Files.createDirectories(dir);
      lastDir.put(region, dir);
    }
    String stamp = String.format("%04d%02d%02dT%02d%02dZ", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute());
    Deflater deflater = deflaters.computeIfAbsent(region, r -> new Deflater(deflateLevel, true));
    String unique = Ids.deliveryUnique(new SplittableRandom(Ids.mix(seed, "file", region, Long.toString(window))));
    Path file = dir.resolve(account + "_CloudTrail_" + region + "_" + stamp + "_" + unique + ".json.gz");
    OutputStream gz = new ReusedGzip(new BufferedOutputStream(Files.newOutputStream(file), 1 << 14), deflater);
    JsonGenerator json = JSON.createGenerator(gz);
    json.writeStartObject();
    json.writeArrayFieldStart("Records");
    files++;
    return new RegionFile(window, json);
  }

  private void closeAll() throws IOException {
    for (RegionFile f : open.values()) {
      f.json.writeEndArray();
      f.json.writeEndObject();
      f.json.close();
    }
    open.clear();
  }

  @Override
  public void close() throws IOException {
    closeAll();
    for (Deflater d : deflaters.values()) {
      d.end();
    }
  }

  private void render(JsonGenerator g, SimEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("eventVersion", e.data ? "1.10" : "1.09");
    identity(g, e.who);
    g.writeStringField("eventTime", times.iso(e.time));
    g.writeFieldName("eventSource");
    g.writeString(str(e.source));
    g.writeFieldName("eventName");
    g.writeString(str(e.name));
    g.writeFieldName("awsRegion");
    g.writeString(str(e.region));
    g.writeFieldName("sourceIPAddress");
    g.writeString(str(e.ip));
    g.writeFieldName("userAgent");
    g.writeString(str(e.ua));
    if (e.errorCode != null) {
      g.writeStringField("errorCode", e.errorCode);
      g.writeStringField("errorMessage", e.errorMessage);
    }
    g.writeFieldName("requestParameters");
    values(g, e.request);
    g.writeFieldName("responseElements");
    values(g, e.response);
    if (e.data) {
      g.writeObjectFieldStart("additionalEventData");
      g.writeStringField("SignatureVersion", "SigV4");
      g.writeStringField("CipherSuite", "TLS_AES_128_GCM_SHA256");
      g.writeNumberField("bytesTransferredIn", e.bytesIn);
      g.writeStringField("AuthenticationMethod", "AuthHeader");
      g.writeStringField("x-amz-id-2", Ids.amzId2(extraIds));
      g.writeNumberField("bytesTransferredOut", e.bytesOut);
      g.writeEndObject();
    } else if (e.eventType.equals("AwsConsoleSignIn")) {
      g.writeObjectFieldStart("additionalEventData");
      g.writeStringField("MobileVersion", "No");
      g.writeStringField("MFAUsed", "Yes");
      g.writeEndObject();
    }
    g.writeStringField("requestID", e.requestId);
    g.writeStringField("eventID", e.eventId);
    g.writeBooleanField("readOnly", e.readOnly);
    if (e.data) {
      g.writeArrayFieldStart("resources");
      if (e.objectKey != null) {
        g.writeStartObject();
        g.writeStringField("type", "AWS::S3::Object");
        g.writeStringField("ARN", "arn:aws:s3:::" + e.bucket + "/" + e.objectKey);
        g.writeEndObject();
      }
      g.writeStartObject();
      g.writeStringField("accountId", account);
      g.writeStringField("type", "AWS::S3::Bucket");
      g.writeStringField("ARN", "arn:aws:s3:::" + e.bucket);
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeFieldName("eventType");
    g.writeString(str(e.eventType));
    g.writeBooleanField("managementEvent", !e.data);
    g.writeFieldName("recipientAccountId");
    g.writeString(str(account));
    g.writeStringField("eventCategory", e.data ? "Data" : "Management");
    if (e.who.type != Identity.Type.AWS_SERVICE) {
      g.writeObjectFieldStart("tlsDetails");
      g.writeStringField("tlsVersion", "TLSv1.3");
      g.writeStringField("cipherSuite", "TLS_AES_128_GCM_SHA256");
      g.writeStringField("clientProvidedHostHeader", e.host != null ? e.host : host(e));
      g.writeEndObject();
    }
    if (e.console) {
      g.writeStringField("sessionCredentialFromConsole", "true");
    }
    g.writeEndObject();
  }

  private SerializedString str(String s) {
    SerializedString v = encoded.get(s);
    if (v == null) {
      v = new SerializedString(s);
      if (encoded.size() < 20_000) {
        encoded.put(s, v);
      }
    }
    return v;
  }

  private static String host(SimEvent e) {
    String service = e.source.substring(0, e.source.indexOf('.'));
    return switch (service) {
      case "s3" -> e.bucket != null ? e.bucket + ".s3." + e.region + ".amazonaws.com" : "s3." + e.region + ".amazonaws.com";
      case "iam", "cloudfront", "organizations", "route53" -> service + ".amazonaws.com";
      case "sts" -> e.region.equals("us-east-1") ? "sts.amazonaws.com" : "sts." + e.region + ".amazonaws.com";
      case "signin" -> "signin.aws.amazon.com";
      default -> service + "." + e.region + ".amazonaws.com";
    };
  }

  private void identity(JsonGenerator g, Identity who) throws IOException {
    g.writeObjectFieldStart("userIdentity");
    switch (who.type) {
      case IAM_USER -> {
        g.writeStringField("type", "IAMUser");
        g.writeFieldName("principalId");
        g.writeString(str(who.principalId));
        g.writeFieldName("arn");
        g.writeString(str(who.arn));
        g.writeFieldName("accountId");
        g.writeString(str(who.accountId));
        g.writeFieldName("accessKeyId");
        g.writeString(str(who.accessKeyId));
        g.writeFieldName("userName");
        g.writeString(str(who.userName));
      }
      case ASSUMED_ROLE -> {
        g.writeStringField("type", "AssumedRole");
        g.writeFieldName("principalId");
        g.writeString(str(who.principalId));
        g.writeFieldName("arn");
        g.writeString(str(who.arn));
        g.writeFieldName("accountId");
        g.writeString(str(who.accountId));
        g.writeFieldName("accessKeyId");
        g.writeString(str(who.accessKeyId));
        g.writeObjectFieldStart("sessionContext");
        g.writeObjectFieldStart("sessionIssuer");
        g.writeStringField("type", "Role");
        g.writeFieldName("principalId");
        g.writeString(str(who.issuerPrincipalId));
        g.writeFieldName("arn");
        g.writeString(str(who.issuerArn));
        g.writeFieldName("accountId");
        g.writeString(str(who.accountId));
        g.writeFieldName("userName");
        g.writeString(str(who.issuerName));
        g.writeEndObject();
        g.writeObjectFieldStart("webIdFederationData");
        g.writeEndObject();
        g.writeObjectFieldStart("attributes");
        g.writeStringField("creationDate", who.sessionCreated);
        g.writeStringField("mfaAuthenticated", who.mfa ? "true" : "false");
        g.writeEndObject();
        if (who.ec2Role) {
          g.writeStringField("ec2RoleDelivery", "2.0");
        }
        g.writeEndObject();
        if (who.invokedBy != null) {
          g.writeStringField("invokedBy", who.invokedBy);
        }
      }
      case AWS_SERVICE -> {
        g.writeStringField("type", "AWSService");
        g.writeStringField("invokedBy", who.invokedBy);
      }
      default -> throw new IllegalStateException();
    }
    g.writeEndObject();
  }

  private static void values(JsonGenerator g, Object[] kv) throws IOException {
    if (kv == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (int i = 0; i < kv.length; i += 2) {
      g.writeFieldName((String) kv[i]);
      value(g, kv[i + 1]);
    }
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Object[] o) {
      values(g, o);
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        value(g, item);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("unsupported value " + v.getClass());
    }
  }

  /**
   * A gzip member written by hand so that one {@link Deflater} serves every file (creating one per file costs more
   * than compressing a small file). The header is fixed: no time stamp, no name, OS "unknown".
   */
  private static final class ReusedGzip extends DeflaterOutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255};
    private final CRC32 crc = new CRC32();
    private long size;

    ReusedGzip(OutputStream out, Deflater deflater) throws IOException {
      super(out, deflater, 1 << 14);
      deflater.reset();
      out.write(HEADER);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      super.write(b, off, len);
      crc.update(b, off, len);
      size += len;
    }

    @Override
    public void close() throws IOException {
      finish();
      int c = (int) crc.getValue();
      int n = (int) size;
      out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
          (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
      out.close();
    }
  }
}
