package io.nauta.agent.runtime.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathCheckTest {

  @TempDir Path tmp;

  @Test
  void checksEachTypeAsKubernetes() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Path sock = tmp.resolve("sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      String missing = tmp.resolve("missing").toString();
      Object[][] cases = {
        {dir, "", null},
        {missing, "", null},
        {dir, "Directory", null},
        {file, "Directory", "hostPath type check failed: " + file + " is not a directory"},
        {missing, "Directory", "hostPath type check failed: " + missing + " is not a directory"},
        {file, "File", null},
        {dir, "File", "hostPath type check failed: " + dir + " is not a file"},
        {sock, "Socket", null},
        {file, "Socket", "hostPath type check failed: " + file + " is not a socket file"},
        {dir, "DirectoryOrCreate", null},
        {file, "DirectoryOrCreate", "hostPath type check failed: " + file + " is not a directory"},
        {file, "FileOrCreate", null},
        {dir, "FileOrCreate", "hostPath type check failed: " + dir + " is not a file"},
        {file, "CharDevice", "hostPath type check failed: " + file + " is not a character device"},
        {"/dev/null", "CharDevice", null},
        {dir, "Bogus", "Bogus is an invalid volume type"},
      };
      for (Object[] c : cases) {
        assertThat(HostPathCheck.check(c[0].toString(), (String) c[1]))
            .as(c[0] + " " + c[1])
            .isEqualTo(c[2]);
      }
    }
  }

  @Test
  void orCreateTypesCreateWhatIsMissing() {
    Path newDir = tmp.resolve("a/b");
    Path newFile = tmp.resolve("f");

    assertThat(HostPathCheck.check(newDir.toString(), "DirectoryOrCreate")).isNull();
    assertThat(HostPathCheck.check(newFile.toString(), "FileOrCreate")).isNull();

    assertThat(newDir).isDirectory();
    assertThat(newFile).isRegularFile().isEmptyFile();
  }
}
