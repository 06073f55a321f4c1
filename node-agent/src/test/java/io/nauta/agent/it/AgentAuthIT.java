package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.NautaAgent;
import io.nauta.agent.app.KubeletPort;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The agent's port as a kubelet's with webhook authentication and authorization, against a real API
 * server in secure mode and a real container on Docker: {@code kubectl logs} works through the API
 * server (its {@code kube-apiserver-kubelet-client} certificate over HTTPS), a direct call without
 * credentials is 401, a ServiceAccount's token is checked with a TokenReview and its access to
 * {@code nodes/proxy} with a SubjectAccessReview: 403 with the kubelet's words without a binding,
 * the log with one.
 */
class AgentAuthIT {

  private static final String IMAGE = "nauta/busybox:local";
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir static Path dir;

  private static TestDockerNode node;
  private static DockerClient docker;
  private static TestApiServer api;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;
  private static HttpClient https;
  private static int agentPort;

  @BeforeAll
  static void startCluster() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-agentauth");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int ports = 30000 + 100 * random.nextInt(27);
    Path pki = dir.resolve("pki");
    api =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate",
            "nauta.security.enabled=true",
            "nauta.security.pki-dir=" + pki,
            "nauta.security.node-name=" + node.name(),
            "nauta.services.cluster-ip-range=10.97." + random.nextInt(256) + ".0/24",
            "nauta.services.node-port-range=" + ports + "-" + (ports + 99));
    agent =
        NautaAgent.application()
            .run(
                "--server.port=0",
                "--server.ssl.certificate=" + pki.resolve("agent-serving.crt"),
                "--server.ssl.certificate-private-key=" + pki.resolve("agent-serving.key"),
                "--server.ssl.client-auth=want",
                "--server.ssl.trust-certificate=" + pki.resolve("client-ca.crt"),
                "--nauta.agent.authentication.client-ca-file=" + pki.resolve("client-ca.crt"),
                "--nauta.agent.kubeconfig=" + pki.resolve("agent.kubeconfig"),
                "--nauta.agent.runtime=docker",
                "--nauta.agent.docker.api-version=" + System.getProperty("api.version", ""),
                "--nauta.agent.node-name=" + node.name(),
                "--nauta.agent.first-node-index=" + node.index(),
                "--nauta.agent.status-check-interval=1s",
                "--nauta.agent.stats.interval=1s");
    agentPort = agent.getBean(KubeletPort.class).getAsInt();
    https = api.anonymousHttpClient();
    kubectl = new Kubectl(api.kubeconfig(dir));

    KubeClient admin = new KubeClient(ClientConfig.fromKubeconfig(api.kubeconfig(dir)));
    ResourceClient<Pod> pods = admin.resource(BuiltInResources.PODS, Pod.class);
    // Bound at once: no scheduler needed.
    pods.create(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("writer")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node.name())
                .withTerminationGracePeriodSeconds(0L)
                .withContainers(
                    new ContainerBuilder()
                        .withName("app")
                        .withImage(IMAGE)
                        .withImagePullPolicy("IfNotPresent")
                        .withCommand("sh", "-c", "echo line 1; echo line 2; exec sleep 600")
                        .build())
                .endSpec()
                .build())
        .block(T);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        pods.get("default", "writer").block(T).getStatus().getContainerStatuses())
                    .isNotEmpty()
                    .allMatch(s -> s.getState().getRunning() != null));
    apply(
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: reader, namespace: default}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: nobody, namespace: default}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: node-proxy-reader}
        rules:
        - apiGroups: [""]
          resources: [nodes/proxy]
          verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: node-proxy-reader}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-proxy-reader}
        subjects:
        - {kind: ServiceAccount, name: reader, namespace: default}
        """);
  }

  @AfterAll
  static void stopCluster() {
    if (agent != null) {
      agent.close();
    }
    if (api != null) {
      api.close();
    }
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static HttpResponse<String> agentGet(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort + path)).timeout(T);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(String serviceAccount) {
    return ok("create", "token", serviceAccount, "-n", "default").stdout().trim();
  }

  @Test
  void kubectlLogsReadsTheAgentThroughTheApiServer() {
    assertThat(ok("logs", "writer").stdout()).isEqualTo("line 1\nline 2\n");
  }

  @Test
  void aCallWithoutCredentialsIsUnauthorizedButProbesAreOpen() throws Exception {
    HttpResponse<String> logs = agentGet("/containerLogs/default/writer/app", null);
    assertThat(logs.statusCode()).isEqualTo(401);
    assertThat(logs.body()).isEqualTo("Unauthorized");
    assertThat(agentGet("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    assertThat(agentGet("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(agentGet("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenTheApiServerDoesNotKnowIsUnauthorized() throws Exception {
    HttpResponse<String> logs = agentGet("/containerLogs/default/writer/app", "not-a-token");
    assertThat(logs.statusCode()).isEqualTo(401);
  }

  @Test
  void aServiceAccountNotAllowedNodesProxyIsForbiddenInTheKubeletsWords() throws Exception {
    HttpResponse<String> logs = agentGet("/containerLogs/default/writer/app", token("nobody"));
    assertThat(logs.statusCode()).isEqualTo(403);
    assertThat(logs.body())
        .isEqualTo(
            "Forbidden (user=system:serviceaccount:default:nobody, verb=get, resource=nodes,"
                + " subresource=proxy)");
  }

  @Test
  void aServiceAccountAllowedNodesProxyGetsTheLog() throws Exception {
    HttpResponse<String> logs = agentGet("/containerLogs/default/writer/app", token("reader"));
    assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
    assertThat(logs.body()).isEqualTo("line 1\nline 2\n");
  }

  /** {@code /stats/summary} as the API server reads it: with its kubelet client certificate. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> summaryAsKubeletClient() {
    ClientConfig as = ClientConfig.fromKubeconfig(api.kubeconfigAs(ClusterPki.KUBELET_CLIENT_USER));
    ClientConfig config =
        new ClientConfig(
            "https://127.0.0.1:" + agentPort,
            null,
            null,
            as.certificateAuthority(),
            as.clientCertificate(),
            as.clientKey(),
            false);
    String body =
        ClientTransport.httpClient(config)
            .get()
            .uri(config.server() + "/stats/summary")
            .responseSingle(
                (response, content) -> {
                  assertThat(response.status().code()).isEqualTo(200);
                  return content.asString();
                })
            .block(T);
    return JSON.readValue(body, Map.class);
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  @SuppressWarnings("unchecked")
  private static long nanoCores(Map<String, Object> summary, String pod) {
    return ((List<Map<String, Object>>) summary.get("pods"))
        .stream()
            .filter(p -> ((Map<String, Object>) p.get("podRef")).get("name").equals(pod))
            .flatMap(p -> ((List<Map<String, Object>>) p.get("containers")).stream())
            .map(c -> (Map<String, Object>) c.get("cpu"))
            .filter(cpu -> cpu.containsKey("usageNanoCores"))
            .mapToLong(cpu -> ((Number) cpu.get("usageNanoCores")).longValue())
            .findFirst()
            .orElse(-1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theKubeletClientReadsContainersCpuFromDockerAndACallerWithoutNodesStatsCannot()
      throws Exception {
    ResourceClient<Pod> pods =
        new KubeClient(ClientConfig.fromKubeconfig(api.kubeconfig(dir)))
            .resource(BuiltInResources.PODS, Pod.class);
    pods.create(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("burner")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node.name())
                .withTerminationGracePeriodSeconds(0L)
                .withContainers(
                    new ContainerBuilder()
                        .withName("burn")
                        .withImage(IMAGE)
                        .withImagePullPolicy("IfNotPresent")
                        .withCommand("sh", "-c", "while :; do :; done")
                        .build())
                .endSpec()
                .build())
        .block(T);
    try {
      // Two samples of the running burner give its rate; the writer only sleeps.
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Map<String, Object> summary = summaryAsKubeletClient();
                assertThat(nanoCores(summary, "burner")).isGreaterThan(300_000_000L);
                assertThat(nanoCores(summary, "writer")).isBetween(0L, 50_000_000L);
                Map<String, Object> n = (Map<String, Object>) summary.get("node");
                assertThat(n).containsEntry("nodeName", node.name());
                Map<String, Object> memory = (Map<String, Object>) n.get("memory");
                assertThat(((Number) memory.get("workingSetBytes")).longValue()).isPositive();
                assertThat(((Number) memory.get("availableBytes")).longValue()).isPositive();
                assertThat(
                        ((Number) ((Map<String, Object>) n.get("cpu")).get("usageNanoCores"))
                            .longValue())
                    .isGreaterThan(300_000_000L);
              });
    } finally {
      pods.delete("default", "burner").block(T);
    }

    // nodes/proxy is not nodes/stats.
    HttpResponse<String> denied = agentGet("/stats/summary", token("reader"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body())
        .isEqualTo(
            "Forbidden (user=system:serviceaccount:default:reader, verb=get, resource=nodes,"
                + " subresource=stats)");
  }
}
