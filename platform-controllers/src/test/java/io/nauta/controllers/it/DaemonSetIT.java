package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * DaemonSets end to end with the real kubectl, scheduler and simulated nodes: one pod per eligible
 * node placed through node affinity on the node's name, a node joining gets one, a node selector
 * and a taint keep pods off, a rolling update within maxUnavailable, rollout status, history and
 * undo, a controller manager restart without duplicates, a removed node's pod goes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonSetIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static TestCluster cluster;
  static Kubectl kubectl;
  static ResourceClient<Pod> pods;
  static ResourceClient<Node> nodes;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, "16");
    kubectl = new Kubectl(cluster.api.kubeconfig(dir));
    pods = cluster.client.resource(BuiltInResources.PODS, Pod.class);
    nodes = cluster.client.resource(BuiltInResources.NODES, Node.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  private static List<Pod> livePods(String app) {
    return pods
        .list("default", ListOptions.none().withLabelSelector("app=" + app))
        .block(WAIT)
        .items()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Node name → pod, asserting one live pod per node. */
  private static Map<String, String> podsByNode(String app) {
    List<Pod> live = livePods(app);
    Map<String, String> byNode =
        live.stream()
            .filter(p -> p.getSpec().getNodeName() != null)
            .collect(
                Collectors.toMap(
                    p -> p.getSpec().getNodeName(), p -> p.getMetadata().getName(), (a, b) -> a));
    assertThat(byNode).as("one pod per node: " + live).hasSize(live.size());
    return byNode;
  }

  private static void awaitPodsOn(String app, String... nodeNames) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> live = livePods(app);
              assertThat(live).allMatch(DaemonSetIT::ready);
              assertThat(podsByNode(app).keySet()).containsExactlyInAnyOrder(nodeNames);
            });
  }

  private static String daemonSet(String name, String image, String nodeSelector) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: %s
        spec:
          selector:
            matchLabels:
              app: %s
          template:
            metadata:
              labels:
                app: %s
            spec:
              %s
              containers:
              - name: agent
                image: %s
        """
        .formatted(name, name, name, nodeSelector, image);
  }

  @Test
  @Order(1)
  void aDaemonSetRunsOnePodOnEveryNodeThroughTheScheduler() {
    Kubectl.Result created =
        kubectl.runWithInput(
            daemonSet("agent", "nauta/busybox:v1", "nodeSelector: {}"), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    awaitPodsOn("agent", "node-0", "node-1", "node-2");

    Pod pod = livePods("agent").get(0);
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getKind()).isEqualTo("DaemonSet");
              assertThat(r.getController()).isTrue();
            });
    assertThat(pod.getMetadata().getLabels())
        .containsKey("controller-revision-hash")
        .containsEntry("pod-template-generation", "1");
    // placed as upstream does since 1.12: required node affinity on the node's name
    assertThat(
            pod.getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getMatchFields().get(0).getKey()).isEqualTo("metadata.name");
              assertThat(t.getMatchFields().get(0).getValues())
                  .containsExactly(pod.getSpec().getNodeName());
            });
    assertThat(pod.getSpec().getTolerations())
        .extracting(Toleration::getKey, Toleration::getEffect, Toleration::getTolerationSeconds)
        .contains(
            org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/not-ready", "NoExecute", null),
            org.assertj.core.groups.Tuple.tuple(
                "node.kubernetes.io/unreachable", "NoExecute", null),
            org.assertj.core.groups.Tuple.tuple(
                "node.kubernetes.io/unschedulable", "NoSchedule", null));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "ds", "agent").stdout())
                    .containsPattern("agent +3 +3 +3 +3 +3 +<none> +\\d+s"));
    assertThat(ok("get", "controllerrevisions").stdout())
        .containsPattern("agent-\\w+ +daemonset.apps/agent +1 ");
    assertThat(ok("get", "events", "--field-selector", "involvedObject.name=agent").stdout())
        .contains("SuccessfulCreate", "Created pod: agent-");
  }

  @Test
  @Order(2)
  void aNodeThatJoinsGetsAPodATaintedOneDoesNot() {
    cluster.kubelet.addNode("node-3", Map.of(), List.of());
    cluster.kubelet.addNode(
        "node-4",
        Map.of(),
        List.of(
            new TaintBuilder()
                .withKey("dedicated")
                .withValue("infra")
                .withEffect("NoSchedule")
                .build()));
    awaitPodsOn("agent", "node-0", "node-1", "node-2", "node-3");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "ds", "agent").stdout())
                    .containsPattern("agent +4 +4 +4 +4 +4 "));
  }

  @Test
  @Order(3)
  void aNodeSelectorKeepsPodsOffOtherNodes() {
    Kubectl.Result created =
        kubectl.runWithInput(
            daemonSet("ssd", "nauta/busybox:v1", "nodeSelector: {disk: ssd}"), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    ok("label", "node", "node-1", "disk=ssd");
    awaitPodsOn("ssd", "node-1");
    assertThat(ok("get", "ds", "ssd").stdout()).containsPattern("ssd +1 +1 +1 +1 +1 +disk=ssd ");
    // the label goes, and so does the pod
    ok("label", "node", "node-1", "disk-");
    awaitPodsOn("ssd");
    ok("delete", "ds", "ssd");
  }

  @Test
  @Order(3)
  void aTolerationLetsPodsOntoATaintedNode() {
    String tolerant =
        daemonSet(
            "tolerant",
            "nauta/busybox:v1",
            "tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]");
    Kubectl.Result created = kubectl.runWithInput(tolerant, "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    awaitPodsOn("tolerant", "node-0", "node-1", "node-2", "node-3", "node-4");
    ok("delete", "ds", "tolerant");
  }

  @Test
  @Order(4)
  void aRollingUpdateReplacesPodsOneNodeAtATime() throws Exception {
    List<String> below = new CopyOnWriteArrayList<>();
    SharedInformer<Pod> watch =
        new SharedInformer<>(
            pods,
            "default",
            ListOptions.none().withLabelSelector("app=agent"),
            Duration.ofMillis(100),
            Duration.ofSeconds(2));
    watch
        .events()
        .subscribe(
            e -> {
              long available =
                  watch.store().list().stream()
                      .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                      .filter(DaemonSetIT::ready)
                      .map(p -> p.getSpec().getNodeName())
                      .distinct()
                      .count();
              if (available < 3) {
                below.add(
                    available
                        + " available at "
                        + e.type()
                        + " "
                        + e.object().getMetadata().getName());
              }
            });
    watch.start();
    watch.synced().block(WAIT);
    try {
      ok("set", "image", "ds/agent", "agent=nauta/busybox:v2");
      Kubectl.Result status = ok("rollout", "status", "ds/agent", "--timeout=90s");
      assertThat(status.stdout()).contains("daemon set \"agent\" successfully rolled out");
    } finally {
      watch.close();
    }
    // maxUnavailable 1 of 4: never fewer than 3 nodes with a ready pod
    assertThat(below).isEmpty();
    assertThat(livePods("agent"))
        .hasSize(4)
        .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("nauta/busybox:v2"));

    Kubectl.Result history = ok("rollout", "history", "ds/agent");
    assertThat(history.stdout())
        .contains("REVISION")
        .containsPattern("(?m)^1 ")
        .containsPattern("(?m)^2 ");
    assertThat(ok("rollout", "history", "ds/agent", "--revision=1").stdout())
        .contains("nauta/busybox:v1");
  }

  @Test
  @Order(5)
  void rolloutUndoRestoresThePreviousTemplate() {
    assertThat(ok("rollout", "undo", "ds/agent").stdout())
        .contains("daemonset.apps/agent rolled back");
    ok("rollout", "status", "ds/agent", "--timeout=90s");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(livePods("agent"))
                    .hasSize(4)
                    .allMatch(
                        p ->
                            p.getSpec()
                                .getContainers()
                                .get(0)
                                .getImage()
                                .equals("nauta/busybox:v1")));
    // revision 1 became revision 3
    Kubectl.Result history = ok("rollout", "history", "ds/agent");
    assertThat(history.stdout()).containsPattern("(?m)^2 ").containsPattern("(?m)^3 ");
    assertThat(history.stdout()).doesNotContainPattern("(?m)^1 ");
  }

  @Test
  @Order(6)
  void aRestartedControllerManagerCreatesNoDuplicates() {
    Set<String> before = new HashSet<>(podsByNode("agent").values());
    List<org.springframework.context.ConfigurableApplicationContext> running =
        List.copyOf(cluster.controllerManagers());
    running.forEach(
        ctx -> {
          cluster.controllerManagers().remove(ctx);
          ctx.close();
        });
    cluster.startControllerManager();
    // nothing is created twice while the new manager takes over ...
    await()
        .during(Duration.ofSeconds(10))
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(new HashSet<>(podsByNode("agent").values())).isEqualTo(before));
    // ... and it does run: a pod deleted by hand is replaced on its node, the others stay
    Map<String, String> byNode = podsByNode("agent");
    ok("delete", "pod", byNode.get("node-0"), "--wait=false");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, String> now = podsByNode("agent");
              assertThat(now).hasSize(4);
              assertThat(now.get("node-0")).isNotEqualTo(byNode.get("node-0"));
              for (String node : List.of("node-1", "node-2", "node-3")) {
                assertThat(now.get(node)).isEqualTo(byNode.get(node));
              }
            });
    assertThat(
            cluster
                .client
                .resource(BuiltInResources.CONTROLLER_REVISIONS, ControllerRevision.class)
                .list("default", ListOptions.none().withLabelSelector("app=agent"))
                .block(WAIT)
                .items())
        .hasSize(2);
  }

  @Test
  @Order(7)
  void aDaemonSetCreatedAgainAdoptsThePodsItsPredecessorOrphaned() {
    Map<String, String> before = podsByNode("agent");
    ok("delete", "ds", "agent", "--cascade=orphan");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(livePods("agent"))
                    .hasSize(4)
                    .allMatch(p -> p.getMetadata().getOwnerReferences().isEmpty()));
    Kubectl.Result created =
        kubectl.runWithInput(
            daemonSet("agent", "nauta/busybox:v1", "nodeSelector: {}"), "create", "-f", "-");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String uid = ok("get", "ds", "agent", "-o", "jsonpath={.metadata.uid}").stdout();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(livePods("agent"))
                    .hasSize(4)
                    .allMatch(
                        p -> p.getMetadata().getOwnerReferences().get(0).getUid().equals(uid)));
    // the same pods, none doubled, and the history kept
    await()
        .during(Duration.ofSeconds(5))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(podsByNode("agent")).isEqualTo(before));
    assertThat(ok("rollout", "history", "ds/agent").stdout())
        .containsPattern("(?m)^2 ")
        .containsPattern("(?m)^3 ");
  }

  @Test
  @Order(8)
  void aRemovedNodeLosesItsPod() {
    nodes.delete(null, "node-3").block(WAIT);
    awaitPodsOn("agent", "node-0", "node-1", "node-2");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "ds", "agent").stdout())
                    .containsPattern("agent +3 +3 +3 +3 +3 "));
    // deleting the DaemonSet removes its pods and history through the garbage collector
    ok("delete", "ds", "agent");
    await().atMost(WAIT).untilAsserted(() -> assertThat(livePods("agent")).isEmpty());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(kubectl.run("get", "controllerrevisions").stdout()).isEmpty());
  }
}
