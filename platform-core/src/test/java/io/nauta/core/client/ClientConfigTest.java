package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {

  @Test
  void readsServerTokenAndNamespaceOfTheCurrentContext(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: other
          cluster:
            server: http://other:1
        - name: nauta
          cluster:
            server: http://127.0.0.1:6443/
        users:
        - name: admin
          user:
            token: s3cret
        contexts:
        - name: other
          context: {cluster: other, user: admin}
        - name: nauta
          context:
            cluster: nauta
            user: admin
            namespace: team-a
        current-context: nauta
        """);

    ClientConfig config = ClientConfig.fromKubeconfig(file);

    assertThat(config.server()).isEqualTo("http://127.0.0.1:6443");
    assertThat(config.token()).isEqualTo("s3cret");
    assertThat(config.namespace()).isEqualTo("team-a");
  }

  @Test
  void aUrlAloneMeansNoTokenAndTheDefaultNamespace() {
    ClientConfig config = ClientConfig.fromUrl("http://localhost:8080");

    assertThat(config.token()).isNull();
    assertThat(config.namespace()).isEqualTo("default");
  }
}
