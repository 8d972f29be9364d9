package dev.vigil.cli;

/** A mistake the user can fix (bad path, bad option value): printed as one line, never as a stack trace. */
public class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
