package dev.vigil.flink;

import java.util.HashMap;
import java.util.Map;

/**
 * An {@link AccountStore} in plain maps, for tests and benchmarks: counts what each save writes, so that a test can
 * check that saving an account writes only what changed.
 */
final class MapAccountStore implements AccountStore {
  private byte[] account;
  private byte[] folding;
  private byte[] incidents;
  final Map<String, byte[]> principals = new HashMap<>();
  final Map<Long, byte[]> correlationInputs = new HashMap<>();
  /** Values written (puts and updates) and bytes written since the counters were last reset. */
  long writes;
  long bytesWritten;
  /** Of those: principal entries and correlation-input chunks. */
  long principalWrites;
  long chunkWrites;
  long principalBytes;
  long chunkBytes;

  @Override
  public byte[] account() {
    return account;
  }

  @Override
  public void account(byte[] value) {
    account = counted(value);
  }

  @Override
  public byte[] folding() {
    return folding;
  }

  @Override
  public void folding(byte[] value) {
    folding = counted(value);
  }

  @Override
  public byte[] incidents() {
    return incidents;
  }

  @Override
  public void incidents(byte[] value) {
    incidents = counted(value);
  }

  @Override
  public Iterable<Map.Entry<String, byte[]>> principals() {
    return principals.entrySet();
  }

  @Override
  public void putPrincipal(String principal, byte[] value) {
    principalWrites++;
    principalBytes += value.length;
    principals.put(principal, counted(value));
  }

  @Override
  public void removePrincipal(String principal) {
    principals.remove(principal);
  }

  @Override
  public byte[] correlationInput(long chunk) {
    return correlationInputs.get(chunk);
  }

  @Override
  public void putCorrelationInput(long chunk, byte[] value) {
    chunkWrites++;
    chunkBytes += value.length;
    correlationInputs.put(chunk, counted(value));
  }

  @Override
  public void removeCorrelationInput(long chunk) {
    correlationInputs.remove(chunk);
  }

  /** Everything held, in bytes. */
  long size() {
    long n = length(account) + length(folding) + length(incidents);
    for (byte[] b : principals.values()) {
      n += b.length;
    }
    for (byte[] b : correlationInputs.values()) {
      n += b.length;
    }
    return n;
  }

  void resetCounters() {
    writes = 0;
    bytesWritten = 0;
    principalWrites = 0;
    chunkWrites = 0;
    principalBytes = 0;
    chunkBytes = 0;
  }

  private byte[] counted(byte[] value) {
    writes++;
    bytesWritten += value.length;
    return value;
  }

  private static long length(byte[] b) {
    return b == null ? 0 : b.length;
  }
}
