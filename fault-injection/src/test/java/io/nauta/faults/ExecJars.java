package io.nauta.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The executable jars the reactor builds ({@code <module>/target/<module>-*-exec.jar}), the same
 * ones {@code deploy/nauta up} runs (its {@code module_jar}): the newest when several are there.
 */
final class ExecJars {

  private ExecJars() {}

  /** The reactor's root directory (surefire passes it as {@code nauta.root}). */
  static Path root() {
    String root = System.getProperty("nauta.root");
    Path dir = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    return dir.toAbsolutePath().normalize();
  }

  /** The jar of {@code module}, or a failure saying how to build it. */
  static Path of(String module) {
    return of(root(), module);
  }

  static Path of(Path root, String module) {
    Path target = root.resolve(module).resolve("target");
    try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return files
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith(module + "-") && name.endsWith("-exec.jar");
              })
          .max(Comparator.comparing(ExecJars::modified))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no executable jar of "
                          + module
                          + " ("
                          + target
                          + "/"
                          + module
                          + "-*-exec.jar): build the reactor first with `mvn -B -DskipTests"
                          + " package` in "
                          + root
                          + " (under `mvn verify` at the root it is packaged before this"
                          + " module's tests run)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
