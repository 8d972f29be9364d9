package dev.vigil.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes rejected records as JSON Lines: {@code {"source", "record", "field", "reason", "raw"}}, where raw is the
 * record's text as read (cut at 1 MiB) or null when nothing of it could be read.
 */
public final class Quarantine implements Closeable {
  static final int MAX_RAW_CHARS = 1 << 20;
  private final JsonGenerator out;

  public Quarantine(OutputStream stream) throws IOException {
    this.out = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8);
    this.out.setRootValueSeparator(null);
  }

  public static Quarantine toFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new Quarantine(Files.newOutputStream(file));
  }

  public synchronized void write(IngestProblem problem, String raw) throws IOException {
    out.writeStartObject();
    out.writeStringField("source", problem.source());
    out.writeNumberField("record", problem.recordIndex());
    out.writeStringField("field", problem.field());
    out.writeStringField("reason", problem.reason());
    if (raw == null) {
      out.writeNullField("raw");
    } else {
      out.writeStringField("raw", raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw);
    }
    out.writeEndObject();
    out.writeRaw('\n');
    out.flush();
  }

  static String text(byte[] bytes, int off, int len) {
    return new String(bytes, off, Math.min(len, MAX_RAW_CHARS), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
