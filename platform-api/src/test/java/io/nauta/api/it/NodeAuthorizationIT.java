package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Node authorizer and NodeRestriction against a real API server with security on: two nodes,
 * each with its own {@code system:node:<name>} client certificate from the server's client CA,
 * driven by the real kubectl and fabric8 client. A node reads the Secret its pod uses and nothing
 * another node's pods use, writes only its own Node and its own pods' status, and gets
 * service-account tokens bound to its own pods only; a SubjectAccessReview answers as the
 * authorizers answer the request.
 */
class NodeAuthorizationIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  private static TestApiServer server;
  private static Kubectl admin;
  private static Kubectl n1;
  private static WebTestClient http;
  private static KubernetesClient n1Client;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.security.enabled=true", "nauta.security.pki-dir=" + dir.resolve("pki"));
    admin = new Kubectl(server.pkiDir().resolve("admin.kubeconfig"));
    http = server.client();
    n1 = kubectlAsNode("n1");
    n1Client =
        new KubernetesClientBuilder()
            .withConfig(
                // The PKI's keys are EC; fabric8 reads a PKCS#8 key as RSA unless told.
                new ConfigBuilder(
                        Config.fromKubeconfig(Files.readString(dir.resolve("n1.kubeconfig"))))
                    .withClientKeyAlgo("EC")
                    .build())
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build();
    ok(admin.run("create", "namespace", "a"));
    // The controller manager, which makes every namespace's "default" account, does not run here.
    ok(
        admin.runWithInput(
            "{\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\","
                + " \"metadata\": {\"namespace\": \"a\", \"name\": \"default\"}}",
            "apply",
            "-f",
            "-"));
    for (String node : List.of("n1", "n2")) {
      ok(admin.runWithInput(nodeJson(node), "create", "-f", "-"));
    }
    for (String s : List.of("s1", "s2", "s3")) {
      ok(admin.run("-n", "a", "create", "secret", "generic", s, "--from-literal=k=" + s));
    }
    ok(admin.runWithInput(podJson("p1", "n1", "s1"), "create", "-f", "-"));
    ok(admin.runWithInput(podJson("p2", "n2", "s2"), "create", "-f", "-"));
  }

  @AfterAll
  static void stop() {
    if (n1Client != null) {
      n1Client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aNodeReadsTheSecretOfItsOwnPodOnly() {
    Kubectl.Result own = n1.run("-n", "a", "get", "secret", "s1", "-o", "name");
    ok(own);
    assertThat(own.stdout().trim()).isEqualTo("secret/s1");

    Kubectl.Result other = n1.run("-n", "a", "get", "secret", "s2");
    assertThat(other.exitCode()).as(other.toString()).isNotZero();
    assertThat(other.stderr().trim())
        .isEqualTo(
            "Error from server (Forbidden): secrets \"s2\" is forbidden: User \"system:node:n1\""
                + " cannot get resource \"secrets\" in API group \"\" in the namespace \"a\": no"
                + " relationship found between node 'n1' and this object");
    Kubectl.Result list = n1.run("-n", "a", "get", "secrets");
    assertThat(list.exitCode()).as(list.toString()).isNotZero();
    assertThat(list.stderr()).contains("cannot list resource \"secrets\"");

    JsonNode allowed = review("get", "secrets", "", "a", "s1");
    assertThat(allowed.path("allowed").asBoolean()).isTrue();
    JsonNode denied = review("get", "secrets", "", "a", "s2");
    assertThat(denied.path("allowed").asBoolean()).isFalse();
    assertThat(denied.path("reason").asString())
        .isEqualTo("no relationship found between node 'n1' and this object");
  }

  @Test
  void bindingAPodToTheNodeOpensItsSecretToIt() {
    ok(admin.runWithInput(podJson("p3", "", "s3"), "create", "-f", "-"));
    assertThat(n1.run("-n", "a", "get", "secret", "s3").exitCode()).isNotZero();

    http.post()
        .uri("/api/v1/namespaces/a/pods/p3/binding")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            """
            {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "p3"},
             "target": {"apiVersion": "v1", "kind": "Node", "name": "n1"}}
            """)
        .exchange()
        .expectStatus()
        .isCreated();

    // The graph follows the pod cache under its lock: no wait should be needed, and none is long.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> ok(n1.run("-n", "a", "get", "secret", "s3")));
    assertThat(review("get", "secrets", "", "a", "s3").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void aNodeUpdatesItsOwnNodeStatusOnly() {
    // The fabric8 client reads the Node, then patches its status, as an agent does.
    UnaryOperator<Node> capacity42 =
        n ->
            new NodeBuilder(n)
                .editStatus()
                .addToCapacity("pods", new Quantity("42"))
                .endStatus()
                .build();
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> n1Client.nodes().withName("n2").editStatus(capacity42));
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.getCode()).isEqualTo(403);
    assertThat(refused.getStatus().getMessage())
        .isEqualTo("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
    n1Client.nodes().withName("n1").editStatus(capacity42);
    assertThat(admin.run("get", "node", "n1", "-o", "jsonpath={.status.capacity.pods}").stdout())
        .isEqualTo("42");
    assertThat(admin.run("get", "node", "n2", "-o", "jsonpath={.status.capacity.pods}").stdout())
        .isEqualTo("110");

    // As in Kubernetes, the authorizers let every node write Node status (the review says so);
    // NodeRestriction admission, which no review runs, keeps each to its own.
    assertThat(review("patch", "nodes", "status", "", "n1").path("allowed").asBoolean()).isTrue();
    assertThat(review("patch", "nodes", "status", "", "n2").path("allowed").asBoolean()).isTrue();
    // What the authorizers refuse, the review refuses too.
    assertThat(review("delete", "nodes", "", "", "n1").path("allowed").asBoolean()).isFalse();
    Kubectl.Result delete = n1.run("delete", "node", "n1");
    assertThat(delete.exitCode()).isNotZero();
    assertThat(delete.stderr())
        .contains("User \"system:node:n1\" cannot delete resource \"nodes\"");
  }

  @Test
  void aNodeUpdatesTheStatusOfItsOwnPodsOnly() {
    UnaryOperator<Pod> seen =
        p -> new PodBuilder(p).editOrNewStatus().withMessage("seen by n1").endStatus().build();
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> n1Client.pods().inNamespace("a").withName("p2").editStatus(seen));
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.getCode()).isEqualTo(403);
    assertThat(refused.getStatus().getMessage())
        .isEqualTo(
            "pods \"p2\" is forbidden: node \"n1\" can only update pod status for pods with"
                + " spec.nodeName set to itself");
    n1Client.pods().inNamespace("a").withName("p1").editStatus(seen);
    assertThat(
            admin.run("-n", "a", "get", "pod", "p1", "-o", "jsonpath={.status.message}").stdout())
        .isEqualTo("seen by n1");
    assertThat(
            admin.run("-n", "a", "get", "pod", "p2", "-o", "jsonpath={.status.message}").stdout())
        .isEmpty();
    assertThat(review("patch", "pods", "status", "a", "p2").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void aNodeUsesOnlyItsOwnLease() {
    String lease =
        """
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
         "metadata": {"namespace": "kube-node-lease", "name": "%s"},
         "spec": {"holderIdentity": "%s", "leaseDurationSeconds": 40}}
        """;
    ok(n1.runWithInput(lease.formatted("n1", "n1"), "create", "-f", "-"));
    Kubectl.Result other = n1.runWithInput(lease.formatted("n2", "n2"), "create", "-f", "-");
    assertThat(other.exitCode()).isNotZero();
    assertThat(other.stderr().trim())
        .isEqualTo(
            "Error from server (Forbidden): error when creating \"STDIN\":"
                + " leases.coordination.k8s.io \"n2\" is forbidden: can only access node lease"
                + " with the same name as the requesting node");
  }

  @Test
  void aNodeReadsTheClientCaTheServerPublishesAndNoOtherSystemConfigMap() {
    ok(admin.run("-n", "kube-system", "create", "configmap", "other", "--from-literal=k=v"));
    WebTestClient asNode = server.clientAs("system:node:n1", "system:nodes");
    String clientCa = Pem.read(server.pkiDir().resolve("client-ca.crt"));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String body =
                  asNode
                      .get()
                      .uri(
                          "/api/v1/namespaces/kube-system/configmaps/"
                              + "extension-apiserver-authentication")
                      .exchange()
                      .expectStatus()
                      .isOk()
                      .expectBody(String.class)
                      .returnResult()
                      .getResponseBody();
              assertThat(JSON.readTree(body).path("data").path("client-ca-file").asString())
                  .isEqualTo(clientCa);
            });

    String refused =
        asNode
            .get()
            .uri("/api/v1/namespaces/kube-system/configmaps/other")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(refused).path("message").asString())
        .isEqualTo(
            "configmaps \"other\" is forbidden: User \"system:node:n1\" cannot get resource"
                + " \"configmaps\" in API group \"\" in the namespace \"kube-system\": no"
                + " relationship found between node 'n1' and this object");
  }

  @Test
  void aNodeRequestsTokensBoundToItsOwnPodsOnly() {
    String p1Uid =
        admin.run("-n", "a", "get", "pod", "p1", "-o", "jsonpath={.metadata.uid}").stdout();
    String p2Uid =
        admin.run("-n", "a", "get", "pod", "p2", "-o", "jsonpath={.metadata.uid}").stdout();
    assertThat(p1Uid).isNotEmpty();

    // As the agent does for its pod's projected token: bound to the pod, with its uid.
    Kubectl.Result own = kubectlCreateToken("p1", p1Uid);
    ok(own);
    assertThat(own.stdout().trim()).isNotEmpty();

    // The Node authorizer lets n1 ask for "default" (p1 runs as it); NodeRestriction does not,
    // unless the token is bound to a pod of n1's, named with its uid.
    assertTokenRefused(
        new BoundObjectReference("v1", "Pod", "p2", p2Uid),
        "serviceaccounts \"default\" is forbidden: node requested token bound to a pod scheduled"
            + " on a different node");
    assertTokenRefused(
        null, "serviceaccounts \"default\" is forbidden: node requested token not bound to a pod");
    assertTokenRefused(
        new BoundObjectReference("v1", "Secret", "s1", null),
        "serviceaccounts \"default\" is forbidden: node requested token not bound to a pod");
    assertTokenRefused(
        new BoundObjectReference("v1", "Pod", "p1", null),
        "serviceaccounts \"default\" is forbidden: node requested token with a pod binding"
            + " without a uid");
    assertTokenRefused(
        new BoundObjectReference("v1", "Pod", "p1", "0000"),
        "serviceaccounts \"default\" is forbidden: the UID in the bound object reference (0000)"
            + " does not match the UID in record. The object might have been deleted and then"
            + " recreated");
    KubernetesClientException ghost =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> requestToken(new BoundObjectReference("v1", "Pod", "ghost", "0000")));
    assertThat(ghost).as("refused").isNotNull();
    assertThat(ghost.getCode()).isEqualTo(404);
    assertThat(ghost.getStatus().getMessage()).isEqualTo("pod \"ghost\" not found");

    // Kubectl says the same as the client does.
    Kubectl.Result other = kubectlCreateToken("p2", p2Uid);
    assertThat(other.exitCode()).as(other.toString()).isNotZero();
    assertThat(other.stderr())
        .contains("node requested token bound to a pod scheduled on a different node");
    // Not a node: the admin's unbound token is nobody's business here.
    ok(admin.run("-n", "a", "create", "token", "default"));
  }

  // ---- support

  /** {@code kubectl create token default} as node n1, bound to {@code pod} with {@code uid}. */
  private static Kubectl.Result kubectlCreateToken(String pod, String uid) {
    return n1.run(
        "-n",
        "a",
        "create",
        "token",
        "default",
        "--bound-object-kind",
        "Pod",
        "--bound-object-name",
        pod,
        "--bound-object-uid",
        uid);
  }

  private static void assertTokenRefused(BoundObjectReference bound, String message) {
    KubernetesClientException refused =
        catchThrowableOfType(KubernetesClientException.class, () -> requestToken(bound));
    assertThat(refused).as("refused: " + message).isNotNull();
    assertThat(refused.getCode()).isEqualTo(403);
    assertThat(refused.getStatus().getMessage()).isEqualTo(message);
  }

  /** Node n1's TokenRequest for {@code a/default}, with the fabric8 client as the agent's. */
  private static TokenRequest requestToken(BoundObjectReference bound) {
    return n1Client
        .serviceAccounts()
        .inNamespace("a")
        .withName("default")
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(3600L)
                .withBoundObjectRef(bound)
                .endSpec()
                .build());
  }

  /** A SubjectAccessReview, posted by the admin, of what node n1 asks. */
  private static JsonNode review(
      String verb, String resource, String subresource, String namespace, String name) {
    String body =
        """
        {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
         "spec": {"user": "system:node:n1", "groups": ["system:nodes", "system:authenticated"],
           "resourceAttributes": {"verb": "%s", "resource": "%s", "subresource": "%s",
             "namespace": "%s", "name": "%s"}}}
        """
            .formatted(verb, resource, subresource, namespace, name);
    String answer =
        http.post()
            .uri("/apis/authorization.k8s.io/v1/subjectaccessreviews")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(answer).path("status");
  }

  private static Kubectl kubectlAsNode(String node) throws Exception {
    Path pki = server.pkiDir();
    CertificateAuthority clientCa =
        new CertificateAuthority(
            Pem.parseCertificate(Pem.read(pki.resolve("client-ca.crt"))),
            Pem.parsePrivateKey(Pem.read(pki.resolve("client-ca.key"))));
    IssuedCertificate cert =
        clientCa.issue(
            CertificateRequest.client(
                "system:node:" + node, List.of("system:nodes"), Duration.ofDays(1)),
            Instant.now());
    Path file = dir.resolve(node + ".kubeconfig");
    Files.writeString(
        file,
        Kubeconfigs.withClientCertificate(
            server.url(),
            Pem.read(pki.resolve("server-ca.crt")),
            Pem.certificate(cert.certificate()),
            Pem.privateKey(cert.key()),
            "system:node:" + node));
    return new Kubectl(file);
  }

  private static String nodeJson(String name) {
    return """
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s"},
         "status": {"capacity": {"pods": "110"}}}
        """
        .formatted(name);
  }

  private static String podJson(String name, String node, String secret) {
    String nodeName = node.isEmpty() ? "" : "\"nodeName\": \"" + node + "\",";
    return """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"namespace": "a", "name": "%s"},
         "spec": {%s "containers": [{"name": "c", "image": "nauta/busybox:local"}],
           "volumes": [{"name": "v", "secret": {"secretName": "%s"}}]}}
        """
        .formatted(name, nodeName, secret);
  }

  private static void ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }
}
