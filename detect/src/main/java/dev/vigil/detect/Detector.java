package dev.vigil.detect;

import dev.vigil.ingest.AuditEvent;
import java.util.function.Consumer;

/**
 * Anything that turns a stream of events into alerts: a compiled Sigma rule set, or a behavioural detector.
 * Events arrive roughly in time order (per file); a detector must tolerate some disorder.
 */
public interface Detector {

  /** Looks at one event, emitting zero or more alerts. */
  void accept(AuditEvent event, Consumer<Alert> alerts);

  /** End of input: emit whatever is pending (e.g. open correlation windows that already qualify). */
  default void finish(Consumer<Alert> alerts) {}
}
