package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

  @Test
  void withoutAnArchiveTheJarRunsAsBuilt(@TempDir Path target) throws Exception {
    Path jar = Files.write(target.resolve("node-agent-0.1.0-exec.jar"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_500L));
    Path dir = Files.createDirectories(target.resolve("nauta-cds/1700000000-3/app"));
    Files.createFile(dir.resolve("node-agent-0.1.0-exec.jar"));
    Files.createFile(dir.resolveSibling("extracted"));
    // Extracted, but the archive is still being recorded (or was never): the built jar.
    assertThat(ClassDataArchive.runJar(jar)).containsExactly("-jar", jar.toString());
    Files.createFile(dir.resolveSibling("app.jsa"));
    assertThat(ClassDataArchive.runJar(jar)).containsExactly("-jar", jar.toString());
  }

  @Test
  void theLaunchersArchiveOfTheSameBuildIsUsedWithItsExtractedJar(@TempDir Path target)
      throws Exception {
    Path jar = Files.write(target.resolve("node-agent-0.1.0-exec.jar"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_500L));
    Path dir = Files.createDirectories(target.resolve("nauta-cds/1700000000-3"));
    Path extracted =
        Files.createFile(
            Files.createDirectories(dir.resolve("app")).resolve("node-agent-0.1.0-exec.jar"));
    Files.createFile(dir.resolve("extracted"));
    Files.write(dir.resolve("app.jsa"), new byte[] {9});
    assertThat(ClassDataArchive.runJar(jar))
        .containsExactly(
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off",
            "-XX:SharedArchiveFile=" + dir.resolve("app.jsa"),
            "-jar",
            extracted.toString());
    // Another build of the jar (another size): its own directory, none yet.
    Files.write(jar, new byte[] {1, 2, 3, 4});
    assertThat(ClassDataArchive.runJar(jar)).containsExactly("-jar", jar.toString());
  }
}
