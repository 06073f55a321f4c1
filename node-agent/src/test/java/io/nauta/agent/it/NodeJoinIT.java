package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.nauta.agent.NautaAgent;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.BootstrapTokens;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node joined with nothing but a bootstrap token, as {@code kubelet --bootstrap-kubeconfig}: the
 * agent asks for its client certificate with a CertificateSigningRequest, the controller manager
 * approves it (the requester is a bootstrapper) and signs it, and the agent runs as {@code
 * system:node:<node>}, held by the Node authorizer and NodeRestriction to its own node's objects.
 */
class NodeJoinIT {

  private static final Duration T = Duration.ofSeconds(10);
  private static final String NODE = "joined";

  @TempDir static Path dir;

  private static ControlPlane plane;
  private static Kubectl admin;
  private static ConfigurableApplicationContext agent;
  private static Path agentKubeconfig;

  @BeforeAll
  static void joinANode() throws Exception {
    plane = ControlPlane.start();
    admin = new Kubectl(plane.api.kubeconfig());
    ok(
        admin.runWithInput(
            bootstrapTokenSecret("abc123", Instant.now().plusSeconds(3600)), "create", "-f", "-"));
    // Nodes already there with pod ranges: the joining one takes the lowest /24 none has.
    ResourceClient<Node> nodes = plane.client.resource(BuiltInResources.NODES, Node.class);
    for (int i : new int[] {0, 2}) {
      nodes
          .create(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("range-" + i)
                  .endMetadata()
                  .withNewSpec()
                  .withPodCIDR("10.244." + i + ".0/24")
                  .endSpec()
                  .build())
          .block(T);
    }
    agentKubeconfig = dir.resolve("agent").resolve("kubeconfig");
    agent = startAgent(NODE, agentKubeconfig, "abc123.0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  private static ConfigurableApplicationContext startAgent(
      String node, Path kubeconfig, String token) throws Exception {
    return startAgent(node, kubeconfig, token, plane.api.agentServingArgs());
  }

  /**
   * @param servingArgs the port's TLS settings; none: the agent obtains its serving certificate and
   *     the client CA itself, as on another host
   */
  private static ConfigurableApplicationContext startAgent(
      String node, Path kubeconfig, String token, List<String> servingArgs) throws Exception {
    Files.createDirectories(kubeconfig.getParent());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--nauta.agent.kubeconfig=" + kubeconfig,
                "--nauta.agent.bootstrap.kubeconfig=" + plane.api.kubeconfigWithToken(token),
                "--nauta.agent.bootstrap.timeout=60s",
                "--nauta.agent.bootstrap.poll-interval=200ms",
                "--nauta.agent.node-name=" + node,
                "--nauta.agent.root-dir=" + kubeconfig.getParent(),
                "--nauta.agent.status-check-interval=1s"));
    args.addAll(servingArgs);
    return NautaAgent.application().run(args.toArray(String[]::new));
  }

  private static String bootstrapTokenSecret(String id, Instant expiration) {
    return BootstrapTokens.secret(id, "0123456789abcdef", expiration);
  }

  /** Waits until the admin's {@code kubectl args} prints {@code expected}. */
  private static void awaitAdminSees(String expected, String... args) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(ok(admin.run(args)).stdout()).isEqualTo(expected));
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static List<CertificateSigningRequest> requestsOf(String username) {
    ResourceClient<CertificateSigningRequest> csrs =
        plane.client.resource(
            BuiltInResources.CERTIFICATE_SIGNING_REQUESTS, CertificateSigningRequest.class);
    return csrs.list(null, ListOptions.none()).block(T).items().stream()
        .filter(c -> username.equals(c.getSpec().getUsername()))
        .toList();
  }

  @Test
  void theJoinedAgentHoldsItsOwnNodeIdentityInAPrivateKubeconfig() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agentKubeconfig)))
        .isEqualTo("rw-------");
    X509Certificate cert =
        Pem.parseCertificate(ClientConfig.fromKubeconfig(agentKubeconfig).clientCertificate());
    assertThat(ClusterPki.commonName(cert.getSubjectX500Principal()))
        .isEqualTo("system:node:" + NODE);
    assertThat(ClusterPki.organizationList(cert.getSubjectX500Principal()))
        .containsExactly("system:nodes");
    // The pending key is gone once the kubeconfig holds the certificate.
    try (var files = Files.list(agentKubeconfig.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.contains(".key"));
    }

    List<CertificateSigningRequest> requests = requestsOf("system:bootstrap:abc123");
    assertThat(requests).hasSize(1);
    CertificateSigningRequest csr = requests.get(0);
    assertThat(csr.getSpec().getSignerName())
        .isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
    assertThat(csr.getStatus().getConditions().get(0).getReason()).isEqualTo("AutoApproved");

    Kubectl asNode = new Kubectl(agentKubeconfig);
    assertThat(
            ok(asNode.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"))
                .stdout()
                .strip())
        .isEqualTo("system:node:" + NODE);
    // It registered its Node, on the lowest pod range no other Node had, and keeps it Ready with
    // that identity.
    awaitAdminSees("10.244.1.0/24", "get", "node", NODE, "-o", "jsonpath={.spec.podCIDR}");
    awaitAdminSees(
        "True",
        "get",
        "node",
        NODE,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
  }

  @Test
  void itReadsTheSecretsOfPodsOnItsNodeAndNothingOfAnotherNode() {
    ResourceClient<Secret> secrets = plane.client.resource(BuiltInResources.SECRETS, Secret.class);
    ResourceClient<Pod> pods = plane.client.resource(BuiltInResources.PODS, Pod.class);
    ResourceClient<Node> nodes = plane.client.resource(BuiltInResources.NODES, Node.class);
    for (String name : List.of("mine", "theirs")) {
      secrets
          .create(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace("default")
                  .withName(name)
                  .endMetadata()
                  .withStringData(Map.of("k", "v"))
                  .build())
          .block(T);
    }
    nodes
        .create(new NodeBuilder().withNewMetadata().withName("other").endMetadata().build())
        .block(T);
    pods.create(podUsing("on-joined", NODE, "mine")).block(T);
    pods.create(podUsing("on-other", "other", "theirs")).block(T);

    Kubectl asNode = new Kubectl(agentKubeconfig);
    // The Node authorizer learns of the pods from the watch cache: allowed within moments.
    await().atMost(T).untilAsserted(() -> ok(asNode.run("-n", "default", "get", "secret", "mine")));
    Kubectl.Result theirs = asNode.run("-n", "default", "get", "secret", "theirs");
    assertThat(theirs.exitCode()).isOne();
    assertThat(theirs.stderr())
        .contains(
            "secrets \"theirs\" is forbidden: User \"system:node:joined\" cannot get resource"
                + " \"secrets\" in API group \"\" in the namespace \"default\": no relationship"
                + " found between node 'joined' and this object");

    // A PATCH of nodes/status, as an agent writes its own (kubectl patch would GET the
    // subresource first, which the system:node rules do not allow, in Kubernetes neither).
    ResourceClient<Node> nodesAsAgent =
        new KubeClient(ClientConfig.fromKubeconfig(agentKubeconfig))
            .resource(BuiltInResources.NODES, Node.class);
    String ready = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
    assertThatThrownBy(
            () -> nodesAsAgent.patchStatus(null, "other", PatchType.MERGE, ready).block(T))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage(
            "nodes \"other\" is forbidden: node \"joined\" is not allowed to modify node \"other\"");
    // Its own node's status it may write.
    nodesAsAgent.patchStatus(null, NODE, PatchType.MERGE, ready).block(T);
  }

  private static Pod podUsing(String name, String node, String secret) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage("nauta/busybox:local")
        .endContainer()
        .addNewVolume()
        .withName("s")
        .withNewSecret()
        .withSecretName(secret)
        .endSecret()
        .endVolume()
        .endSpec()
        .build();
  }

  @Test
  void aRevokedTokenJoinsNothingAndWritesNoKubeconfig() throws Exception {
    ok(
        admin.runWithInput(
            bootstrapTokenSecret("old999", Instant.now().minusSeconds(60)), "create", "-f", "-"));
    Path kubeconfig = dir.resolve("refused").resolve("kubeconfig");
    assertThatThrownBy(() -> startAgent("refused", kubeconfig, "old999.0123456789abcdef"))
        .isInstanceOf(UnauthorizedException.class);
    assertThat(kubeconfig).doesNotExist();
    assertThat(requestsOf("system:bootstrap:old999")).isEmpty();
  }

  @Test
  void aRestartedAgentUsesItsCertificateAndNeedsNoTokenAnyMore() throws Exception {
    Path kubeconfig = dir.resolve("second").resolve("kubeconfig");
    ok(
        admin.runWithInput(
            bootstrapTokenSecret("def456", Instant.now().plusSeconds(3600)), "create", "-f", "-"));
    startAgent("second", kubeconfig, "def456.0123456789abcdef").close();
    assertThat(requestsOf("system:bootstrap:def456")).hasSize(1);
    String first = Files.readString(kubeconfig);

    // The token is revoked: a restarted agent no longer needs it.
    ok(admin.run("-n", "kube-system", "delete", "secret", "bootstrap-token-def456"));
    try (ConfigurableApplicationContext again =
        startAgent("second", kubeconfig, "def456.0123456789abcdef")) {
      assertThat(Files.readString(kubeconfig)).isEqualTo(first);
      assertThat(requestsOf("system:bootstrap:def456")).hasSize(1);
      awaitAdminSees(
          "second",
          "get",
          "lease",
          "second",
          "-n",
          "kube-node-lease",
          "-o",
          "jsonpath={.spec.holderIdentity}");
    }
  }

  @Test
  void withATokenAloneItObtainsItsServingCertificateAndClientCaAndTheApiServerReachesIt()
      throws Exception {
    ok(
        admin.runWithInput(
            bootstrapTokenSecret("ghi789", Instant.now().plusSeconds(3600)), "create", "-f", "-"));
    Path home = dir.resolve("remote");
    try (ConfigurableApplicationContext remote =
        startAgent("remote", home.resolve("kubeconfig"), "ghi789.0123456789abcdef", List.of())) {
      Path pki = home.resolve("pki");
      X509Certificate serving = Pem.parseCertificate(Pem.read(pki.resolve("agent-serving.crt")));
      X509Certificate serverCa =
          Pem.parseCertificate(Pem.read(plane.api.pkiDir().resolve("server-ca.crt")));
      serving.verify(serverCa.getPublicKey());
      assertThat(ClusterPki.commonName(serving.getSubjectX500Principal()))
          .isEqualTo("system:node:remote");
      assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(pki.resolve("agent-serving.key"))))
          .isEqualTo("rw-------");
      assertThat(Pem.read(pki.resolve("client-ca.crt")))
          .isEqualTo(Pem.read(plane.api.pkiDir().resolve("client-ca.crt")));

      // The API server reaches the agent's port over HTTPS with its kubelet-client certificate:
      // kubectl logs of a pod on that node goes through (simulated containers write nothing).
      ok(
          admin.run(
              "-n", "default", "create", "secret", "generic", "mine-remote", "--from-literal=k=v"));
      plane
          .client
          .resource(BuiltInResources.PODS, Pod.class)
          .create(podUsing("on-remote", "remote", "mine-remote"))
          .block(T);
      awaitAdminSees(
          "Running", "-n", "default", "get", "pod", "on-remote", "-o", "jsonpath={.status.phase}");
      Kubectl.Result logs = admin.run("-n", "default", "logs", "on-remote");
      assertThat(logs.exitCode()).as(logs.toString()).isZero();
    }
  }

  @Test
  void aCertificateCloseToItsEndIsRenewedAtStartWithTheNodesOwnIdentity() throws Exception {
    // A node identity valid for one more day (fewer than the 120 days of renewal) and a token the
    // cluster never issued: renewing can only be done as the node itself.
    Path kubeconfig = dir.resolve("renewing").resolve("kubeconfig");
    Files.createDirectories(kubeconfig.getParent());
    Files.copy(plane.api.agentKubeconfig("renewing"), kubeconfig);
    try (ConfigurableApplicationContext renewed =
        startAgent("renewing", kubeconfig, "zzz000.0123456789abcdef")) {
      X509Certificate cert =
          Pem.parseCertificate(ClientConfig.fromKubeconfig(kubeconfig).clientCertificate());
      assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
      assertThat(ClusterPki.commonName(cert.getSubjectX500Principal()))
          .isEqualTo("system:node:renewing");
      List<CertificateSigningRequest> requests = requestsOf("system:node:renewing");
      assertThat(requests).hasSize(1);
      assertThat(requests.get(0).getStatus().getConditions().get(0).getMessage())
          .isEqualTo("Auto approving self kubelet client certificate after SubjectAccessReview.");
    }
  }
}
