package dev.vigil.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What is known not to be a secret: paths (regular expressions on the file path), stop-words (case-insensitive
 * substrings of the secret, e.g. {@code EXAMPLE}, {@code changeme}) and regular expressions on the secret (e.g.
 * {@code ^\$\{.*\}$}, a variable reference) and inline markers on the secret's line ({@code vigil:allow}).
 */
public record Allowlist(List<Pattern> paths, List<String> stopwords, List<Pattern> regexes,
    List<String> lineMarkers) {
  public static final Allowlist EMPTY = new Allowlist(List.of(), List.of(), List.of(), List.of());

  public Allowlist {
    paths = List.copyOf(paths);
    stopwords = stopwords.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    regexes = List.copyOf(regexes);
    lineMarkers = lineMarkers.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
  }

  /** True when the line holding the secret carries an inline marker such as {@code vigil:allow}. */
  public boolean allowsLine(String line) {
    if (lineMarkers.isEmpty()) {
      return false;
    }
    String lower = line.toLowerCase(Locale.ROOT);
    for (String m : lineMarkers) {
      if (lower.contains(m)) {
        return true;
      }
    }
    return false;
  }

  public boolean allowsPath(String path) {
    for (Pattern p : paths) {
      if (p.matcher(path).find()) {
        return true;
      }
    }
    return false;
  }

  /** The reason a secret is allowed, or null when it is not. */
  public String allowsSecret(String secret) {
    String lower = null;
    for (String w : stopwords) {
      if (lower == null) {
        lower = secret.toLowerCase(Locale.ROOT);
      }
      if (lower.contains(w)) {
        return "stop-word '" + w + "'";
      }
    }
    for (Pattern p : regexes) {
      if (p.matcher(secret).find()) {
        return "allowlisted pattern " + p.pattern();
      }
    }
    return null;
  }

  public Allowlist plus(Allowlist other) {
    List<Pattern> p = new ArrayList<>(paths);
    p.addAll(other.paths);
    List<String> s = new ArrayList<>(stopwords);
    s.addAll(other.stopwords);
    List<Pattern> r = new ArrayList<>(regexes);
    r.addAll(other.regexes);
    List<String> m = new ArrayList<>(lineMarkers);
    m.addAll(other.lineMarkers);
    return new Allowlist(p, s, r, m);
  }
}
