package dev.vigil.cli;

/** Vigil's exit codes, the same for every command (see README, "Exit codes"). */
public final class ExitCode {
  /** Ran, and all input was read. */
  public static final int OK = 0;
  /** Ran, and found something at or above the --fail-on threshold (audit and scan commands). */
  public static final int FINDINGS = 1;
  /** Could not run: bad usage, no input, an unreadable configuration. */
  public static final int USAGE = 2;
  /** Ran, but some input was quarantined or unreadable; the rest was processed. */
  public static final int PARTIAL_INPUT = 3;
  /** A bug in Vigil: please report it with VIGIL_DEBUG=1 output. */
  public static final int INTERNAL = 70;

  private ExitCode() {}
}
