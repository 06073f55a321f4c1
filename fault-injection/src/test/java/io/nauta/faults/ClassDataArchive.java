package io.nauta.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class-data archive {@code deploy/nauta} keeps beside a module's jar (its {@code
 * prepare_run_jar}: the jar extracted once per build under {@code
 * target/nauta-cds/<mtime>-<size>/app/}, and {@code app.jsa} recorded by a run that exited
 * cleanly), used read-only here: a component this suite starts itself starts in about half the time
 * when an earlier {@code deploy/nauta} run of the same build left the archive, and as built when
 * not.
 */
final class ClassDataArchive {

  private ClassDataArchive() {}

  /** {@code -jar <jar>}, with the archive's options and the extracted jar when they exist. */
  static List<String> runJar(Path jar) {
    List<String> args = new ArrayList<>();
    Path dir = directory(jar);
    Path archive = dir.resolve("app.jsa");
    Path extracted = dir.resolve("app").resolve(jar.getFileName().toString());
    if (Files.exists(dir.resolve("extracted"))
        && Files.isRegularFile(extracted)
        && nonEmpty(archive)) {
      args.add("-Xlog:cds=off");
      args.add("-Xlog:cds+dynamic=off");
      args.add("-XX:SharedArchiveFile=" + archive);
      args.add("-jar");
      args.add(extracted.toString());
    } else {
      args.add("-jar");
      args.add(jar.toString());
    }
    return args;
  }

  /** As the launcher names it: {@code stat -c '%Y-%s'} of the jar. */
  static Path directory(Path jar) {
    try {
      long seconds = Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS);
      return jar.resolveSibling("nauta-cds").resolve(seconds + "-" + Files.size(jar));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean nonEmpty(Path p) {
    try {
      return Files.isRegularFile(p) && Files.size(p) > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
