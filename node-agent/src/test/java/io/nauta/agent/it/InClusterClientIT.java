package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.nauta.agent.NautaAgent;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.support.TestApiServer;
import io.nauta.controllers.NautaControllers;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.NautaScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/**
 * The acceptance 5 on Docker, with security on: a pod's process reads the token and CA the
 * agent projected into it and calls {@code
 * https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/<ns>/pods}, reaching
 * the API server through the {@code kubernetes} Service's cluster IP (the agent's iptables proxy to
 * the address the API server advertises) and verifying its certificate against the projected CA:
 * the list when its service account may list pods there (a RoleBinding), 403 with Kubernetes'
 * message when not. The client is curl in {@code nauta/curl:local} ({@code
 * deploy/images/build.sh}): busybox's wget speaks TLS but cannot verify a server against a CA file.
 */
class InClusterClientIT {

  static final Duration T = Duration.ofSeconds(30);
  static final String NS = "incluster";
  static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** Calls the API server as an in-cluster client library does, until it answers. */
  static final String CALL =
      "SA="
          + SA_DIR
          + "; for i in $(seq 1 30); do"
          + " code=$(curl -sS --max-time 5 --cacert $SA/ca.crt"
          + " -H \"Authorization: Bearer $(cat $SA/token)\" -o /tmp/body -w '%{http_code}'"
          + " https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$(cat"
          + " $SA/namespace)/pods 2>/tmp/err);"
          + " [ \"$code\" = 200 ] || [ \"$code\" = 403 ] && break; sleep 1; done;"
          + " echo \"code=$code\"; cat /tmp/err; cat /tmp/body; echo;"
          + " echo \"host=$KUBERNETES_SERVICE_HOST port=$KUBERNETES_SERVICE_PORT\";"
          + " echo \"mode=$(stat -L -c %a $SA/token)\";"
          + " echo \"namespace=$(cat $SA/namespace)\";"
          + " (touch $SA/x 2>/dev/null && echo writable) || echo read-only";

  @TempDir static Path dir;

