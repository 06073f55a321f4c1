package io.nauta.federation.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.nauta.api.it.Kubectl;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.ClusterResourceBinding;
import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.TargetCluster;
import io.nauta.federation.support.TestGateway;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detector and the scheduler in a running gateway, driven with kubectl as a Karmada user would:
 * a Deployment and a PropagationPolicy with static weights 1:2:0 become a ResourceBinding scheduled
 * 3/6/none, which follows a scale, moves every replica off a cluster tainted NoExecute with a
 * graceful eviction task, and goes with its template; a ConfigMap goes to every cluster without
 * replicas. The Cluster objects have no members behind them: scheduling reads only them.
 */
class PropagationSchedulingIT {

  private static TestGateway gateway;
  private static Kubectl kubectl;
  private static KubeClient client;

  private static final String CLUSTERS =
      """
      apiVersion: cluster.karmada.io/v1alpha1
      kind: Cluster
      metadata: {name: usa-3, labels: {region: us}}
      spec: {apiEndpoint: "https://127.0.0.1:1", syncMode: Push, region: us}
      ---
      apiVersion: cluster.karmada.io/v1alpha1
      kind: Cluster
      metadata: {name: asia-2, labels: {region: asia}}
      spec: {apiEndpoint: "https://127.0.0.1:2", syncMode: Push, region: asia}
      ---
      apiVersion: cluster.karmada.io/v1alpha1
      kind: Cluster
      metadata: {name: europe-1, labels: {region: eu}}
      spec: {apiEndpoint: "https://127.0.0.1:3", syncMode: Push, region: eu}
      """;

