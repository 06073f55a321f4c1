package io.nauta.api.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A log file rotated by size, as kube-apiserver's audit log (lumberjack): lines are appended to the
 * file; one that would take it past {@code maxBytes} first moves the file aside as {@code
 * <name>-<UTC time>.<ext>} ({@code audit-2026-12-05T07-40-12.345.log}) and starts a new one; of the
 * moved files only the {@code maxBackups} newest are kept (0 keeps all). Path {@code -} is standard
 * output, never rotated. Used by one thread only.
 */
final class RotatingLogFile implements AutoCloseable {

  private static final DateTimeFormatter BACKUP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);

  private final Path path;
  private final long maxBytes;
  private final int maxBackups;
  private final Clock clock;
  private OutputStream out;
  private long size;

  RotatingLogFile(Path path, long maxBytes, int maxBackups, Clock clock) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.maxBackups = maxBackups;
    this.clock = clock;
  }

  static boolean isStdout(Path path) {
    return path.toString().equals("-");
  }

  void write(byte[] line) throws IOException {
    if (out == null) {
      open();
    }
    if (!isStdout(path) && size > 0 && size + line.length > maxBytes) {
      rotate();
    }
    out.write(line);
    size += line.length;
  }

  void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null && !isStdout(path)) {
      out.close();
    } else if (out != null) {
      out.flush();
    }
    out = null;
  }

  private void open() throws IOException {
    if (isStdout(path)) {
      out = System.out;
      return;
    }
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    out =
        new BufferedOutputStream(
            Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            64 * 1024);
    size = Files.size(path);
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    Path backup = path.resolveSibling(prefix() + BACKUP_TIME.format(clock.instant()) + suffix());
    Files.move(path, backup);
    prune();
    open();
  }

  /** Deletes the oldest backups beyond {@code maxBackups}; their names sort by time. */
  private void prune() throws IOException {
    if (maxBackups <= 0) {
      return;
    }
    List<Path> backups = new ArrayList<>(backups());
    backups.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    for (Path old : backups.subList(Math.min(maxBackups, backups.size()), backups.size())) {
      Files.deleteIfExists(old);
    }
  }

  /** The moved-aside files of this log. */
  List<Path> backups() throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    String prefix = prefix();
    String suffix = suffix();
    int timeLength = "yyyy-MM-ddTHH-mm-ss.SSS".length();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix)
                    && n.endsWith(suffix)
                    && n.length() == prefix.length() + timeLength + suffix.length();
              })
          .toList();
    }
  }

  private String prefix() {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + "-";
  }

  private String suffix() {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot) : "";
  }
}