  static TestDockerNode node;
  static DockerClient docker;
  static TestApiServer api;
  static KubeClient client;
  static ResourceClient<Pod> pods;
  static String clusterIp;
  static final List<ConfigurableApplicationContext> components = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    assertThat(docker.listImagesCmd().withImageNameFilter("nauta/curl:local").exec())
        .as("nauta/curl:local (deploy/images/build.sh)")
        .isNotEmpty();
    node = TestDockerNode.reserve(docker, "it-incluster");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int ports = 30000 + 100 * random.nextInt(27);
    String range = "10.97." + random.nextInt(256) + ".0/24";
    clusterIp = range.replace(".0/24", ".1");
    Path pki = dir.resolve("pki");
    // Listening on every address: pods reach it at the address it advertises (the host's).
    api =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate",
            "server.address=0.0.0.0",
            "nauta.security.enabled=true",
            TestApiServer.SERVICE_ACCOUNT_ADMISSION + "true",
            "nauta.security.pki-dir=" + pki,
            "nauta.services.cluster-ip-range=" + range,
            "nauta.services.node-port-range=" + ports + "-" + (ports + 99));
    client = new KubeClient(ClientConfig.fromKubeconfig(pki.resolve("admin.kubeconfig")));
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    components.add(
        NautaScheduler.application()
            .run(
                "--server.port=0",
                "--nauta.scheduler.kubeconfig=" + pki.resolve("scheduler.kubeconfig"),
                "--nauta.scheduler.leader-election.enabled=false"));
    components.add(
        NautaControllers.application()
            .run(
                "--server.port=0",
                "--nauta.controllers.kubeconfig=" + pki.resolve("controller-manager.kubeconfig"),
                "--nauta.controllers.root-ca-file=" + pki.resolve("server-ca.crt"),
                "--nauta.controllers.leader-election.enabled=false"));
    Path root = Files.createDirectories(dir.resolve("agent"));
    components.add(
        NautaAgent.application()
            .run(
                "--server.port=0",
                // system:node:<its node>: the Node authorizer holds it to that node's objects.
                api.agentArg(node.name()),
                "--nauta.agent.runtime=docker",
                "--nauta.agent.docker.api-version=" + System.getProperty("api.version", ""),
                "--nauta.agent.node-name=" + node.name(),
                "--nauta.agent.first-node-index=" + node.index(),
                "--nauta.agent.root-dir=" + root,
                "--nauta.agent.sync-retry-interval=1s",
                "--nauta.agent.status-check-interval=1s"));
    createNamespaceAndAccounts();
  }

  @AfterAll
  static void stopCluster() {
    for (int i = components.size() - 1; i >= 0; i--) {
      components.get(i).close();
    }
    if (api != null) {
      api.close();
    }
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  /** {@code reader} may get and list pods in the namespace; {@code stranger} may not. */
  static void createNamespaceAndAccounts() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build();
    client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(ns).block(T);
    ResourceClient<ServiceAccount> accounts =
        client.resource(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class);
    for (String name : List.of("reader", "stranger")) {
      accounts
          .create(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withNamespace(NS)
                  .withName(name)
                  .endMetadata()
                  .build())
          .block(T);
    }
    client
        .resource(BuiltInResources.ROLES, Role.class)
        .create(
            new RoleBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("pod-reader")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("pods")
                .withVerbs("get", "list")
                .endRule()
                .build())
        .block(T);
    client
        .resource(BuiltInResources.ROLE_BINDINGS, RoleBinding.class)
        .create(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("reader-reads")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName("pod-reader")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace(NS)
                .withName("reader")
                .endSubject()
                .build())
        .block(T);
    // The root CA publisher's ConfigMap, which the pods' token volume takes ca.crt from.
    await()
        .atMost(T)
        .until(
            () ->
                client
                    .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
                    .get(NS, "kube-root-ca.crt")
                    .map(cm -> true)
                    .onErrorResume(NotFoundException.class, e -> Mono.just(false))
                    .block(T));
  }

  static Pod runClient(String name, String account) {
    pods.create(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(account)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("client")
                .withImage("nauta/curl:local")
                .withImagePullPolicy("Never")
                .withCommand("sleep", "3600")
                .endContainer()
                .endSpec()
                .build())
        .block(T);
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> pods.get(NS, name).block(T),
            p ->
                p.getStatus() != null
                    && "Running".equals(p.getStatus().getPhase())
                    && p.getStatus().getContainerStatuses() != null
                    && !p.getStatus().getContainerStatuses().isEmpty()
                    && p.getStatus().getContainerStatuses().get(0).getContainerID() != null);
  }

  @Test
  void aPodWhoseAccountMayListPodsGetsTheListThroughTheKubernetesService() {
    Pod pod = runClient("allowed", "reader");
    String out = exec(pod, CALL);

    assertThat(out).contains("code=200");
    assertThat(out).contains("\"kind\":\"PodList\"").contains("\"name\":\"allowed\"");
    assertThat(out).contains("host=" + clusterIp + " port=443");
    assertThat(out).contains("mode=644").contains("namespace=" + NS).contains("read-only");
  }

  @Test
  void aPodWhoseAccountMayNotIsForbiddenWithKubernetesMessage() {
    Pod pod = runClient("refused", "stranger");
    String out = exec(pod, CALL);

    assertThat(out).contains("code=403");
    assertThat(out)
        .contains(
            "pods is forbidden: User \\\"system:serviceaccount:"
                + NS
                + ":stranger\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the"
                + " namespace \\\""
                + NS
                + "\\\"");
  }

  @Test
  void thePodsTokenFilesGoWithThePod() throws Exception {
    Pod pod = runClient("shortlived", "reader");
    String uid = pod.getMetadata().getUid();
    Path volumes = dir.resolve("agent").resolve("pods").resolve(uid).resolve("volumes");
    try (var files = Files.walk(volumes.resolve("kubernetes.io~projected"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("token", "ca.crt", "namespace");
    }
    pods.delete(NS, "shortlived").block(T);
    await().atMost(T).until(() -> !Files.exists(volumes.getParent()));
  }

  private static String exec(Pod pod, String script) {
    return DockerExec.output(docker, pod, script);
  }
}
