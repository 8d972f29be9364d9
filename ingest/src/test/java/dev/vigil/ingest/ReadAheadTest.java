package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
  @TempDir Path dir;

  private Path lines(int n, String bad) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("{\"eventID\":\"e").append(i).append("\",\"eventTime\":\"2026-03-19T20:00:00Z\",")
          .append("\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}\n");
      if (i == 700) {
        b.append(bad).append('\n');
      }
    }
    Path f = dir.resolve("events.jsonl");
    Files.writeString(f, b);
    return f;
  }

  @Test
  void everyEventInOrderOnTheCallersThreadWithTheSameReport() throws Exception {
    Path f = lines(2000, "{not json");
    List<String> ids = new ArrayList<>();
    Thread caller = Thread.currentThread();
    IngestReport r = ReadAhead.read(new EventReader(), List.of(f), e -> {
      assertThat(Thread.currentThread()).isSameAs(caller);
      ids.add(e.eventId());
    });
    assertThat(ids).hasSize(2000).startsWith("e0", "e1").endsWith("e1999");
    IngestReport plain = new EventReader().read(List.of(f), e -> { });
    assertThat(r.accepted()).isEqualTo(plain.accepted()).isEqualTo(2000);
    assertThat(r.quarantined()).isEqualTo(plain.quarantined()).isEqualTo(1);
  }

  @Test
  void aFailingConsumerStopsTheReaderAndItsErrorSurfaces() throws Exception {
    Path f = lines(5000, "{}");
    int[] seen = {0};
    assertThatThrownBy(() -> ReadAhead.read(new EventReader(), List.of(f), e -> {
      if (++seen[0] == 1000) {
        throw new IllegalArgumentException("detector broke");
      }
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("detector broke");
  }
}
