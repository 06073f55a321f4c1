package io.nauta.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingKeyTest {

  @TempDir Path dir;

  @Test
  void anAgentRestartedWhileItWaitsAsksAgainWithTheSameKeyUnderTheSameName() throws Exception {
    Path file = dir.resolve("kubeconfig.key.tmp");
    KeyPair first = PendingKey.loadOrCreate(file);
    KeyPair again = PendingKey.loadOrCreate(file);

    assertThat(again.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
    assertThat(again.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    List<String> usages = List.of("digital signature", "client auth");
    assertThat(CertificateRequester.requestName("node-csr-", again.getPublic(), "n", usages))
        .isEqualTo(CertificateRequester.requestName("node-csr-", first.getPublic(), "n", usages))
        .matches("node-csr-[0-9a-f]{64}");

    PendingKey.remove(file);
    assertThat(file).doesNotExist();
    KeyPair fresh = PendingKey.loadOrCreate(file);
    assertThat(CertificateRequester.requestName("node-csr-", fresh.getPublic(), "n", usages))
        .isNotEqualTo(
            CertificateRequester.requestName("node-csr-", first.getPublic(), "n", usages));
  }
}
