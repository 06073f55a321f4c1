package io.nauta.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeDirectoriesTest {

  @TempDir Path root;

  @Test
  void anOrphanDirectoryGoesOnlyWhenNothingWasWrittenIntoIt() throws Exception {
    VolumeDirectories dirs = new VolumeDirectories(root);
    dirs.create("pvc-empty");
    dirs.create("pvc-data");
    Files.writeString(dirs.path("pvc-data").resolve("file"), "kept");

    assertThat(dirs.removeIfEmpty("pvc-empty")).isTrue();
    assertThat(dirs.removeIfEmpty("pvc-data")).isFalse();
    assertThat(dirs.removeIfEmpty("pvc-absent")).isFalse();
    assertThat(dirs.existing()).containsExactly("pvc-data");
    assertThat(dirs.path("pvc-data").resolve("file")).hasContent("kept");
  }

  @Test
  void namesThatLeaveTheVolumesDirectoryAreRefused() {
    VolumeDirectories dirs = new VolumeDirectories(root);
    assertThatThrownBy(() -> dirs.path("../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dirs.removeIfEmpty("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
