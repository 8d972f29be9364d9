package dev.vigil.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams CloudTrail records from files, directories and standard input into {@link AuditEvent}s.
 *
 * <p>Three shapes are recognised by their first bytes, plain or gzipped: a CloudTrail delivery file
 * ({@code {"Records":[...]}}), a JSON array of records, and JSON Lines (one record per line, as CloudTrail Lake,
 * Athena and log shippers export). Memory does not grow with the input: records are parsed one at a time.
 *
 * <p>Nothing is dropped silently: every record that cannot become an event is counted, reported to the problem
 * listener with its source, index and reason, and written to the quarantine when one is given.
 */
public final class EventReader {

  /** Receives problems as they happen, e.g. to print them. */
  public interface ProblemListener {
    void onProblem(IngestProblem problem);
  }

  private enum Shape { RECORDS, ARRAY, LINES, CONCATENATED }

  private final ObjectMapper mapper;
  private final IngestLimits limits;
  private final ProblemListener listener;
  private final Quarantine quarantine;

  public EventReader(IngestLimits limits, ProblemListener listener, Quarantine quarantine) {
    this.limits = Objects.requireNonNull(limits);
    this.listener = listener == null ? p -> {} : listener;
    this.quarantine = quarantine;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(limits.maxStringChars()).build())
        .build();
    this.mapper = new ObjectMapper(factory);
  }

  public EventReader() {
    this(IngestLimits.DEFAULT, null, null);
  }

  /** Reads every input (files, directories, or "-" for stdin) in order, handing each event to {@code sink}. */
  public IngestReport read(List<Path> inputs, Consumer<AuditEvent> sink) throws IOException {
    IngestReport report = new IngestReport();
    LogFiles.Found found = LogFiles.expand(inputs);
    for (int i = 0; i < found.ignored(); i++) {
      report.fileIgnored();
    }
    for (Path file : found.files()) {
      readFile(file, sink, report);
    }
    return report;
  }

  /** Reads one file; a missing or unreadable file is reported as a problem, not thrown. */
  public void readFile(Path file, Consumer<AuditEvent> sink, IngestReport report) {
    String source = file.toString();
    if (source.equals("-")) {
      readStream(System.in, "-", sink, report);
      return;
    }
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      fileProblem(report, source, "no such file");
      return;
    } catch (AccessDeniedException e) {
      fileProblem(report, source, "permission denied");
      return;
    } catch (IOException e) {
      fileProblem(report, source, "cannot open: " + e.getMessage());
      return;
    }
    try (InputStream closing = in) {
      readStream(closing, source, sink, report);
    } catch (IOException e) {
      // close() failing after a complete read changes nothing that was read
    }
  }

  /** Reads one stream, plain or gzipped, of any of the recognised shapes. */
  public void readStream(InputStream raw, String source, Consumer<AuditEvent> sink, IngestReport report) {
    report.fileOpened();
    Cursor cursor = new Cursor(source, report, sink);
    DeferredEof eof = null;
    try {
      BufferedInputStream peek = new BufferedInputStream(raw, 1 << 16);
      peek.mark(4);
      int b0 = peek.read();
      int b1 = peek.read();
      peek.reset();
      InputStream in = peek;
      if (b0 == 0x1f && b1 == 0x8b) {
        InflationGuard.Counting counted = new InflationGuard.Counting(peek);
        eof = new DeferredEof(new GZIPInputStream(counted, 1 << 16));
        in = new BufferedInputStream(new InflationGuard(eof, counted, limits), 1 << 16);
      }
      Shape shape = detectShape(in);
      switch (shape) {
        case RECORDS, ARRAY -> readStructured(in, cursor, shape);
        case LINES -> readLines(in, cursor);
        case CONCATENATED -> readConcatenated(in, cursor);
        default -> throw new IllegalStateException(shape.name());
      }
      if (eof != null && eof.truncation != null) {
        cursor.restUnreadable(truncated(eof.truncation));
      }
    } catch (JsonProcessingException e) {
      cursor.restUnreadable(eof != null && eof.truncation != null ? truncated(eof.truncation) : jsonError(e));
    } catch (InflationGuard.BombException e) {
      cursor.restUnreadable(e.getMessage());
    } catch (EOFException e) {
      cursor.restUnreadable(truncated(e));
    } catch (ZipException e) {
      cursor.restUnreadable("corrupt gzip: " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      cursor.restUnreadable("read error: " + e.getMessage());
    }
  }

  private static String truncated(EOFException e) {
    return "truncated file: unexpected end of input (" + e.getMessage() + ")";
  }

  /**
   * Turns a gzip stream's premature end into an ordinary end of input, remembering it: the records inflated
   * before the cut are then parsed as usual, and the truncation is reported once for the rest.
   */
  private static final class DeferredEof extends java.io.FilterInputStream {
    EOFException truncation;

    DeferredEof(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (truncation != null) {
        return -1;
      }
      try {
        return super.read(b, off, len);
      } catch (EOFException e) {
        truncation = e;
        return -1;
      }
    }
  }

  private static String jsonError(JsonProcessingException e) {
    return jsonError(e, 0);
  }

  /** {@code lineOffset}: lines before the parsed text, so JSON Lines errors name the file's own line. */
  private static String jsonError(JsonProcessingException e, long lineOffset) {
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : " at line " + (loc.getLineNr() + lineOffset) + " column " + loc.getColumnNr();
    String msg = e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    return "invalid JSON" + where + ": " + (nl > 0 ? msg.substring(0, nl) : msg);
  }

  private Shape detectShape(InputStream in) throws IOException {
    in.mark(1 << 12);
    byte[] head = in.readNBytes(1 << 12);
    in.reset();
    int i = 0;
    if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
      in.skip(3);
      i = 3;
    }
    while (i < head.length && Character.isWhitespace(head[i])) {
      i++;
    }
    if (i < head.length && head[i] == '[') {
      return Shape.ARRAY;
    }
    if (i < head.length && head[i] == '{') {
      int j = i + 1;
      while (j < head.length && Character.isWhitespace(head[j])) {
        j++;
      }
      String rest = new String(head, j, Math.min(head.length - j, 9), java.nio.charset.StandardCharsets.US_ASCII);
      if (rest.equals("\"Records\"")) {
        return Shape.RECORDS;
      }
      // a pretty-printed object spans lines: its first line is a lone brace
      int k = i + 1;
      while (k < head.length && head[k] != '\n' && Character.isWhitespace(head[k])) {
        k++;
      }
      if (k < head.length && head[k] == '\n') {
        return Shape.CONCATENATED;
      }
    }
    return Shape.LINES;
  }

  private void readStructured(InputStream in, Cursor cursor, Shape shape) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(in)) {
      JsonToken t = p.nextToken();
      if (shape == Shape.RECORDS) {
        if (t != JsonToken.START_OBJECT) {
          throw new IllegalStateException("shape detection disagrees with parser");
        }
        boolean sawRecords = false;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          t = p.nextToken();
          if (name.equals("Records") && t == JsonToken.START_ARRAY) {
            sawRecords = true;
            readArrayElements(p, cursor);
          } else {
            p.skipChildren();
          }
        }
        if (!sawRecords) {
          cursor.restUnreadable("'Records' is not an array");
        }
      } else {
        readArrayElements(p, cursor);
      }
    }
  }

  private void readArrayElements(JsonParser p, Cursor cursor) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new EOFException("the records array is not closed");
      }
      JsonNode node = mapper.readTree(p);
      cursor.offer(node, null);
    }
  }

  private void readConcatenated(InputStream in, Cursor cursor) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(in)) {
      while (p.nextToken() != null) {
        cursor.offer(mapper.readTree(p), null);
      }
    }
  }

  /** JSON Lines: a bad line costs only that line. Lines over the limit are skipped without being buffered. */
  private void readLines(InputStream in, Cursor cursor) throws IOException {
    byte[] buf = new byte[1 << 16];
    int len = 0;
    boolean overlong = false;
    long overlongBytes = 0;
    byte[] chunk = new byte[1 << 16];
    int n;
    long line = 0;
    while ((n = in.read(chunk)) > 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (chunk[i] != '\n') {
          continue;
        }
        line++;
        int part = i - start;
        if (overlong) {
          overlongBytes += part;
          cursor.overlong(overlongBytes, limits.maxLineBytes());
          overlong = false;
          overlongBytes = 0;
        } else if ((long) len + part > limits.maxLineBytes()) {
          cursor.overlong((long) len + part, limits.maxLineBytes());
        } else {
          buf = append(buf, len, chunk, start, part);
          len += part;
          parseLine(buf, len, line, cursor);
        }
        len = 0;
        start = i + 1;
      }
      int part = n - start;
      if (overlong) {
        overlongBytes += part;
      } else if ((long) len + part > limits.maxLineBytes()) {
        overlong = true;
        overlongBytes = len + part;
        len = 0;
        buf = new byte[1 << 16];
      } else {
        buf = append(buf, len, chunk, start, part);
        len += part;
      }
    }
    if (overlong) {
      cursor.overlong(overlongBytes, limits.maxLineBytes());
    } else if (len > 0) {
      parseLine(buf, len, line + 1, cursor);
    }
  }

  private static byte[] append(byte[] buf, int len, byte[] src, int off, int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
    System.arraycopy(src, off, buf, len, n);
    return buf;
  }

  private void parseLine(byte[] buf, int len, long lineNumber, Cursor cursor) {
    int start = 0;
    while (start < len && (buf[start] == ' ' || buf[start] == '\t' || buf[start] == '\r')) {
      start++;
    }
    if (start == len) {
      return; // blank lines are not records
    }
    JsonNode node;
    try {
      node = mapper.readTree(buf, start, len - start);
    } catch (IOException e) {
      String reason = e instanceof JsonProcessingException jpe ? jsonError(jpe, lineNumber - 1) : e.getMessage();
      cursor.reject(null, reason, Quarantine.text(buf, start, len - start));
      return;
    }
    cursor.offer(node, null);
  }

  /** Per-source position: counts records, normalizes them, and reports rejections. */
  private final class Cursor {
    private final String source;
    private final IngestReport report;
    private final Consumer<AuditEvent> sink;
    private long index;
    private boolean unreadable;

    Cursor(String source, IngestReport report, Consumer<AuditEvent> sink) {
      this.source = source;
      this.report = report;
      this.sink = sink;
    }

    void offer(JsonNode node, String rawText) {
      AuditEvent.Origin origin = new AuditEvent.Origin(source, index);
      AuditEvent event;
      try {
        event = CloudTrailNormalizer.normalize(node, origin);
      } catch (CloudTrailNormalizer.RejectedRecord e) {
        reject(e.field(), e.getMessage(), rawText != null ? rawText : node == null ? null : node.toString());
        return;
      }
      index++;
      report.countAccepted();
      sink.accept(event);
    }

    void reject(String field, String reason, String raw) {
      IngestProblem problem = new IngestProblem(source, index, field, reason);
      index++;
      report.countQuarantined(problem);
      listener.onProblem(problem);
      if (quarantine != null) {
        try {
          quarantine.write(problem, raw);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the quarantine file", e);
        }
      }
    }

    void overlong(long bytes, int max) {
      reject(null, "line of " + bytes + " bytes is longer than the limit of " + max + " bytes", null);
    }

    /** The rest of the source cannot be read: one quarantined entry stands for it. */
    void restUnreadable(String reason) {
      if (!unreadable) {
        unreadable = true;
        report.fileUnreadable();
      }
      reject(null, reason + "; the rest of this file was skipped", null);
    }
  }

  private void fileProblem(IngestReport report, String source, String reason) {
    IngestProblem problem = new IngestProblem(source, -1, null, reason);
    report.fileOpened();
    report.fileUnreadable();
    report.countQuarantined(problem);
    listener.onProblem(problem);
    if (quarantine != null) {
      try {
        quarantine.write(problem, null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the quarantine file", e);
      }
    }
  }
}
