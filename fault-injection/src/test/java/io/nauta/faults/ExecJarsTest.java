package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecJarsTest {

  @Test
  void aMissingJarSaysHowToBuildIt(@TempDir Path root) {
    assertThatThrownBy(() -> ExecJars.of(root, "platform-api"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no executable jar of platform-api")
        .hasMessageContaining("mvn -B -DskipTests package");
  }

  @Test
  void theNewestExecJarOfTheModuleIsTaken(@TempDir Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("node-agent/target"));
    Path old = Files.createFile(target.resolve("node-agent-0.1.0-exec.jar"));
    Path plain = Files.createFile(target.resolve("node-agent-0.2.0.jar"));
    Path newer = Files.createFile(target.resolve("node-agent-0.2.0-exec.jar"));
    Files.setLastModifiedTime(old, FileTime.fromMillis(1_000));
    Files.setLastModifiedTime(plain, FileTime.fromMillis(3_000));
    Files.setLastModifiedTime(newer, FileTime.fromMillis(2_000));

    assertThat(ExecJars.of(root, "node-agent")).isEqualTo(newer);
  }
}
