package dev.vigil.detect.behaviour;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The honey-credential watch list: a text file, one {@code KEY_ID<TAB>NAME<TAB>REGISTERED_AT} per line, '#'
 * comments. {@code vigil honeytoken create} appends to it and {@code vigil detect} reads it.
 */
public final class Honeytokens {

  /** Stand-in key id registered before the real key exists; the user replaces it (see the command's help). */
  public static final String PLACEHOLDER_PREFIX = "AKIAHONEYTOKEN";
  private static final Pattern KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{12,124}");

  private Honeytokens() {}

  /** {@code $VIGIL_HOME/honeytokens.tsv}, else {@code ~/.vigil/honeytokens.tsv}. */
  public static Path defaultPath() {
    String home = System.getenv("VIGIL_HOME");
    return home != null && !home.isBlank() ? Path.of(home, "honeytokens.tsv")
        : Path.of(System.getProperty("user.home"), ".vigil", "honeytokens.tsv");
  }

  public static boolean validKeyId(String keyId) {
    return keyId != null && KEY_ID.matcher(keyId).matches();
  }

  /** Key id → name. A missing file is an empty list; a malformed line is an error naming file and line. */
  public static Map<String, String> load(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (!validKeyId(f[0])) {
        throw new IOException(file + " line " + (i + 1) + ": '" + f[0] + "' is not an access key id");
      }
      out.put(f[0], f.length > 1 ? f[1] : "");
    }
    return out;
  }

  /** Appends a key id (replacing an entry of the same name that still holds the placeholder). */
  public static void register(Path file, String keyId, String name, Instant when) throws IOException {
    Map<String, String> existing = load(file);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    StringBuilder sb = new StringBuilder();
    if (!Files.exists(file)) {
      sb.append("# Vigil honey credentials: any use of these key ids is a critical alert.\n")
          .append("# key_id<TAB>name<TAB>registered_at\n");
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
    if (existing.containsKey(keyId)) {
      return;
    }
    if (!keyId.startsWith(PLACEHOLDER_PREFIX) && existing.entrySet().stream()
        .anyMatch(e -> e.getValue().equals(name) && e.getKey().startsWith(PLACEHOLDER_PREFIX))) {
      List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !(l.startsWith(PLACEHOLDER_PREFIX) && l.split("\t").length > 1 && l.split("\t")[1].equals(name)))
          .toList();
      Files.write(file, kept, StandardCharsets.UTF_8);
    }
    Files.writeString(file, keyId + "\t" + name + "\t" + when + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  /** A deterministic placeholder key id for a name (20 characters like a real one). */
  public static String placeholder(String name) {
    String h = Integer.toUnsignedString(name.hashCode(), 36).toUpperCase(java.util.Locale.ROOT);
    return (PLACEHOLDER_PREFIX + "000000" + h).substring(0, 14) + (h + "000000").substring(0, 6);
  }
}
