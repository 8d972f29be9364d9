package dev.vigil.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a CloudTrail delivery file (one {@code {"Records":[...]}} document; Flink inflates {@code .gz} by
 * extension) as one element. Files are not split, so a document is never cut in half.
 */
public class WholeFileFormat extends SimpleStreamFormat<String> {
  /** CloudTrail delivery files are a few MB; refuse absurd ones instead of exhausting the heap. */
  static final int MAX_BYTES = 256 * 1024 * 1024;

  @Override
  public StreamFormat.Reader<String> createReader(Configuration config, FSDataInputStream stream) {
    return new StreamFormat.Reader<>() {
      private boolean done;

      @Override
      public String read() throws IOException {
        if (done) {
          return null;
        }
        done = true;
        byte[] bytes = stream.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          return "{\"vigilError\":\"file larger than " + MAX_BYTES + " bytes\"}";
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }

  @Override
  public TypeInformation<String> getProducedType() {
    return Types.STRING;
  }
}
