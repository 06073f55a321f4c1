package io.nauta.faults;

import static io.nauta.faults.Federation.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16's acceptance, step by step, on a federation of processes started by {@code deploy/nauta
 * up --federation 3 --runtime simulated} (three member clusters, usa-3, asia-2 and europe-1, each
 * API server, scheduler, controller manager and a simulated node; and the gateway), with kubectl
 * against the kubeconfig's contexts. The steps build on each other in order: the 9-replica {@code
 * web} Deployment of the first is the one later steps override, freeze under and delete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationAcceptanceIT {

  private static final String NS = "fed-accept";
  private static final String USA = "usa-3";
  private static final String ASIA = "asia-2";
  private static final String EUROPE = "europe-1";
  private static final String GATEWAY = "gateway";
  private static final Duration PROPAGATION = Duration.ofSeconds(90);

  private static Federation federation;

  @BeforeAll
  static void up() throws IOException {
    Path dir = Files.createTempDirectory("federation-acceptance-");
    federation =
        Federation.up(
            ExecJars.root(),
            dir.resolve("home"),
            Duration.ofMinutes(15),
            Federation.MEMBERS.size(),
            "simulated",
            Map.of("NAUTA_JAVA_OPTS", ShortLivedJvms.javaOpts()));
    assertOk(federation.applyIn(GATEWAY, namespace()));
    for (String member : Federation.MEMBERS) {
      assertOk(federation.applyIn(member, namespace()));
    }
  }

  @AfterAll
  static void down() {
    if (federation != null) {
      federation.close();
    }
  }

  @Test
  @Order(1)
  void membersRunAndAreRegisteredAsClustersInTheGateway() {
    for (String member : Federation.MEMBERS) {
      Kubectl.Result nodes = federation.in(member, "get", "nodes", "--no-headers");
      assertOk(nodes);
      assertThat(nodes.stdout()).startsWith(member + "-node-0 ").contains(" Ready ");
    }
    Kubectl.Result clusters =
        federation.in(GATEWAY, "get", "clusters", "-L", "region", "--no-headers");
    assertOk(clusters);
    assertThat(clusters.stdout()).contains(USA, ASIA, EUROPE);
    assertThat(federation.jsonpath(GATEWAY, "", "cluster/" + USA, ".spec.region")).isEqualTo("us");
    // The gateway's health probe finds every member Ready.
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              for (String member : Federation.MEMBERS) {
                assertThat(readyStatus(member)).as(member).isEqualTo("True");
              }
            });
  }

  @Test
  @Order(2)
  void staticWeightsOneTwoZeroSplitNineReplicasIntoThreeSixAndNone() {
    assertOk(federation.applyIn(GATEWAY, webTemplate("nauta/busybox:local")));
    assertOk(
        federation.applyIn(
            GATEWAY,
            """
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: web, namespace: %s}
            spec:
              resourceSelectors:
              - {apiVersion: apps/v1, kind: Deployment, name: web}
              propagateDeps: true
              placement:
                clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
                replicaScheduling:
                  replicaSchedulingType: Divided
                  replicaDivisionPreference: Weighted
                  weightPreference:
                    staticWeightList:
                    - {targetCluster: {clusterNames: [usa-3]}, weight: 1}
                    - {targetCluster: {clusterNames: [asia-2]}, weight: 2}
            """
                .formatted(NS)));
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () -> {
              assertThat(replicas(USA, "web")).isEqualTo("3");
              assertThat(replicas(ASIA, "web")).isEqualTo("6");
            });
    assertThat(federation.exists(EUROPE, NS, "deployment/web")).isFalse();
  }

  @Test
  @Order(3)
  void theConfigMapItReferencesIsPropagatedWithPropagateDeps() {
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () -> {
              assertThat(federation.jsonpath(USA, NS, "configmap/web-config", ".data.greeting"))
                  .isEqualTo("hello");
              assertThat(federation.jsonpath(ASIA, NS, "configmap/web-config", ".data.greeting"))
                  .isEqualTo("hello");
            });
  }

  @Test
  @Order(4)
  void rolloutStatusAtTheGatewayCompletesAndShowsNineOfNine() {
    Kubectl.Result rollout =
        federation.in(GATEWAY, "-n", NS, "rollout", "status", "deployment/web", "--timeout=180s");
    assertOk(rollout);
    assertThat(rollout.stdout()).contains("successfully rolled out");
    Kubectl.Result get = federation.in(GATEWAY, "-n", NS, "get", "deployment/web", "--no-headers");
    assertOk(get);
    assertThat(get.stdout()).contains(" 9/9 ");
  }

  @Test
  @Order(5)
  void anOverridePolicyChangesTheImageInOneMemberOnly() {
    assertOk(
        federation.applyIn(
            GATEWAY,
            """
            apiVersion: policy.karmada.io/v1alpha1
            kind: OverridePolicy
            metadata: {name: web-image, namespace: %s}
            spec:
              resourceSelectors:
              - {apiVersion: apps/v1, kind: Deployment, name: web}
              overrideRules:
              - targetCluster: {clusterNames: [asia-2]}
                overriders:
                  imageOverrider:
                  - {component: Tag, operator: replace, value: "2.0"}
            """
                .formatted(NS)));
    String image = ".spec.template.spec.containers[0].image";
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () ->
                assertThat(federation.jsonpath(ASIA, NS, "deployment/web", image))
                    .isEqualTo("nauta/busybox:2.0"));
    assertThat(federation.jsonpath(USA, NS, "deployment/web", image))
        .isEqualTo("nauta/busybox:local");
    // The template at the gateway is the user's, unchanged.
    assertThat(federation.jsonpath(GATEWAY, NS, "deployment/web", image))
        .isEqualTo("nauta/busybox:local");
  }

  @Test
  @Order(6)
  void dynamicWeightsFollowTheMembersFreeCapacity() {
    // usa-3's one node (4 cpus) is three quarters taken before the template arrives.
    assertOk(
        federation.applyIn(
            USA,
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: filler, namespace: %s}
            spec:
              containers:
              - name: filler
                image: nauta/busybox:local
                resources: {requests: {cpu: "3"}}
            """
                .formatted(NS)));
    await()
        .atMost(PROPAGATION)
        .until(() -> federation.jsonpath(USA, NS, "pod/filler", ".spec.nodeName").length() > 0);
    // The gateway must know it before it places anything: usa-3's Cluster reports the 3 cpus
    // allocated (web's pods request none).
    await()
        .atMost(PROPAGATION)
        .until(
            () ->
                List.of("3", "3000m")
                    .contains(
                        federation.jsonpath(
                            GATEWAY,
                            "",
                            "cluster/" + USA,
                            ".status.resourceSummary.allocated.cpu")));
    assertOk(
        federation.applyIn(
            GATEWAY,
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: dyn, namespace: %s}
            spec:
              replicas: 6
              selector: {matchLabels: {app: dyn}}
              template:
                metadata: {labels: {app: dyn}}
                spec:
                  containers:
                  - name: dyn
                    image: nauta/busybox:local
                    resources: {requests: {cpu: 500m}}
            ---
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: dyn, namespace: %s}
            spec:
              resourceSelectors:
              - {apiVersion: apps/v1, kind: Deployment, name: dyn}
              placement:
                clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
                replicaScheduling:
                  replicaSchedulingType: Divided
                  replicaDivisionPreference: Weighted
                  weightPreference: {dynamicWeight: AvailableReplicas}
            """
                .formatted(NS, NS)));
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () -> {
              int usa = intOrZero(replicas(USA, "dyn"));
              int asia = intOrZero(replicas(ASIA, "dyn"));
              int europe = intOrZero(replicas(EUROPE, "dyn"));
              assertThat(usa + asia + europe).isEqualTo(6);
              // usa-3 has room for 2 such pods, the others for 8 each.
              assertThat(usa).isLessThan(asia).isLessThan(europe + 1);
              assertThat(usa).isLessThan(europe);
            });
  }

  @Test
  @Order(7)
  void anObjectAlreadyInAMemberIsLeftAloneAndTheBindingSaysWhyUntilOverwrite() {
    assertOk(federation.applyIn(USA, configMap("preexisting", "member")));
    assertOk(federation.applyIn(GATEWAY, configMap("preexisting", "gateway")));
    assertOk(federation.applyIn(GATEWAY, configMapPolicy("Abort")));
    // Karmada's binding name: <name>-<kind>.
    String binding = "resourcebinding/preexisting-configmap";
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () -> {
              assertThat(
                      federation.jsonpath(
                          GATEWAY,
                          NS,
                          binding,
                          ".status.aggregatedStatus[?(@.clusterName==\"usa-3\")].applied"))
                  .isEqualTo("false");
              assertThat(
                      federation.jsonpath(
                          GATEWAY,
                          NS,
                          binding,
                          ".status.aggregatedStatus[?(@.clusterName==\"usa-3\")].appliedMessage"))
                  .isNotBlank();
            });
    assertThat(federation.jsonpath(USA, NS, "configmap/preexisting", ".data.owner"))
        .isEqualTo("member");

    assertOk(federation.applyIn(GATEWAY, configMapPolicy("Overwrite")));
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () ->
                assertThat(federation.jsonpath(USA, NS, "configmap/preexisting", ".data.owner"))
                    .isEqualTo("gateway"));
  }

  @Test
  @Order(8)
  void theProxyPathListsAMembersPodsAsTheCallerAndPassesTheMembers403() {
    String proxy =
        federation.gatewayUrl() + "/apis/cluster.karmada.io/v1alpha1/clusters/usa-3/proxy";
    assertOk(
        federation.applyIn(
            GATEWAY,
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: member-proxy}
            rules:
            - {apiGroups: [cluster.karmada.io], resources: [clusters/proxy], verbs: ["*"]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: member-proxy}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: member-proxy}
            subjects:
            - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
            - {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
            """));
    assertOk(
        federation.applyIn(
            USA,
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: alice-views, namespace: %s}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects:
            - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
            """
                .formatted(NS)));
    Kubectl.Result alice =
        federation.gatewayUser("alice").run("--server", proxy, "-n", NS, "get", "pods");
    assertOk(alice);
    // The member's own pods (the filler made there in step 6).
    assertThat(alice.stdout()).contains("filler");
    Kubectl.Result bob =
        federation.gatewayUser("bob").run("--server", proxy, "-n", NS, "get", "pods");
    assertThat(bob.exitCode()).isNotZero();
    assertThat(bob.stderr()).contains("User \"bob\" cannot list resource \"pods\"");
  }

  @Test
  @Order(9)
  void aFrozenMemberTurnsNotReadyWithItsTaint() {
    Long frozen = federation.javaPid(USA, "apiserver");
    assertThat(frozen).as("usa-3's API server JVM").isNotNull();
    Federation.signal("STOP", frozen);
    try {
      await()
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () -> {
                assertThat(readyStatus(USA)).isIn("False", "Unknown");
                assertThat(
                        federation.jsonpath(GATEWAY, "", "cluster/" + USA, ".spec.taints[*].key"))
                    .containsAnyOf(
                        "cluster.karmada.io/unreachable", "cluster.karmada.io/not-ready");
              });
    } finally {
      Federation.signal("CONT", frozen);
    }
    await().atMost(Duration.ofSeconds(180)).until(() -> "True".equals(readyStatus(USA)));
  }

  @Test
  @Order(10)
  void aNoExecuteTaintMovesTheFrozenMembersReplicasKeepingTheTotalAndNothingComesBackUnasked() {
    Long frozen = federation.javaPid(USA, "apiserver");
    assertThat(frozen).as("usa-3's API server JVM").isNotNull();
    Federation.signal("STOP", frozen);
    try {
      // The user evicts: a NoExecute taint; web's replicas move to the healthy members.
      String taints = federation.jsonpath(GATEWAY, "", "cluster/" + USA, ".spec.taints");
      String taint = "{\"key\":\"fed-accept/evict\",\"effect\":\"NoExecute\"}";
      String patch =
          taints.isBlank()
              ? "[{\"op\":\"add\",\"path\":\"/spec/taints\",\"value\":[" + taint + "]}]"
              : "[{\"op\":\"add\",\"path\":\"/spec/taints/-\",\"value\":" + taint + "}]";
      assertOk(federation.in(GATEWAY, "patch", "cluster", USA, "--type=json", "-p", patch));
      await()
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () -> {
                assertThat(webBindingClusters()).doesNotContain(USA);
                assertThat(webBindingReplicas()).isEqualTo(9);
                assertThat(intOrZero(replicas(ASIA, "web")) + intOrZero(replicas(EUROPE, "web")))
                    .isEqualTo(9);
              });
    } finally {
      Federation.signal("CONT", frozen);
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> federation.in(USA, "get", "namespace", NS).exitCode() == 0);
    // Back, it gets nothing unasked: web's replicas stay where they went, none doubled, and what
    // the gateway did not move is still in usa-3.
    assertThat(webBindingClusters()).doesNotContain(USA);
    assertThat(webBindingReplicas()).isEqualTo(9);
    assertThat(intOrZero(replicas(ASIA, "web")) + intOrZero(replicas(EUROPE, "web"))).isEqualTo(9);
    // (The ConfigMap taken over with Overwrite in step 7 is the gateway's and placed on usa-3
    // alone: the NoExecute taint evicts it, as asked.) The member's own pod, never the gateway's:
    assertThat(federation.exists(USA, NS, "pod/filler")).isTrue();
  }

  @Test
  @Order(11)
  void deletingTheTemplateRemovesItFromEveryMember() {
    assertOk(federation.in(GATEWAY, "-n", NS, "delete", "deployment/web", "--wait=false"));
    await()
        .atMost(PROPAGATION)
        .untilAsserted(
            () -> {
              for (String member : Federation.MEMBERS) {
                assertThat(federation.exists(member, NS, "deployment/web")).as(member).isFalse();
              }
            });
  }

  private static String webBindingClusters() {
    return federation.jsonpath(
        GATEWAY, NS, "resourcebinding/web-deployment", ".spec.clusters[*].name");
  }

  private static int webBindingReplicas() {
    return Arrays.stream(
            federation
                .jsonpath(
                    GATEWAY, NS, "resourcebinding/web-deployment", ".spec.clusters[*].replicas")
                .split("\\s+"))
        .filter(s -> !s.isBlank())
        .mapToInt(Integer::parseInt)
        .sum();
  }

  private static String readyStatus(String member) {
    return federation.jsonpath(
        GATEWAY, "", "cluster/" + member, ".status.conditions[?(@.type==\"Ready\")].status");
  }

  private static String replicas(String member, String deployment) {
    return federation.jsonpath(member, NS, "deployment/" + deployment, ".spec.replicas");
  }

  private static int intOrZero(String s) {
    return s.isBlank() ? 0 : Integer.parseInt(s);
  }

  private static String namespace() {
    return "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NS + "}\n";
  }

  private static String webTemplate(String image) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: %s}
        data: {greeting: hello}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %s}
        spec:
          replicas: 9
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: %s
                env:
                - name: GREETING
                  valueFrom: {configMapKeyRef: {name: web-config, key: greeting}}
        """
        .formatted(NS, NS, image);
  }

  private static String configMap(String name, String owner) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data: {owner: %s}
        """
        .formatted(name, NS, owner);
  }

  private static String configMapPolicy(String conflictResolution) {
    return """
        apiVersion: policy.karmada.io/v1alpha1
        kind: PropagationPolicy
        metadata: {name: preexisting, namespace: %s}
        spec:
          conflictResolution: %s
          resourceSelectors:
          - {apiVersion: v1, kind: ConfigMap, name: preexisting}
          placement:
            clusterAffinity: {clusterNames: [usa-3]}
        """
        .formatted(NS, conflictResolution);
  }
}
