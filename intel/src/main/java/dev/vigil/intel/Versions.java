package dev.vigil.intel;

/** Dotted numeric versions such as {@code v45.0.7} or {@code 0.34.2}; a leading 'v' is ignored. */
public final class Versions {
  private Versions() {}

  /** The numeric parts, or null when {@code tag} is not a plain dotted version. */
  public static int[] parse(String tag) {
    if (tag == null) {
      return null;
    }
    String s = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
    if (s.isEmpty()) {
      return null;
    }
    String[] parts = s.split("\\.");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 9 || !parts[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }

  /** Compares numerically; missing trailing parts count as 0 (v45 == v45.0.0). */
  public static int compare(int[] a, int[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] : 0;
      int y = i < b.length ? b[i] : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }
}
