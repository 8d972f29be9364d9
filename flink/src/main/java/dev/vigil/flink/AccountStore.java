package dev.vigil.flink;

import java.util.Map;

/**
 * Where one account's detection is kept between checkpoints, in pieces that change at different rates, so that saving
 * an account writes what changed and no more (see {@link AccountDetection#save}): Flink keyed state of the current
 * key in the job ({@link AccountDetectOperator}), plain maps in tests and benchmarks ({@link MapAccountStore}).
 */
interface AccountStore {
  /** Account-wide state (learning clock, suspects, tainted keys, where the correlation inputs start); null if none. */
  byte[] account();

  void account(byte[] value);

  /** The folding of repeated alerts; changes only when an alert is raised. */
  byte[] folding();

  void folding(byte[] value);

  /** The incident tracker; changes only when an alert is raised or a followed credential acts. */
  byte[] incidents();

  void incidents(byte[] value);

  /** One entry per principal: its behavioural profile and the recent events it cites as evidence. */
  Iterable<Map.Entry<String, byte[]>> principals() throws Exception;

  void putPrincipal(String principal, byte[] value) throws Exception;

  void removePrincipal(String principal) throws Exception;

  /** Sigma correlation inputs in chunks by number ({@link AccountDetection#INPUT_CHUNK} inputs each), oldest lowest. */
  byte[] correlationInput(long chunk) throws Exception;

  void putCorrelationInput(long chunk, byte[] value) throws Exception;

  void removeCorrelationInput(long chunk) throws Exception;
}
