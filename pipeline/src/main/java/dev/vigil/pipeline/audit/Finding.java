package dev.vigil.pipeline.audit;

import java.util.List;
import java.util.Map;

/**
 * One finding of one audit at one place. {@code notes} point at other relevant places with a few words each.
 *
 * @param fix   a mechanical fix (pin to a commit), or null
 * @param facts machine-readable details (advisory, action, ref, secret...) for JSON output and investigation
 */
public record Finding(String auditId, Severity severity, Confidence confidence, Persona persona, String path,
    int line, int column, int endLine, String message, List<Note> notes, PinFix fix, Map<String, String> facts) {

  /** A secondary location. */
  public record Note(int line, int column, String label) {}

  /**
   * Replace {@code oldText} at the line with {@code newText} and set the trailing comment ({@code # tag}).
   */
  public record PinFix(int line, String oldText, String newText, String comment) {}
}
