package io.nauta.core.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.client.ClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ClusterPki.Settings SETTINGS =
      new ClusterPki.Settings("https://127.0.0.1:6443", List.of("myhost", "10.96.0.1"), "node-1");

  @TempDir Path dir;

  @Test
  void casLastTenYearsAndLeavesOneYear() {
    ClusterPki pki = ClusterPki.ensure(dir, SETTINGS, NOW);

    X509Certificate ca = cert(pki.serverCaCertificate());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(Duration.between(NOW, ca.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(3650));
    X509Certificate serving = cert(pki.apiserverCertificate());
    assertThat(serving.getBasicConstraints()).isEqualTo(-1);
    assertThat(Duration.between(NOW, serving.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(365));
    assertThat(serving.getNotBefore().toInstant()).isBefore(NOW);
  }

  @Test
  void servingCertificateNamesTheApiServerEverywayItIsReached() throws Exception {
    ClusterPki pki = ClusterPki.ensure(dir, SETTINGS, NOW);

    X509Certificate serving = cert(pki.apiserverCertificate());
    List<String> names = new ArrayList<>();
    serving.getSubjectAlternativeNames().forEach(n -> names.add(n.get(0) + "=" + n.get(1)));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "7=127.0.0.1",
            "7=10.96.0.1",
            "2=localhost",
            "2=myhost",
            "2=kubernetes",
            "2=kubernetes.default",
            "2=kubernetes.default.svc",
            "2=kubernetes.default.svc.cluster.local");
    assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    serving.verify(cert(pki.serverCaCertificate()).getPublicKey());
  }

  @Test
  void clientCertificatesCarryUserAsCommonNameAndGroupsAsOrganization() throws Exception {
    ClusterPki pki = ClusterPki.ensure(dir, SETTINGS, NOW);

    X509Certificate admin = cert(dir.resolve("admin-client.crt"));
    assertThat(ClusterPki.commonName(admin.getSubjectX500Principal())).isEqualTo("nauta-admin");
    assertThat(ClusterPki.organizationList(admin.getSubjectX500Principal()))
        .containsExactly("system:masters");
    assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    admin.verify(cert(pki.clientCaCertificate()).getPublicKey());
    X509Certificate agent = cert(dir.resolve("agent-client.crt"));
    assertThat(ClusterPki.commonName(agent.getSubjectX500Principal()))
        .isEqualTo("system:node:node-1");
    assertThat(ClusterPki.organizationList(agent.getSubjectX500Principal()))
        .containsExactly("system:nodes");
    // An agent of several simulated nodes is no one node (its own user), but in system:nodes.
    X509Certificate simulator = cert(dir.resolve("node-simulator-client.crt"));
    assertThat(ClusterPki.commonName(simulator.getSubjectX500Principal()))
        .isEqualTo("nauta:node-simulator");
    assertThat(ClusterPki.organizationList(simulator.getSubjectX500Principal()))
        .containsExactly("system:nodes");
    assertThat(pki.kubeconfig("node-simulator")).exists();
    assertThat(
            ClusterPki.commonName(
                cert(dir.resolve("scheduler-client.crt")).getSubjectX500Principal()))
        .isEqualTo("system:kube-scheduler");
    assertThat(
            ClusterPki.commonName(
                cert(dir.resolve("controller-manager-client.crt")).getSubjectX500Principal()))
        .isEqualTo("system:kube-controller-manager");
  }

  @Test
  void theApiServerHasAClientCertificateOfItsOwnForCallsToAgents() throws Exception {
    ClusterPki pki = ClusterPki.ensure(dir, SETTINGS, NOW);

    X509Certificate client = cert(pki.apiserverKubeletClientCertificate());
    assertThat(ClusterPki.commonName(client.getSubjectX500Principal()))
        .isEqualTo("kube-apiserver-kubelet-client");
    assertThat(ClusterPki.organizationList(client.getSubjectX500Principal())).isEmpty();
    assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    client.verify(cert(pki.clientCaCertificate()).getPublicKey());
    assertThat(pki.apiserverKubeletClientKey()).exists();
  }

  @Test
  void kubeconfigsCarryTheServerCaAndTheClientCertificate() {
    ClusterPki pki = ClusterPki.ensure(dir, SETTINGS, NOW);

    ClientConfig admin = ClientConfig.fromKubeconfig(pki.kubeconfig("admin"));
    assertThat(admin.server()).isEqualTo("https://127.0.0.1:6443");
    assertThat(admin.certificateAuthority()).isEqualTo(Pem.read(pki.serverCaCertificate()));
    assertThat(admin.clientCertificate()).isEqualTo(Pem.read(dir.resolve("admin-client.crt")));
    assertThat(scalar(admin.clientKey()))
        .isEqualTo(scalar(Pem.read(dir.resolve("admin-client.key"))));
  }

  @Test
  void kubeconfigKeysAreLabelledEcWithTheirCurveAsK3sWritesThem() throws Exception {
    ClusterPki pki = ClusterPki.ensure(dir, SETTINGS, NOW);

    // The fabric8 client takes a "PRIVATE KEY" for RSA and fails on an EC key written so.
    String key = ClientConfig.fromKubeconfig(pki.kubeconfig("admin")).clientKey();
    assertThat(key).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(scalar(key)).isEqualTo(scalar(Pem.read(dir.resolve("admin-client.key"))));
    // SEC 1 with the named curve (Go's x509.ParseECPrivateKey, kubectl's parser, needs it).
    try (var parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(key))) {
      var pair = (org.bouncycastle.openssl.PEMKeyPair) parser.readObject();
      assertThat(pair.getPrivateKeyInfo().getPrivateKeyAlgorithm().getParameters().toString())
          .isEqualTo("1.2.840.10045.3.1.7");
    }
  }

  /** The private value of an EC key (the same key in any of its PEM forms). */
  private static java.math.BigInteger scalar(String pem) {
    return ((java.security.interfaces.ECPrivateKey) Pem.parsePrivateKey(pem)).getS();
  }

  @Test
  void privateKeysAndKubeconfigsAreOwnerOnly() throws Exception {
    ClusterPki.ensure(dir, SETTINGS, NOW);

    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
        if (name.endsWith(".key") || name.endsWith(".kubeconfig")) {
          assertThat(mode).as(name).isEqualTo("rw-------");
        } else {
          assertThat(mode).as(name).isEqualTo("rw-r--r--");
        }
      }
    }
    assertThat(Pem.read(dir.resolve("service-account.key")))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.parsePublicKey(Pem.read(dir.resolve("service-account.pub"))).getAlgorithm())
        .isEqualTo("RSA");
  }

  @Test
  void aSecondStartChangesNothing() {
    ClusterPki.ensure(dir, SETTINGS, NOW);
    String ca = Pem.read(dir.resolve("server-ca.crt"));
    String serving = Pem.read(dir.resolve("apiserver.crt"));
    String sa = Pem.read(dir.resolve("service-account.key"));

    ClusterPki again = ClusterPki.ensure(dir, SETTINGS, NOW.plus(Duration.ofDays(200)));

    assertThat(again.changed()).isEmpty();
    assertThat(Pem.read(dir.resolve("server-ca.crt"))).isEqualTo(ca);
    assertThat(Pem.read(dir.resolve("apiserver.crt"))).isEqualTo(serving);
    assertThat(Pem.read(dir.resolve("service-account.key"))).isEqualTo(sa);
  }

  @Test
  void leavesAreRenewedWhenFewerThan120DaysRemainButCasAreKept() {
    ClusterPki.ensure(dir, SETTINGS, NOW);
    String ca = Pem.read(dir.resolve("server-ca.crt"));
    Instant later = NOW.plus(Duration.ofDays(246));

    ClusterPki renewed = ClusterPki.ensure(dir, SETTINGS, later);

    assertThat(renewed.changed())
        .contains("apiserver", "admin-client", "scheduler-serving")
        .doesNotContain("server-ca", "client-ca", "service-account");
    assertThat(Pem.read(dir.resolve("server-ca.crt"))).isEqualTo(ca);
    assertThat(cert(renewed.apiserverCertificate()).getNotAfter().toInstant())
        .isEqualTo(later.plus(Duration.ofDays(365)));
  }

  @Test
  void servingCertificateIsRemadeWhenItsNamesChange() {
    ClusterPki.ensure(dir, SETTINGS, NOW);

    ClusterPki moved =
        ClusterPki.ensure(
            dir,
            new ClusterPki.Settings(
                "https://127.0.0.1:7443", List.of("otherhost", "10.96.0.1"), "node-1"),
            NOW);

    assertThat(moved.changed()).contains("apiserver").doesNotContain("admin-client");
    assertThat(ClientConfig.fromKubeconfig(moved.kubeconfig("admin")).server())
        .isEqualTo("https://127.0.0.1:7443");
  }

  /** The API server reaches this host's agent at its node's address: the agent's cert names it. */
  @Test
  void theAgentsServingCertificateNamesTheNodeAddresses() {
    ClusterPki.ensure(dir, SETTINGS, NOW);
    assertThat(
            ClusterPki.namesExactly(
                cert(dir.resolve("agent-serving.crt")),
                List.of("localhost", "myhost"),
                List.of("127.0.0.1")))
        .isTrue();

    ClusterPki withAddress =
        ClusterPki.ensure(
            dir,
            new ClusterPki.Settings(
                SETTINGS.serverUrl(),
                SETTINGS.servingSans(),
                SETTINGS.nodeName(),
                List.of("192.0.2.7")),
            NOW);
    assertThat(withAddress.changed()).containsExactly("agent-serving");
    assertThat(
            ClusterPki.namesExactly(
                cert(dir.resolve("agent-serving.crt")),
                List.of("localhost", "myhost"),
                List.of("127.0.0.1", "192.0.2.7")))
        .isTrue();
    assertThat(
            ClusterPki.namesExactly(
                cert(dir.resolve("scheduler-serving.crt")),
                List.of("localhost", "myhost"),
                List.of("127.0.0.1")))
        .as("the other components are reached on this machine only")
        .isTrue();
  }

  @Test
  void leavesOfALostCaAreMadeAgain() throws Exception {
    ClusterPki.ensure(dir, SETTINGS, NOW);
    Files.delete(dir.resolve("client-ca.crt"));

    ClusterPki again = ClusterPki.ensure(dir, SETTINGS, NOW);

    assertThat(again.changed()).contains("client-ca", "admin-client").doesNotContain("apiserver");
    cert(dir.resolve("admin-client.crt")).verify(cert(again.clientCaCertificate()).getPublicKey());
  }

  private static X509Certificate cert(Path file) {
    return Pem.parseCertificate(Pem.read(file));
  }
}
