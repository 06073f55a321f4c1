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

  @Test
  void readsTlsFilesRelativeToTheKubeconfigAndDataFields(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ca.crt"), "CA PEM");
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/client.crt"), "CERT PEM");
    String keyData = java.util.Base64.getEncoder().encodeToString("KEY PEM".getBytes());
    Path file = dir.resolve("config");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nauta
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority: ca.crt
            insecure-skip-tls-verify: true
        users:
        - name: admin
          user:
            client-certificate: certs/client.crt
            client-key-data: %s
        contexts:
        - name: nauta
          context: {cluster: nauta, user: admin}
        current-context: nauta
        """
            .formatted(keyData));

    ClientConfig config = ClientConfig.fromKubeconfig(file);

    assertThat(config.certificateAuthority()).isEqualTo("CA PEM");
    assertThat(config.clientCertificate()).isEqualTo("CERT PEM");
    assertThat(config.clientKey()).isEqualTo("KEY PEM");
    assertThat(config.insecureSkipTlsVerify()).isTrue();
    assertThat(config.customTls()).isTrue();
    assertThat(config.toString()).doesNotContain("KEY PEM");
  }
}