  private static final String POLICY =
      """
      apiVersion: policy.karmada.io/v1alpha1
      kind: PropagationPolicy
      metadata: {name: web, namespace: default}
      spec:
        resourceSelectors:
          - {apiVersion: apps/v1, kind: Deployment, name: web}
          - {apiVersion: v1, kind: ConfigMap, labelSelector: {matchLabels: {app: web}}}
        placement:
          clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
          replicaScheduling:
            replicaSchedulingType: Divided
            replicaDivisionPreference: Weighted
            weightPreference:
              staticWeightList:
                - targetCluster: {clusterNames: [usa-3]}
                  weight: 1
                - targetCluster: {clusterNames: [asia-2]}
                  weight: 2
      """;

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        replicas: 9
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: busybox
                resources: {requests: {cpu: 100m, memory: 64Mi}}
      """;

  @BeforeAll
  static void start() {
    // No members behind the Cluster objects: health probing would taint them not-ready after
    // three failed probes, which is the cluster status controller's test, not this one.
    // Nor is there anything to propagate to: the propagation controllers would hold each binding's
    // deletion for members that never answer.
    gateway =
        TestGateway.start(
            "nauta.federation.cluster.failure-threshold=1000000",
            "nauta.federation.controllers=*,-propagation,-status,-dependencies");
    kubectl = new Kubectl(gateway.kubeconfig());
    client = gateway.kubeClient();
    assertApplied(kubectl.runWithInput(CLUSTERS, "apply", "-f", "-"));
    assertApplied(kubectl.runWithInput(POLICY, "apply", "-f", "-"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static void assertApplied(Kubectl.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }

  private static ResourceBinding binding(String name) {
    try {
      return client
          .resource(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class)
          .get("default", name)
          .block(Duration.ofSeconds(10));
    } catch (NotFoundException e) {
      return null;
    }
  }

  private static Map<String, Integer> clusters(ResourceBinding binding) {
    Map<String, Integer> result = new TreeMap<>();
    if (binding != null && binding.spec().clusters() != null) {
      for (TargetCluster c : binding.spec().clusters()) {
        result.put(c.name(), c.replicas());
      }
    }
    return result;
  }

  private static Condition scheduled(ResourceBinding binding) {
    if (binding.status() == null || binding.status().conditions() == null) {
      return null;
    }
    return binding.status().conditions().stream()
        .filter(c -> Karmada.CONDITION_SCHEDULED.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  @Test
  void aDeploymentAndAPolicyBecomeAScheduledBindingThatFollowsScaleTaintsAndDeletion() {
    assertApplied(kubectl.runWithInput(DEPLOYMENT, "apply", "-f", "-"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(clusters(binding("web-deployment")))
                    .isEqualTo(Map.of("usa-3", 3, "asia-2", 6)));
    ResourceBinding rb = binding("web-deployment");
    Deployment template =
        client
            .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
            .get("default", "web")
            .block(Duration.ofSeconds(10));
    assertThat(rb.spec().resource().kind()).isEqualTo("Deployment");
    assertThat(rb.spec().resource().uid()).isEqualTo(template.getMetadata().getUid());
    assertThat(rb.spec().replicas()).isEqualTo(9);
    assertThat(rb.spec().replicaRequirements().resourceRequest()).containsOnlyKeys("cpu", "memory");
    assertThat(rb.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(template.getMetadata().getUid()));
    assertThat(template.getMetadata().getAnnotations())
        .containsEntry(Karmada.PROPAGATION_POLICY_NAME_ANNOTATION, "web")
        .containsEntry(Karmada.PROPAGATION_POLICY_NAMESPACE_ANNOTATION, "default");
    assertThat(template.getMetadata().getLabels())
        .containsKey(Karmada.PROPAGATION_POLICY_PERMANENT_ID_LABEL);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ResourceBinding b = binding("web-deployment");
              assertThat(scheduled(b)).isNotNull();
              assertThat(scheduled(b).getStatus()).isEqualTo("True");
              assertThat(scheduled(b).getReason()).isEqualTo("Success");
              assertThat(b.status().schedulerObservedGeneration())
                  .isEqualTo(b.getMetadata().getGeneration());
              assertThat(b.status().lastScheduledTime()).isNotNull();
            });
    Kubectl.Result shown =
        kubectl.run(
            "get",
            "rb",
            "web-deployment",
            "-n",
            "default",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Scheduled\")].reason}");
    assertThat(shown.stdout()).isEqualTo("Success");

    // A scale moves replicas by the weights.
    assertApplied(kubectl.run("scale", "deployment", "web", "-n", "default", "--replicas=12"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(clusters(binding("web-deployment")))
                    .isEqualTo(Map.of("usa-3", 4, "asia-2", 8)));

    // A NoExecute taint the policy does not tolerate: every replica to the rest, gracefully.
    assertApplied(
        kubectl.run(
            "patch",
            "cluster",
            "asia-2",
            "--type=merge",
            "-p",
            "{\"spec\":{\"taints\":[{\"key\":\"maintenance\",\"effect\":\"NoExecute\"}]}}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ResourceBinding b = binding("web-deployment");
              assertThat(clusters(b)).isEqualTo(Map.of("usa-3", 12));
              assertThat(b.spec().gracefulEvictionTasks())
                  .singleElement()
                  .satisfies(
                      (GracefulEvictionTask t) -> {
                        assertThat(t.fromCluster()).isEqualTo("asia-2");
                        assertThat(t.replicas()).isEqualTo(8);
                        assertThat(t.reason()).isEqualTo("TaintUntolerated");
                        assertThat(t.producer()).isEqualTo("TaintManager");
                        assertThat(t.creationTimestamp()).isNotNull();
                      });
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resource(BuiltInResources.EVENTS, Event.class)
                            .list("default", ListOptions.none())
                            .block(Duration.ofSeconds(10))
                            .items())
                    .filteredOn(e -> "web-deployment".equals(e.getInvolvedObject().getName()))
                    .extracting(Event::getReason)
                    .contains("ScheduleBindingSucceed", "EvictWorkloadFromClusterSucceed"));

    // The cluster coming back takes nothing back.
    assertApplied(
        kubectl.run(
            "patch", "cluster", "asia-2", "--type=merge", "-p", "{\"spec\":{\"taints\":null}}"));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(clusters(binding("web-deployment"))).isEqualTo(Map.of("usa-3", 12)));

    // The template goes, its binding with it.
    assertApplied(kubectl.run("delete", "deployment", "web", "-n", "default"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(binding("web-deployment")).isNull());
  }

  @Test
  void aConfigMapGoesToEveryClusterWithoutReplicasAndItsClaimSticksUnlessPreempted() {
    assertApplied(
        kubectl.runWithInput(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: default, labels: {app: web}}
            data: {greeting: hello}
            """,
            "apply",
            "-f",
            "-"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ResourceBinding b = binding("settings-configmap");
              assertThat(b).isNotNull();
              assertThat(b.spec().replicas()).isNull();
              assertThat(b.spec().clusters())
                  .extracting(TargetCluster::name)
                  .containsExactlyInAnyOrder("asia-2", "europe-1", "usa-3");
              assertThat(b.spec().clusters()).allSatisfy(c -> assertThat(c.replicas()).isNull());
            });

    // A claim sticks: a policy of higher priority takes the ConfigMap only with preemption Always.
    String takeover =
        """
        apiVersion: policy.karmada.io/v1alpha1
        kind: PropagationPolicy
        metadata: {name: settings-only, namespace: default}
        spec:
          priority: 10
          preemption: Never
          resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: settings}]
          placement: {clusterAffinity: {clusterNames: [europe-1]}}
        """;
    assertApplied(kubectl.runWithInput(takeover, "apply", "-f", "-"));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(configMapPolicy()).isEqualTo("web");
              assertThat(binding("settings-configmap").spec().clusters()).hasSize(3);
            });
    // (kubectl patch: kubectl apply of an existing custom resource is refused today, 415.)
    assertApplied(
        kubectl.run(
            "patch",
            "pp",
            "settings-only",
            "-n",
            "default",
            "--type=merge",
            "-p",
            "{\"spec\":{\"preemption\":\"Always\"}}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(configMapPolicy()).isEqualTo("settings-only");
              assertThat(binding("settings-configmap").spec().clusters())
                  .extracting(TargetCluster::name)
                  .containsExactly("europe-1");
            });
  }

  @Test
  void customResourcesAndClusterScopedTemplatesAreBoundToo() {
    assertApplied(
        kubectl.runWithInput(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            ---
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: widgets, namespace: default}
            spec:
              resourceSelectors: [{apiVersion: example.com/v1, kind: Widget}]
              placement: {clusterAffinity: {labelSelector: {matchLabels: {region: eu}}}}
            ---
            apiVersion: policy.karmada.io/v1alpha1
            kind: ClusterPropagationPolicy
            metadata: {name: shop-namespace}
            spec:
              resourceSelectors: [{apiVersion: v1, kind: Namespace, name: shop}]
              placement: {clusterAffinity: {clusterNames: [usa-3, europe-1]}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            """,
            "apply",
            "-f",
            "-"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertApplied(
                    kubectl.runWithInput(
                        """
                        apiVersion: example.com/v1
                        kind: Widget
                        metadata: {name: gizmo, namespace: default}
                        spec: {size: 3}
                        """,
                        "apply",
                        "-f",
                        "-")));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(clusters(binding("gizmo-widget")))
                    .isEqualTo(java.util.Collections.singletonMap("europe-1", null)));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ClusterResourceBinding crb;
              try {
                crb =
                    client
                        .resource(
                            KarmadaResources.CLUSTER_RESOURCE_BINDINGS,
                            ClusterResourceBinding.class)
                        .get(null, "shop-namespace")
                        .block(Duration.ofSeconds(10));
              } catch (NotFoundException e) {
                crb = null;
              }
              assertThat(crb).isNotNull();
              assertThat(crb.spec().clusters())
                  .extracting(TargetCluster::name)
                  .containsExactly("europe-1", "usa-3");
              assertThat(crb.getMetadata().getAnnotations())
                  .containsEntry(Karmada.CLUSTER_PROPAGATION_POLICY_ANNOTATION, "shop-namespace");
            });
  }

  @Test
  void dynamicWeightsFollowTheClustersReportedRoom() {
    Map<String, Integer> pods = Map.of("usa-3", 10, "asia-2", 20, "europe-1", 30);
    pods.forEach(
        (name, n) ->
            assertApplied(
                kubectl.run(
                    "patch",
                    "cluster",
                    name,
                    "--subresource=status",
                    "--type=merge",
                    "-p",
                    "{\"status\":{\"resourceSummary\":{\"allocatable\":{\"pods\":\""
                        + n
                        + "\"}}}}")));
    assertApplied(
        kubectl.runWithInput(
            """
            apiVersion: policy.karmada.io/v1alpha1
            kind: PropagationPolicy
            metadata: {name: dyn, namespace: default}
            spec:
              resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: dyn}]
              placement:
                clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
                replicaScheduling:
                  replicaSchedulingType: Divided
                  replicaDivisionPreference: Weighted
                  weightPreference: {dynamicWeight: AvailableReplicas}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: dyn, namespace: default}
            spec:
              replicas: 6
              selector: {matchLabels: {app: dyn}}
              template:
                metadata: {labels: {app: dyn}}
                spec: {containers: [{name: c, image: busybox}]}
            """,
            "apply",
            "-f",
            "-"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(clusters(binding("dyn-deployment")))
                    .isEqualTo(Map.of("usa-3", 1, "asia-2", 2, "europe-1", 3)));
  }

  private static String configMapPolicy() {
    return client
        .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
        .get("default", "settings")
        .block(Duration.ofSeconds(10))
        .getMetadata()
        .getAnnotations()
        .get(Karmada.PROPAGATION_POLICY_NAME_ANNOTATION);
  }
}
