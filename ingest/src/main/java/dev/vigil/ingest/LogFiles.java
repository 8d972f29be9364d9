package dev.vigil.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the log files under the paths a user gives, in the order to read them. */
public final class LogFiles {

  /** CloudTrail's delivery name: {@code <account>_CloudTrail_<region>_<yyyyMMdd'T'HHmm'Z'>_<unique>.json.gz}. */
  private static final Pattern DELIVERY_NAME =
      Pattern.compile("^\\d{12}_CloudTrail_[a-z0-9-]+_(\\d{8}T\\d{4}Z)_.*");

  private static final String[] LOG_SUFFIXES = {
    ".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".log", ".log.gz", ".gz"
  };

  /** What was found: files to read, in order, and how many were passed over. */
  public record Found(List<Path> files, long ignored) {}

  private LogFiles() {}

  /**
   * Expands the inputs. A file is taken as it is, whatever its name. A directory is walked recursively: when it
   * holds an S3 delivery layout ({@code AWSLogs/}), only the CloudTrail files in that layout are read (digests and
   * side files such as a simulator's truth.json are not logs); otherwise every file with a log suffix. Files are
   * read in delivery-time order where their names carry it, else by path.
   */
  public static Found expand(List<Path> inputs) throws IOException {
    List<Path> out = new ArrayList<>();
    long ignored = 0;
    for (Path input : inputs) {
      if (!Files.isDirectory(input)) {
        out.add(input);
        continue;
      }
      Path awsLogs = input.resolve("AWSLogs");
      boolean layout = Files.isDirectory(awsLogs) || input.getFileName() != null
          && input.getFileName().toString().equals("AWSLogs");
      Path root = Files.isDirectory(awsLogs) ? awsLogs : input;
      List<Path> found = new ArrayList<>();
      long[] skipped = {0};
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile).forEach(p -> {
          if (isHidden(root, p)) {
            return;
          }
          boolean wanted = layout ? isDeliveryFile(p) : hasLogSuffix(p);
          if (wanted) {
            found.add(p);
          } else {
            skipped[0]++;
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (root != input) {
        try (Stream<Path> top = Files.list(input)) {
          skipped[0] += top.filter(p -> !p.equals(awsLogs)).count();
        }
      }
      Map<Path, String> keys = new HashMap<>(); // computed once per file, not once per comparison
      found.forEach(p -> keys.put(p, sortKey(p)));
      found.sort(Comparator.comparing(keys::get));
      out.addAll(found);
      ignored += skipped[0];
    }
    return new Found(out, ignored);
  }

  private static boolean isHidden(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static boolean isDeliveryFile(Path p) {
    String s = p.toString().replace('\\', '/');
    return s.contains("/CloudTrail/") && hasLogSuffix(p);
  }

  static boolean hasLogSuffix(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String suffix : LOG_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Delivery-time first (so regions interleave in time), then the full path for a stable order. */
  public static String sortKey(Path p) {
    Matcher m = DELIVERY_NAME.matcher(p.getFileName().toString());
    String time = m.matches() ? m.group(1) : "~";
    return time + "|" + p;
  }
}
