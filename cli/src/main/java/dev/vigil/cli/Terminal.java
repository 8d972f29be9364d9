package dev.vigil.cli;

import java.io.PrintStream;

/** What the output stream is: colour and progress only when a person is watching. */
public final class Terminal {
  private Terminal() {}

  /** True when stdout is an interactive terminal and colour is not disabled (NO_COLOR, TERM=dumb). */
  public static boolean colour() {
    return System.console() != null && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
  }

  /** True when stderr is probably a terminal (the JDK cannot tell stderr apart; stdout is the proxy). */
  public static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  public static String paint(String ansi, String text, boolean on) {
    return on ? "\u001b[" + ansi + "m" + text + "\u001b[0m" : text;
  }

  /** Prints a one-line error in the form every command uses. */
  public static void error(java.io.PrintWriter err, String message) {
    err.println("vigil: error: " + message);
    err.flush();
  }

  public static void error(PrintStream err, String message) {
    err.println("vigil: error: " + message);
  }
}
