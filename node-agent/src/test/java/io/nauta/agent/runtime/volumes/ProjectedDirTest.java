package io.nauta.agent.runtime.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectedDirTest {

  @TempDir Path dir;

  private static FileProjection file(String text, int mode) {
    return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
  }

  private String read(String path) throws IOException {
    return Files.readString(dir.resolve(path));
  }

  private long versions() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\.\\.[0-9a-f]+")).count();
    }
  }

  @Test
  void writesFilesBehindDataLinkWithTheirModes() throws IOException {
    ProjectedDir.write(dir, Map.of("a", file("alpha", 0640), "conf/b.txt", file("beta", 0755)));

    assertThat(read("a")).isEqualTo("alpha");
    assertThat(read("conf/b.txt")).isEqualTo("beta");
    assertThat(Files.isSymbolicLink(dir.resolve("a"))).isTrue();
    assertThat(Files.readSymbolicLink(dir.resolve("a"))).isEqualTo(Path.of("..data", "a"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))))
        .isEqualTo("rw-r-----");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("conf/b.txt"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(ProjectedDir.populated(dir)).isTrue();
  }

  @Test
  void rewritingTheSamePayloadChangesNothingAndAnUpdateReplacesTheOldVersion() throws IOException {
    ProjectedDir.write(dir, Map.of("a", file("1", 0644), "gone", file("x", 0644)));
    Path data = Files.readSymbolicLink(dir.resolve("..data"));
    ProjectedDir.write(dir, Map.of("a", file("1", 0644), "gone", file("x", 0644)));
    assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(data);

    ProjectedDir.write(dir, Map.of("a", file("2", 0644)));

    assertThat(read("a")).isEqualTo("2");
    assertThat(Files.exists(dir.resolve("gone"))).isFalse();
    assertThat(versions()).isEqualTo(1);
  }

  @Test
  void deleteTreeNeverFollowsLinks(@TempDir Path outside) throws IOException {
    Files.writeString(outside.resolve("keep"), "precious");
    Files.createDirectories(dir.resolve("pod"));
    Files.createSymbolicLink(dir.resolve("pod/link"), outside);

    ProjectedDir.deleteTree(dir.resolve("pod"));

    assertThat(Files.exists(dir.resolve("pod"))).isFalse();
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("precious");
  }
}
