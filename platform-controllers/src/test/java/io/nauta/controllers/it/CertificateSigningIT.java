package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import io.nauta.api.support.BootstrapTokens;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestCsrs;
import io.nauta.controllers.NautaControllers;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * CertificateSigningRequests end to end, with security on: the real controller manager (its own
 * certificate, the cluster signing CA from the PKI) signs what {@code kubectl certificate approve}
 * approved, the certificate is a credential RBAC then decides about; the kubelet signer refuses
 * anything but a node identity; a bootstrap token's CSR for a node identity is approved by the
 * approver after a SubjectAccessReview, someone else's is not. A node's serving certificate for
 * itself is approved automatically (Nauta's, as k3s) and signed by the server CA with the names it
 * asks for; a serving request for another node waits, a malformed one fails with upstream's words.
 */
class CertificateSigningIT {

  private static final Duration T = Duration.ofSeconds(30);
  private static final String CLIENT = "kubernetes.io/kube-apiserver-client";
  private static final String KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
  private static final String SERVING = "kubernetes.io/kubelet-serving";
  private static final List<String> SERVING_USAGES = List.of("digital signature", "server auth");

  @TempDir static Path dir;
  private static TestApiServer api;
  private static Kubectl admin;
  private static ConfigurableApplicationContext controllerManager;

  @BeforeAll
  static void start() {
    api =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate",
            "nauta.security.enabled=true",
            "nauta.security.pki-dir=" + dir.resolve("pki"));
    Path pki = api.pkiDir();
    admin = new Kubectl(pki.resolve("admin.kubeconfig"));
    controllerManager =
        NautaControllers.application()
            .run(
                "--server.port=0",
                "--nauta.controllers.kubeconfig=" + pki.resolve("controller-manager.kubeconfig"),
                "--nauta.controllers.leader-election.enabled=false",
                "--nauta.controllers.cluster-signing-cert-file=" + pki.resolve("client-ca.crt"),
                "--nauta.controllers.cluster-signing-key-file=" + pki.resolve("client-ca.key"),
                "--nauta.controllers.cluster-signing-kubelet-serving-cert-file="
                    + pki.resolve("server-ca.crt"),
                "--nauta.controllers.cluster-signing-kubelet-serving-key-file="
                    + pki.resolve("server-ca.key"));
  }

  @AfterAll
  static void stop() {
    if (controllerManager != null) {
      controllerManager.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private static Kubectl.Result ok(Kubectl kubectl, String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static void create(Kubectl kubectl, String manifest) {
    Kubectl.Result r = kubectl.runWithInput(manifest, "create", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static String manifest(
      TestCsrs csr, String name, String signer, List<String> usages, Integer seconds) {
    String json = csr.manifest(name, signer, usages);
    return seconds == null
        ? json
        : json.replace("\"signerName\"", "\"expirationSeconds\":" + seconds + ",\"signerName\"");
  }

  private static String field(String name, String jsonPath) {
    return ok(admin, "get", "csr", name, "-o", "jsonpath={" + jsonPath + "}").stdout().strip();
  }

  private static String issuedCertificate(String name) {
    await().atMost(T).until(() -> !field(name, ".status.certificate").isEmpty());
    return new String(
        Base64.getDecoder().decode(field(name, ".status.certificate")), StandardCharsets.UTF_8);
  }

  private static Kubectl withCertificate(String user, String certPem, TestCsrs key)
      throws Exception {
    Path file = dir.resolve(user.replace(':', '-') + ".kubeconfig");
    Files.writeString(
        file,
        Kubeconfigs.withClientCertificate(
            api.url(),
            Pem.read(api.pkiDir().resolve("server-ca.crt")),
            certPem,
            key.keyPem(),
            user));
    return new Kubectl(file);
  }

  @Test
  void anApprovedRequestGivesAliceACertificateThatRbacThenDecidesAbout() throws Exception {
    TestCsrs alice = TestCsrs.of("alice", "developers");
    create(admin, manifest(alice, "alice", CLIENT, List.of("client auth"), 3600));
    assertThat(field("alice", ".spec.username")).isEqualTo("nauta-admin");

    ok(admin, "certificate", "approve", "alice");

    String pem = issuedCertificate("alice");
    X509Certificate cert = Pem.parseCertificate(pem);
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=alice", "O=developers");
    Duration left = Duration.between(Instant.now(), cert.getNotAfter().toInstant());
    assertThat(left).isBetween(Duration.ofMinutes(58), Duration.ofMinutes(61));
    assertThat(ok(admin, "get", "csr", "alice").stdout()).contains("Approved,Issued");

    Kubectl asAlice = withCertificate("alice", pem, alice);
    assertThat(
            ok(asAlice, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}")
                .stdout()
                .strip())
        .isEqualTo("alice");
    Kubectl.Result refused = asAlice.run("get", "pods", "-n", "default");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.stderr())
        .contains(
            "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in"
                + " the namespace \"default\"");

    ok(admin, "create", "rolebinding", "alice-views", "--clusterrole=view", "--user=alice");

    await().atMost(T).until(() -> asAlice.run("get", "pods", "-n", "default").exitCode() == 0);
  }

  @Test
  void aDeniedRequestIsNeverSigned() {
    create(admin, manifest(TestCsrs.of("bob"), "bob", CLIENT, List.of("client auth"), null));
    ok(admin, "certificate", "deny", "bob");
    assertThat(field("bob", ".status.conditions[0].type")).isEqualTo("Denied");

    // A request approved after bob's denial is signed: the signer has seen both.
    create(admin, manifest(TestCsrs.of("carol"), "carol", CLIENT, List.of("client auth"), null));
    ok(admin, "certificate", "approve", "carol");
    issuedCertificate("carol");

    assertThat(field("bob", ".status.certificate")).isEmpty();
    assertThat(ok(admin, "get", "csr", "bob").stdout()).contains("Denied");
  }

  @Test
  void theKubeletSignerFailsARequestThatIsNoNodeIdentity() {
    create(
        admin,
        manifest(
            TestCsrs.of("mallory", "system:masters"),
            "not-a-node",
            KUBELET,
            List.of("digital signature", "client auth"),
            null));
    ok(admin, "certificate", "approve", "not-a-node");

    await().atMost(T).until(() -> !field("not-a-node", ".status.conditions[1].type").isEmpty());
    assertThat(field("not-a-node", ".status.conditions[1].type")).isEqualTo("Failed");
    assertThat(field("not-a-node", ".status.conditions[1].reason"))
        .isEqualTo("SignerValidationFailure");
    assertThat(field("not-a-node", ".status.conditions[1].message"))
        .isEqualTo("subject organization is not system:nodes");
    assertThat(field("not-a-node", ".status.certificate")).isEmpty();
  }

  @Test
  void aBootstrapperGetsItsNodeIdentityApprovedAutomaticallyAndNobodyElseDoes() throws Exception {
    // dave may post CSRs but is no bootstrapper: his node request waits for a person.
    ok(
        admin,
        "create",
        "clusterrolebinding",
        "dave-posts-csrs",
        "--clusterrole=system:node-bootstrapper",
        "--user=dave");
    Kubectl.Result byDave =
        admin.runWithInput(
            manifest(
                TestCsrs.of("system:node:n2", "system:nodes"),
                "node-n2",
                KUBELET,
                List.of("digital signature", "client auth"),
                null),
            "create",
            "-f",
            "-",
            "--as=dave");
    assertThat(byDave.exitCode()).as(byDave.toString()).isZero();

    String token = bootstrapToken("abcdef", "0123456789abcdef");
    Kubectl bootstrapper = withToken(token);
    TestCsrs node = TestCsrs.of("system:node:n1", "system:nodes");
    create(
        bootstrapper,
        manifest(node, "node-n1", KUBELET, List.of("digital signature", "client auth"), null));

    String pem = issuedCertificate("node-n1");
    assertThat(field("node-n1", ".spec.username")).isEqualTo("system:bootstrap:abcdef");
    assertThat(field("node-n1", ".status.conditions[0].reason")).isEqualTo("AutoApproved");
    assertThat(
            ok(
                    withCertificate("system:node:n1", pem, node),
                    "auth",
                    "whoami",
                    "-o",
                    "jsonpath={.status.userInfo.username}")
                .stdout()
                .strip())
        .isEqualTo("system:node:n1");

    assertThat(field("node-n2", ".status.conditions")).isEmpty();
    assertThat(field("node-n2", ".status.certificate")).isEmpty();
  }

  @Test
  void aNodeGetsItsOwnServingCertificateApprovedAndSignedByTheServerCa() throws Exception {
    Kubectl node = new Kubectl(api.agentKubeconfig("n3"));
    TestCsrs csr =
        TestCsrs.withSans(
            "system:node:n3", "system:nodes", List.of("n3.example"), List.of("10.1.2.3"));
    create(node, manifest(csr, "serving-n3", SERVING, SERVING_USAGES, null));

    X509Certificate cert = Pem.parseCertificate(issuedCertificate("serving-n3"));
    assertThat(field("serving-n3", ".spec.username")).isEqualTo("system:node:n3");
    assertThat(field("serving-n3", ".status.conditions[0].reason")).isEqualTo("AutoApproved");
    assertThat(field("serving-n3", ".status.conditions[0].message"))
        .isEqualTo("Auto approving self kubelet serving certificate after SubjectAccessReview.");
    X509Certificate serverCa =
        Pem.parseCertificate(Pem.read(api.pkiDir().resolve("server-ca.crt")));
    cert.verify(serverCa.getPublicKey()); // throws unless the server CA signed it
    assertThat(cert.getSubjectX500Principal().getName())
        .contains("CN=system:node:n3", "O=system:nodes");
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "n3.example"), List.of(7, "10.1.2.3"));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // server auth
  }

  @Test
  void aServingRequestForAnotherNodeIsNotApproved() {
    Kubectl n4 = new Kubectl(api.agentKubeconfig("n4"));
    List<String> sans = List.of("n5.example");
    create(
        n4,
        manifest(
            TestCsrs.withSans("system:node:n5", "system:nodes", sans, List.of()),
            "serving-n5-by-n4",
            SERVING,
            SERVING_USAGES,
            null));
    // The admin is no node either: its request for a node waits for a person too.
    create(
        admin,
        manifest(
            TestCsrs.withSans("system:node:n6", "system:nodes", List.of("n6.example"), List.of()),
            "serving-n6-by-admin",
            SERVING,
            SERVING_USAGES,
            null));
    // n4's request for itself, posted after, is approved: the approver has seen the others.
    create(
        n4,
        manifest(
            TestCsrs.withSans("system:node:n4", "system:nodes", List.of("n4.example"), List.of()),
            "serving-n4",
            SERVING,
            SERVING_USAGES,
            null));
    issuedCertificate("serving-n4");

    for (String name : List.of("serving-n5-by-n4", "serving-n6-by-admin")) {
      assertThat(field(name, ".status.conditions")).as(name).isEmpty();
      assertThat(field(name, ".status.certificate")).as(name).isEmpty();
    }
  }

  @Test
  void theServingSignerFailsAMalformedRequestWithUpstreamsMessage() {
    record Case(String name, TestCsrs csr, List<String> usages, String message) {}
    List<Case> cases =
        List.of(
            new Case(
                "serving-no-sans",
                TestCsrs.of("system:node:n7", "system:nodes"),
                SERVING_USAGES,
                "DNS or IP subjectAltName is required"),
            new Case(
                "serving-client-auth",
                TestCsrs.withSans("system:node:n7", "system:nodes", List.of("n7"), List.of()),
                List.of("digital signature", "client auth"),
                "usages did not match [digital signature key encipherment server auth]"),
            new Case(
                "serving-not-nodes",
                TestCsrs.withSans("system:node:n7", "system:masters", List.of("n7"), List.of()),
                SERVING_USAGES,
                "subject organization is not system:nodes"),
            new Case(
                "serving-not-a-node-name",
                TestCsrs.withSans("n7", "system:nodes", List.of(), List.of("10.0.0.7")),
                SERVING_USAGES,
                "subject common name does not begin with system:node:"));
    for (Case c : cases) {
      create(admin, manifest(c.csr(), c.name(), SERVING, c.usages(), null));
      ok(admin, "certificate", "approve", c.name());
    }
    for (Case c : cases) {
      // Until the signer acts there is no second condition, and kubectl's jsonpath fails.
      await()
          .atMost(T)
          .ignoreExceptions()
          .until(() -> !field(c.name(), ".status.conditions[1].type").isEmpty());
      assertThat(field(c.name(), ".status.conditions[1].type")).as(c.name()).isEqualTo("Failed");
      assertThat(field(c.name(), ".status.conditions[1].reason"))
          .as(c.name())
          .isEqualTo("SignerValidationFailure");
      assertThat(field(c.name(), ".status.conditions[1].message"))
          .as(c.name())
          .isEqualTo(c.message());
      assertThat(field(c.name(), ".status.certificate")).as(c.name()).isEmpty();
    }
  }

  private static String bootstrapToken(String id, String secret) {
    create(admin, BootstrapTokens.secret(id, secret, Instant.now().plusSeconds(3600)));
    return BootstrapTokens.token(id, secret);
  }

  private static Kubectl withToken(String token) throws Exception {
    Path file = dir.resolve("bootstrap.kubeconfig");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nauta
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: bootstrap
          user:
            token: %s
        contexts:
        - name: nauta
          context:
            cluster: nauta
            user: bootstrap
        current-context: nauta
        """
            .formatted(
                api.url(),
                Base64.getEncoder()
                    .encodeToString(Files.readAllBytes(api.pkiDir().resolve("server-ca.crt"))),
                token));
    return new Kubectl(file);
  }
}
