package io.nauta.federation.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.informer.InformerEvent;
import io.nauta.federation.api.ClusterPropagationPolicy;
import io.nauta.federation.api.PropagationPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

class DetectorLogicTest {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static GenericKubernetesResource template(String yaml) {
    return YAML.readValue(yaml, GenericKubernetesResource.class);
  }

  private static PropagationPolicy policy(String yaml) {
    return YAML.readValue(yaml, PropagationPolicy.class);
  }

  private static final GenericKubernetesResource WEB =
      template(
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
          spec: {replicas: 4}
          """);

  private static String best(PropagationPolicy... policies) {
    Optional<PropagationPolicy> best =
        PolicyMatcher.best(
            WEB, List.of(policies), p -> p.spec().resourceSelectors(), p -> p.spec().priority());
    return best.map(p -> p.getMetadata().getName()).orElse("none");
  }

  private static PropagationPolicy byName(String name, Integer priority) {
    return policy(
        """
        metadata: {name: %s, namespace: shop}
        spec:
          priority: %s
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
        """
            .formatted(name, priority == null ? "null" : priority));
  }

  private static PropagationPolicy byLabel(String name, Integer priority) {
    return policy(
        """
        metadata: {name: %s, namespace: shop}
        spec:
          priority: %s
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: web}}}]
        """
            .formatted(name, priority == null ? "null" : priority));
  }

  private static PropagationPolicy all(String name) {
    return policy(
        """
        metadata: {name: %s, namespace: shop}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
        """
            .formatted(name));
  }

  @Test
  void theHighestExplicitPriorityWinsThenNameOverLabelsOverAllThenAlphabetical() {
    assertThat(best(byLabel("b-label", 5), byName("a-name", 1))).isEqualTo("b-label");
    assertThat(best(byLabel("a-label", null), byName("b-name", null))).isEqualTo("b-name");
    assertThat(best(all("a-all"), byLabel("b-label", null))).isEqualTo("b-label");
    assertThat(best(byName("zeta", null), byName("alpha", null))).isEqualTo("alpha");
    assertThat(best(byName("alpha", null), byName("zeta", null))).isEqualTo("alpha");
    assertThat(best()).isEqualTo("none");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{apiVersion: apps/v1, kind: Deployment}                                    | 1",
        "{apiVersion: apps/v1, kind: Deployment, namespace: shop}                   | 1",
        "{apiVersion: apps/v1, kind: Deployment, namespace: other}                  | 0",
        "{apiVersion: apps/v1, kind: ReplicaSet}                                    | 0",
        "{apiVersion: apps/v1beta1, kind: Deployment}                               | 0",
        "{apiVersion: apps/v1, kind: Deployment, name: web}                         | 3",
        "{apiVersion: apps/v1, kind: Deployment, name: api}                         | 0",
        "{apiVersion: apps/v1, kind: Deployment, name: web, labelSelector: {matchLabels: {app: other}}} | 3",
        "{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {tier: front}}}          | 2",
        "{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {tier: back}}}           | 0",
      })
  void selectorsMatchAsKarmadaResourceSelectorPriority(String selector, int priority) {
    ClusterPropagationPolicy cpp =
        YAML.readValue(
            "{metadata: {name: p}, spec: {resourceSelectors: [" + selector + "]}}",
            ClusterPropagationPolicy.class);
    assertThat(PolicyMatcher.priority(WEB, cpp.spec().resourceSelectors())).isEqualTo(priority);
  }

  @Test
  void aTemplatesStatusWriteLeavesItsBindingAsItIsButASpecChangeMovesItsVersion() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, uid: u1, resourceVersion: "%s"}
        spec: {replicas: %d}
        status: {replicas: %d}
        """;
    io.nauta.federation.api.PropagationSpec spec =
        policy(
                """
                metadata: {name: p, namespace: shop}
                spec:
                  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
                """)
            .spec();
    io.nauta.federation.api.ResourceBindingSpec first =
        BindingTemplate.spec(template(deployment.formatted("10", 4, 0)), spec, null);
    assertThat(first.resource().resourceVersion()).isEqualTo("10");
    // only the status (and so the resourceVersion) moved: the very same spec, nothing to write
    assertThat(BindingTemplate.spec(template(deployment.formatted("11", 4, 4)), spec, first))
        .isSameAs(first);
    io.nauta.federation.api.ResourceBindingSpec scaled =
        BindingTemplate.spec(template(deployment.formatted("12", 6, 4)), spec, first);
    assertThat(scaled.replicas()).isEqualTo(6);
    assertThat(scaled.resource().resourceVersion()).isEqualTo("12");
  }

  @Test
  void deploymentsHaveTheirReplicasAndPodRequests() {
    GenericKubernetesResource deployment =
        template(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              template:
                spec:
                  priorityClassName: high
                  initContainers:
                    - {name: init, resources: {requests: {cpu: "2", memory: 64Mi}}}
                  containers:
                    - {name: a, resources: {requests: {cpu: 500m, memory: 128Mi}}}
                    - {name: b, resources: {requests: {cpu: 250m, memory: 128Mi}}}
                    - {name: c}
            """);
    ReplicaInterpreter.Replicas replicas = ReplicaInterpreter.interpret(deployment);
    assertThat(replicas.replicas()).isEqualTo(1);
    assertThat(replicas.requirements().resourceRequest())
        .isEqualTo(Map.of("cpu", new Quantity("2"), "memory", new Quantity("268435456")));
    assertThat(replicas.requirements().priorityClassName()).isEqualTo("high");
    assertThat(replicas.requirements().namespace()).isEqualTo("shop");

    GenericKubernetesResource fractional =
        template(
            """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: rs, namespace: shop}
            spec:
              replicas: 3
              template: {spec: {containers: [{name: a, resources: {requests: {cpu: 1500m}}}]}}
            """);
    assertThat(ReplicaInterpreter.interpret(fractional).replicas()).isEqualTo(3);
    assertThat(ReplicaInterpreter.interpret(fractional).requirements().resourceRequest())
        .isEqualTo(Map.of("cpu", new Quantity("1500m")));
  }

  @Test
  void jobsRunTheirParallelismBoundedByTheCompletionsLeft() {
    String job =
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: j, namespace: shop}
        spec: {parallelism: 4, completions: %d, template: {spec: {containers: [{name: a}]}}}
        status: {succeeded: %d}
        """;
    assertThat(ReplicaInterpreter.interpret(template(job.formatted(10, 0))).replicas())
        .isEqualTo(4);
    assertThat(ReplicaInterpreter.interpret(template(job.formatted(10, 8))).replicas())
        .isEqualTo(2);
    assertThat(ReplicaInterpreter.interpret(template(job.formatted(10, 8))).requirements())
        .isNull();
  }

  @Test
  void aTemplatesStatusWakesTheDetectorOnlyWhereItMovesTheReplicas() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, resourceVersion: "%s"}
        spec: {replicas: %d}
        status: {readyReplicas: %d}
        """;
    String job =
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: j, namespace: shop, resourceVersion: "%s"}
        spec: {parallelism: 4, completions: 10, template: {spec: {containers: [{name: a}]}}}
        status: {succeeded: %d, active: %d}
        """;
    assertThat(updated(deployment.formatted("1", 3, 0), deployment.formatted("2", 3, 3))).isFalse();
    assertThat(updated(deployment.formatted("1", 3, 0), deployment.formatted("2", 4, 0))).isTrue();
    // 8 of 10 done: only 2 replicas are left to run, which the binding must say
    assertThat(updated(job.formatted("1", 0, 4), job.formatted("2", 8, 2))).isTrue();
    assertThat(updated(job.formatted("1", 0, 4), job.formatted("2", 0, 3))).isFalse();
    GenericKubernetesResource web = template(deployment.formatted("1", 3, 0));
    assertThat(
            DetectorController.templateChanged(
                new InformerEvent<>(InformerEvent.Type.DELETED, web, web)))
        .isTrue();
  }

  private static boolean updated(String before, String after) {
    return DetectorController.templateChanged(
        new InformerEvent<>(InformerEvent.Type.UPDATED, template(before), template(after)));
  }

  @Test
  void otherKindsHaveNoReplicas() {
    for (String kind : List.of("v1|ConfigMap", "v1|Service", "apps/v1|DaemonSet")) {
      String[] parts = kind.split("\\|");
      GenericKubernetesResource t =
          template(
              "{apiVersion: %s, kind: %s, metadata: {name: x, namespace: shop}, spec: {replicas: 3}}"
                  .formatted(parts[0], parts[1]));
      assertThat(ReplicaInterpreter.interpret(t))
          .isEqualTo(new ReplicaInterpreter.Replicas(0, null));
    }
  }

  @Test
  void bindingsAreNamedAfterTheTemplateAndItsKindInLowerCase() {
    assertThat(BindingTemplate.bindingName("Deployment", "Web")).isEqualTo("web-deployment");
    assertThat(BindingTemplate.bindingName("ClusterRole", "system:aggregate"))
        .isEqualTo("system.aggregate-clusterrole");
  }

  @Test
  void theControlPlanesOwnObjectsAreSkipped() {
    assertThat(
            DetectorController.skipped(
                template(
                    "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: kube-system}}")))
        .isTrue();
    assertThat(
            DetectorController.skipped(
                template("{apiVersion: v1, kind: Namespace, metadata: {name: karmada-system}}")))
        .isTrue();
    assertThat(
            DetectorController.skipped(
                template(
                    "{apiVersion: v1, kind: ConfigMap, metadata: {name: kube-root-ca.crt, namespace: shop}}")))
        .isTrue();
    assertThat(
            DetectorController.skipped(
                template(
                    "{apiVersion: v1, kind: Secret, type: kubernetes.io/service-account-token, metadata: {name: t, namespace: shop}}")))
        .isTrue();
    assertThat(
            DetectorController.skipped(
                template("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}")))
        .isFalse();
    assertThat(DetectorController.skipped(WEB)).isFalse();
  }
}
