package dev.vigil.secrets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Files for the scanner: directory trees (optionally honouring .gitignore files, never descending into .git),
 * binary detection, a size cap, and zip/jar/tar/tar.gz archives opened one level deep. Every file that cannot be
 * read is a {@link ScanReport.Problem}; files skipped on purpose are counted by reason.
 */
public final class FileSources {
  /** Bytes looked at to decide that a file is binary (a NUL byte in them). */
  static final int BINARY_PROBE = 8000;

  private final long maxFileBytes;
  private final boolean respectGitignore;
  private final ScanReport report;

  public FileSources(long maxFileBytes, boolean respectGitignore, ScanReport report) {
    this.maxFileBytes = maxFileBytes;
    this.respectGitignore = respectGitignore;
    this.report = report;
  }

  /** Lists the regular files under a path (or the path itself), in a stable order. */
  public List<Path> list(Path root) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      out.add(root);
      return out;
    }
    Deque<Ignores> ignores = new ArrayDeque<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root) && dir.getFileName().toString().equals(".git")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          if (!dir.equals(root) && ignored(ignores, dir, true)) {
            report.skip(dir.toString(), "gitignored");
            return FileVisitResult.SKIP_SUBTREE;
          }
          if (respectGitignore) {
            Path gi = dir.resolve(".gitignore");
            IgnoreNode node = new IgnoreNode();
            if (Files.isRegularFile(gi)) {
              try (InputStream in = Files.newInputStream(gi)) {
                node.parse(gi.toString(), in);
              } catch (IOException e) {
                report.problem(gi.toString(), "cannot read .gitignore: " + reason(e));
              }
            }
            ignores.push(new Ignores(dir, node));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
          if (respectGitignore && !ignores.isEmpty() && ignores.peek().dir().equals(dir)) {
            ignores.pop();
          }
          if (exc != null) {
            report.problem(dir.toString(), "cannot list directory: " + reason(exc));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (!attrs.isRegularFile()) {
            report.skip(file.toString(), attrs.isSymbolicLink() ? "symbolic link (not followed)" : "not a regular file");
            return FileVisitResult.CONTINUE;
          }
          if (ignored(ignores, file, false)) {
            report.skip(file.toString(), "gitignored");
          } else {
            out.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          report.problem(file.toString(), "cannot read: " + reason(exc));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      report.problem(root.toString(), "cannot walk: " + reason(e));
    }
    return out;
  }

  private record Ignores(Path dir, IgnoreNode node) {}

  private boolean ignored(Deque<Ignores> stack, Path p, boolean dir) {
    if (!respectGitignore) {
      return false;
    }
    for (Ignores i : stack) { // innermost first: the nearest .gitignore decides
      if (!p.startsWith(i.dir()) || p.equals(i.dir())) {
        continue;
      }
      String rel = i.dir().relativize(p).toString().replace('\\', '/');
      Boolean r = i.node().checkIgnored(rel, dir);
      if (r != null) {
        return r;
      }
    }
    return false;
  }

  /**
   * Reads one file and hands each text in it to {@code sink} (name, bytes): the file itself, or the entries of an
   * archive. Binary files, files over the cap and nested archives are skipped and counted.
   */
  public void read(Path file, BiConsumer<String, byte[]> sink) {
    String name = file.toString();
    long size = sizeWithinCap(file, name);
    if (size < 0) {
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      report.problem(name, "cannot read: " + reason(e));
      return;
    } catch (OutOfMemoryError e) {
      report.problem(name, "too large to hold in memory (" + size + " bytes)");
      return;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (isZip(lower)) {
      // the central directory tells a complete zip from a truncated one; the stream salvages what it can
      try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
        z.size();
      } catch (IOException e) {
        report.problem(name, "broken archive: " + reason(e) + " (entries before the damage are still scanned)");
        readZip(name, bytes, sink, false);
        return;
      }
      readZip(name, bytes, sink, true);
    } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
      readTar(name, bytes, true, sink);
    } else if (lower.endsWith(".tar")) {
      readTar(name, bytes, false, sink);
    } else {
      text(name, bytes, sink);
    }
  }

  /** The file's size, or -1 once it is reported unreadable or skipped as over the size cap. */
  private long sizeWithinCap(Path file, String name) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      report.problem(name, "cannot read: " + reason(e));
      return -1;
    }
    if (size > maxFileBytes) {
      report.skip(name, "over the size cap");
      return -1;
    }
    return size;
  }

  /** Receives a text: its name and {@code bytes[0, length)}; the array is reused once the call returns. */
  @FunctionalInterface
  public interface Texts {
    void accept(String name, byte[] bytes, int length);
  }

  /** A file's bytes are read into this per-thread buffer (kept up to this size), not into a new array each. */
  private static final int KEPT_BUFFER = 16 << 20;
  private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[1][]);

  /**
   * Like {@link #read(Path, BiConsumer)}, but a plain file (not an archive) is read into a buffer reused from file
   * to file, which saves allocating and clearing an array per file.
   */
  public void read(Path file, Texts sink) {
    String name = file.toString();
    if (isArchive(name.toLowerCase(Locale.ROOT))) {
      read(file, (n, b) -> sink.accept(n, b, b.length));
      return;
    }
    long size = sizeWithinCap(file, name);
    if (size < 0) {
      return;
    }
    if (size >= Integer.MAX_VALUE - 8) {
      report.problem(name, "too large to hold in memory (" + size + " bytes)");
      return;
    }
    byte[][] kept = BUFFER.get();
    byte[] buf = kept[0];
    int length;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.READ)) {
      if (buf == null || buf.length < size + 1) { // one byte more: a file that grew is seen to have grown
        buf = new byte[(int) Math.max(size + 1, 1 << 16)];
      }
      java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
      while (ch.read(bb) >= 0) {
        if (!bb.hasRemaining()) { // the file grew while being read
          if (buf.length >= Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError();
          }
          int at = bb.position();
          buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.length));
          bb = java.nio.ByteBuffer.wrap(buf);
          bb.position(at);
        }
      }
      length = bb.position();
    } catch (IOException e) {
      report.problem(name, "cannot read: " + reason(e));
      return;
    } catch (OutOfMemoryError e) {
      report.problem(name, "too large to hold in memory (" + size + " bytes)");
      return;
    }
    if (buf.length <= KEPT_BUFFER) {
      kept[0] = buf;
    }
    text(name, buf, length, sink);
  }

  /** Reads a whole stream (standard input) as one text. */
  public void read(String name, InputStream in, BiConsumer<String, byte[]> sink) {
    try {
      byte[] bytes = readCapped(in, maxFileBytes);
      if (bytes == null) {
        report.skip(name, "over the size cap");
        return;
      }
      text(name, bytes, sink);
    } catch (IOException e) {
      report.problem(name, "cannot read: " + reason(e));
    }
  }

  private static boolean isZip(String lower) {
    return lower.endsWith(".zip") || lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear")
        || lower.endsWith(".whl") || lower.endsWith(".nupkg") || lower.endsWith(".apk");
  }

  private static boolean isArchive(String lower) {
    return isZip(lower) || lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".tar");
  }

  private void text(String name, byte[] bytes, BiConsumer<String, byte[]> sink) {
    text(name, bytes, bytes.length, (n, b, length) -> sink.accept(n, b));
  }

  /** Counts and hands on a text, or skips it as binary. */
  private void text(String name, byte[] bytes, int length, Texts sink) {
    if (isBinary(bytes, length)) {
      report.skip(name, "binary");
      return;
    }
    report.files.incrementAndGet();
    report.bytes.addAndGet(length);
    sink.accept(name, bytes, length);
  }

  static boolean isBinary(byte[] bytes) {
    return isBinary(bytes, bytes.length);
  }

  static boolean isBinary(byte[] bytes, int length) {
    int n = Math.min(length, BINARY_PROBE);
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private void entry(String archive, String entry, byte[] bytes, BiConsumer<String, byte[]> sink) {
    String name = archive + "!" + entry;
    if (isArchive(entry.toLowerCase(Locale.ROOT))) {
      report.skip(name, "nested archive (one level deep only)");
      return;
    }
    text(name, bytes, sink);
  }

  private void readZip(String name, byte[] bytes, BiConsumer<String, byte[]> sink, boolean reportDamage) {
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        entries++;
        if (e.isDirectory()) {
          continue;
        }
        byte[] content = readCapped(zip, maxFileBytes);
        if (content == null) {
          report.skip(name + "!" + e.getName(), "over the size cap");
          continue;
        }
        entry(name, e.getName(), content, sink);
      }
      if (entries == 0 && bytes.length > 0 && reportDamage) {
        report.problem(name, "broken archive: no zip entries found");
      }
    } catch (IOException | IllegalArgumentException e) {
      if (reportDamage) {
          report.problem(name, "broken archive after " + entries + " entr" + (entries == 1 ? "y" : "ies") + ": "
            + reason(e));
      }
    }
  }

  /** A minimal ustar/GNU tar reader: 512-byte headers, octal sizes, regular files only. */
  private void readTar(String name, byte[] bytes, boolean gzip, BiConsumer<String, byte[]> sink) {
    int entries = 0;
    try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(bytes), 65536)
        : new ByteArrayInputStream(bytes)) {
      byte[] header = new byte[512];
      String longName = null;
      while (true) {
        if (!readFully(in, header)) {
          if (entries == 0) {
            throw new EOFException("no tar header");
          }
          break;
        }
        if (allZero(header)) {
          break;
        }
        if (!checksumOk(header)) {
          throw new IOException("bad tar header checksum at entry " + (entries + 1));
        }
        entries++;
        String entryName = longName != null ? longName : field(header, 0, 100);
        longName = null;
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty() && header[257] == 'u') {
          entryName = prefix + "/" + entryName;
        }
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        long padded = (size + 511) / 512 * 512;
        if (type == 'L') { // GNU long name
          byte[] n = new byte[(int) padded];
          if (!readFully(in, n)) {
            throw new EOFException("truncated long name");
          }
          longName = new String(n, 0, (int) size, StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        if ((type == '0' || type == '\0') && size <= maxFileBytes) {
          byte[] content = new byte[(int) size];
          if (!readFully(in, content)) {
            throw new EOFException("truncated entry " + entryName);
          }
          skip(in, padded - size);
          entry(name, entryName, content, sink);
        } else {
          if (type == '0' || type == '\0') {
            report.skip(name + "!" + entryName, "over the size cap");
          }
          skip(in, padded);
        }
      }
    } catch (IOException e) {
      report.problem(name, "broken archive after " + entries + " entr" + (entries == 1 ? "y" : "ies") + ": "
          + reason(e));
    }
  }

  private static boolean checksumOk(byte[] h) {
    long stored = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    return stored == sum;
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int off, int len) {
    long v = 0;
    for (int i = off; i < off + len; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (v > 0) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        return -1;
      }
      v = v * 8 + (b - '0');
    }
    return v;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int r = in.read(b, off, b.length - off);
      if (r < 0) {
        if (off == 0) {
          return false;
        }
        throw new EOFException("truncated (" + off + " of " + b.length + " bytes)");
      }
      off += r;
    }
    return true;
  }

  private static void skip(InputStream in, long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new EOFException("truncated");
        }
        s = 1;
      }
      n -= s;
    }
  }

  /** The stream's bytes, or null when there are more than {@code cap}. */
  static byte[] readCapped(InputStream in, long cap) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    long total = 0;
    int r;
    while ((r = in.read(buf)) > 0) {
      total += r;
      if (total > cap) {
        return null;
      }
      out.write(buf, 0, r);
    }
    return out.toByteArray();
  }

  static String reason(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
