package dev.vigil.respond.exposure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads GitHub Actions run logs (folders of .txt files, or the zip the API returns) and finds which actions each
 * job downloaded: the runner writes {@code Download action repository 'owner/repo@ref' (SHA:...)} for every
 * action it fetches, which proves the job ran that code at that commit.
 */
public final class RunLogReader {
  private static final Pattern DOWNLOAD = Pattern.compile(
      "^(?:(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z)\\s+)?Download action repository "
          + "'([^'@\\s]+)@([^'\\s]+)'(?:\\s+\\(SHA:([0-9a-fA-F]{40})\\))?");
  /** Run logs are small; a larger entry is not a log and is skipped with a problem. */
  private static final long MAX_ENTRY_BYTES = 256L << 20;

  /** A log that could not be read, with why. */
  public record Problem(String source, String reason) {}

  private final List<Problem> problems = new ArrayList<>();

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  /** Reads every .txt / .log file and every .zip under the given paths. */
  public List<ActionExecution> read(List<Path> paths) {
    List<ActionExecution> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).sorted().forEach(f -> readFile(p, f, out::add));
        } catch (IOException e) {
          problems.add(new Problem(p.toString(), "cannot list: " + e.getMessage()));
        }
      } else if (Files.isRegularFile(p)) {
        readFile(p.getParent() == null ? p : p.getParent(), p, out::add);
      } else {
        problems.add(new Problem(p.toString(), "no such file or directory"));
      }
    }
    return out;
  }

  private void readFile(Path root, Path file, Consumer<ActionExecution> sink) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".zip")) {
        readZip(file, sink);
      } else if (name.endsWith(".txt") || name.endsWith(".log")) {
        try (InputStream in = Files.newInputStream(file)) {
          readLog(file.toString(), jobName(root.relativize(file).toString(),
              dir -> Files.isDirectory(file.getParent().resolve(dir))), in, sink);
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(file.toString(), "unreadable: " + e.getMessage()));
    }
  }

  private void readZip(Path zip, Consumer<ActionExecution> sink) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry;
      int entries = 0;
      while ((entry = in.getNextEntry()) != null) {
        entries++;
        String entryName = entry.getName();
        if (entry.isDirectory() || !entryName.toLowerCase(Locale.ROOT).endsWith(".txt")) {
          continue;
        }
        if (entry.getSize() > MAX_ENTRY_BYTES) {
          problems.add(new Problem(zip + "!" + entryName, "entry larger than 256 MiB: not a run log"));
          continue;
        }
        readLog(zip + "!" + entryName, jobName(entryName, dir -> false), new java.io.FilterInputStream(in) {
          @Override
          public void close() {
            // the zip stream stays open for the next entry
          }
        }, sink);
      }
      if (entries == 0) {
        problems.add(new Problem(zip.toString(), "no entries: not a zip archive, or empty"));
      }
    } catch (java.util.zip.ZipException e) {
      problems.add(new Problem(zip.toString(), "corrupt zip: " + e.getMessage()));
    }
  }

  void readLog(String source, String job, InputStream in, Consumer<ActionExecution> sink) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = reader.readLine()) != null) {
      n++;
      if (!line.contains("Download action repository")) {
        continue;
      }
      Matcher m = DOWNLOAD.matcher(line.startsWith("\uFEFF") ? line.substring(1) : line);
      if (m.find()) {
        Instant time = null;
        if (m.group(1) != null) {
          try {
            time = Instant.parse(m.group(1));
          } catch (DateTimeParseException e) {
            time = null;
          }
        }
        sink.accept(new ActionExecution(source, job, m.group(2), m.group(3),
            m.group(4) == null ? null : m.group(4).toLowerCase(Locale.ROOT), time, n));
      }
    }
  }

  /**
   * The job's name from the log layout. The API's zip has {@code <job>/<n>_<step>.txt} per step and
   * {@code <n>_<job>.txt} per job; users keep several runs side by side ({@code run-logs/<run>/<job>/...}) or give
   * one run's folder. So a step log's job is the folder that holds it; a file {@code <n>_<job>.txt} is a whole
   * job's log when it sits beside its job's folder, or at the top of what was given.
   *
   * @param siblingDir whether a folder of that name sits beside the file
   */
  static String jobName(String relative, java.util.function.Predicate<String> siblingDir) {
    String path = relative.replace('\\', '/');
    int slash = path.lastIndexOf('/');
    String file = (slash >= 0 ? path.substring(slash + 1) : path).replaceFirst("\\.(txt|log)$", "");
    String stripped = file.replaceFirst("^\\d+_", "");
    if (slash < 0 || !stripped.equals(file) && siblingDir.test(stripped)) {
      return stripped;
    }
    String parent = path.substring(0, slash);
    return parent.substring(parent.lastIndexOf('/') + 1);
  }
}
