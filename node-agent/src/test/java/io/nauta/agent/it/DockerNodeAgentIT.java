package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.DockerLabels;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The node agent on the Docker runtime in a whole control plane (API server on Redis in Docker,
 * scheduler, controller manager) with one node, {@code it-docker-agent-<hex>}: a deployment's pods
 * run as real containers with pod IPs on the node's bridge. Everything on Docker carrying the
 * node's label is removed after ({@link TestDockerNode}).
 */
class DockerNodeAgentIT {

  private static TestDockerNode node;
  private static String NODE;
  private static final Duration T = Duration.ofSeconds(10);

  private static DockerClient docker;
  private static TestApiServer api;
  private static KubeClient client;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static ResourceClient<Pod> pods;

  @BeforeAll
  static void startCluster() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-docker-agent");
    NODE = node.name();
    plane = ControlPlane.start();
    api = plane.api;
    client = plane.client;
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    agent = startAgent();
  }

  private static ConfigurableApplicationContext startAgent() {
    return plane.startDockerAgent(
        "--nauta.agent.node-name=" + NODE,
        // A /24 no other network on this engine uses (TestDockerNode).
        "--nauta.agent.first-node-index=" + node.index(),
        "--nauta.agent.lease-renew-interval=1s",
        "--nauta.agent.status-check-interval=1s");
  }

  @AfterAll
  static void stopCluster() {
    for (ConfigurableApplicationContext ctx : new ConfigurableApplicationContext[] {agent}) {
      if (ctx != null) {
        ctx.close();
      }
    }
    if (plane != null) {
      plane.close();
    }
    cleanUpDocker();
  }

  private static void cleanUpDocker() {
    if (node != null) {
      node.cleanUp(docker);
    }
  }

  private static List<Container> containers() {
    return node.containers(docker);
  }

  @Test
  void runsADeploymentsReplicasAsContainersReachableByTheirPodIps() throws Exception {
    ResourceClient<Deployment> deployments =
        client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    deployments
        .create(
            new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("httpd")
                .withImage("nauta/busybox:local")
                .withImagePullPolicy("IfNotPresent")
                .withCommand(
                    "sh", "-c", "hostname > /tmp/index.html; exec httpd -f -p 8080 -h /tmp")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .block(T);

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(webPods().stream().filter(DockerNodeAgentIT::running)).hasSize(2));
    List<Pod> running = webPods();
    Set<String> ips =
        running.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet());
    assertThat(ips).hasSize(2).allMatch(ip -> ip.startsWith(node.ipPrefix()));
    for (Pod p : running) {
      assertThat(p.getSpec().getNodeName()).isEqualTo(NODE);
      var cs = p.getStatus().getContainerStatuses().get(0);
      assertThat(cs.getContainerID()).startsWith("docker://");
      assertThat(cs.getImageID()).startsWith("docker://sha256:");
      assertThat(cs.getReady()).isTrue();
      String id = cs.getContainerID().substring("docker://".length());
      assertThat(docker.inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
    }
    // kubectl get nodes -o wide shows the engine's version as the node's runtime.
    assertThat(
            client
                .resource(BuiltInResources.NODES, io.fabric8.kubernetes.api.model.Node.class)
                .get(null, NODE)
                .block(T)
                .getStatus()
                .getNodeInfo()
                .getContainerRuntimeVersion())
        .isEqualTo("docker://" + docker.versionCmd().exec().getVersion());
    // Two sandboxes plus two httpd containers, and each answers on its pod IP from the host.
    assertThat(containers()).hasSize(4);
    HttpClient http = HttpClient.newHttpClient();
    for (String ip : ips) {
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          http.send(
                                  HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
                                      .timeout(Duration.ofSeconds(3))
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .statusCode())
                      .isEqualTo(200));
    }

    // An agent that restarts adopts the running containers: none is recreated or restarted.
    Set<String> before = containers().stream().map(Container::getId).collect(Collectors.toSet());
    agent.close();
    agent = startAgent();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(containers().stream().map(Container::getId).collect(Collectors.toSet()))
                  .isEqualTo(before);
              assertThat(containers()).allMatch(c -> "running".equals(c.getState()));
              assertThat(webPods().stream().filter(DockerNodeAgentIT::running)).hasSize(2);
            });

    // A pod removed while its agent is down is gone from Docker once the agent is back.
    agent.close();
    Pod victim = running.get(0);
    pods.delete(
            "default",
            victim.getMetadata().getName(),
            new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
                .withGracePeriodSeconds(0L)
                .build())
        .block(T);
    agent = startAgent();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      docker
                          .listContainersCmd()
                          .withShowAll(true)
                          .withLabelFilter(
                              Map.of(DockerLabels.POD_UID, victim.getMetadata().getUid()))
                          .exec())
                  .isEmpty();
              assertThat(webPods().stream().filter(DockerNodeAgentIT::running)).hasSize(2);
            });

    // Deleting the deployment stops and removes the pods' containers and sandboxes.
    deployments.delete("default", "web").block(T);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(webPods()).isEmpty();
              assertThat(containers()).isEmpty();
            });
  }

  private static List<Pod> webPods() {
    return pods.list("default", ListOptions.labels("app=web")).block(T).items();
  }

  private static boolean running(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getPodIP() != null
        && p.getMetadata().getDeletionTimestamp() == null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
