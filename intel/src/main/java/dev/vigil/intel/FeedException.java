package dev.vigil.intel;

/** A feed file that cannot be used; the message names the file and what is wrong. */
public final class FeedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FeedException(String message) {
    super(message);
  }
}
