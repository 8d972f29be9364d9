package dev.vigil.pipeline.fix;

import dev.vigil.pipeline.audit.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies pin fixes to a file's text: {@code owner/repo@v4} becomes {@code owner/repo@<sha> # v4}; any comment
 * already on the line is replaced by the tag. Produces the new text and a unified diff.
 */
public final class PinFixer {
  private PinFixer() {}

  /** The edited text and the changed lines (line number to old and new text). */
  public record Result(String text, Map<Integer, String[]> changes) {
    public boolean changed() {
      return !changes.isEmpty();
    }
  }

  public static Result apply(String text, List<Finding.PinFix> fixes) {
    String[] lines = text.split("\n", -1);
    Map<Integer, String[]> changes = new TreeMap<>();
    for (Finding.PinFix f : fixes) {
      int i = f.line() - 1;
      if (i < 0 || i >= lines.length) {
        continue;
      }
      String line = changes.containsKey(f.line()) ? changes.get(f.line())[1] : lines[i];
      boolean cr = line.endsWith("\r");
      String body = cr ? line.substring(0, line.length() - 1) : line;
      int at = body.indexOf(f.oldText());
      if (at < 0) {
        continue;
      }
      int end = at + f.oldText().length();
      String rest = body.substring(end);
      // keep a closing quote, drop an old comment
      String quote = rest.startsWith("\"") || rest.startsWith("'") ? rest.substring(0, 1) : "";
      String updated = body.substring(0, at) + f.newText() + quote + " # " + f.comment() + (cr ? "\r" : "");
      changes.put(f.line(), new String[] {lines[i], updated});
    }
    changes.forEach((n, c) -> lines[n - 1] = c[1]);
    return new Result(String.join("\n", lines), changes);
  }

  /** A unified diff (no context lines) of the changes, for review or {@code patch -p1}. */
  public static String diff(String path, Result r) {
    if (!r.changed()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
    List<Integer> ns = new ArrayList<>(r.changes().keySet());
    for (int n : ns) {
      String[] c = r.changes().get(n);
      sb.append("@@ -").append(n).append(",1 +").append(n).append(",1 @@\n");
      sb.append('-').append(c[0].replace("\r", "")).append('\n');
      sb.append('+').append(c[1].replace("\r", "")).append('\n');
    }
    return sb.toString();
  }
}
