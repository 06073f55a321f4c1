package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UpdateValidationTest {

  private static final String POD_SPEC_FORBIDDEN =
      "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
          + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations`"
          + " (only additions to existing tolerations),`spec.terminationGracePeriodSeconds`"
          + " (allow it to be set to 1 if it was previously negative)";

  private static Arguments update(
      String description, HasMetadata old, HasMetadata now, String... expected) {
    return Arguments.of(description, old, now, List.of(expected));
  }

  private static Pod boundPod() {
    return new PodBuilder(Fixtures.pod())
        .editSpec()
        .withNodeName("node-1")
        .withActiveDeadlineSeconds(600L)
        .addNewToleration()
        .withKey("dedicated")
        .withOperator("Equal")
        .withValue("web")
        .withEffect("NoSchedule")
        .endToleration()
        .endSpec()
        .build();
  }

  private static ConfigMap immutableConfigMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("settings")
        .withNamespace("default")
        .withUid("u-cm")
        .endMetadata()
        .withImmutable(true)
        .addToData("mode", "fast")
        .build();
  }

  private static Secret tlsSecret() {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("cert")
        .withNamespace("default")
        .withUid("u-secret")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", "Y2VydA==")
        .addToData("tls.key", "a2V5")
        .build();
  }

  private static Namespace namespace(String name) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withUid("u-ns")
        .endMetadata()
        .build();
  }

  static Stream<Arguments> cases() {
    Pod pod = boundPod();
    return Stream.of(
        update("a pod left as it is", pod, pod),
        update(
            "a pod with a new image",
            pod,
            new PodBuilder(pod)
                .editSpec()
                .editFirstContainer()
                .withImage("nginx:1.28")
                .endContainer()
                .endSpec()
                .build()),
        update(
            "a pod bound to a node for the first time",
            Fixtures.pod(),
            new PodBuilder(Fixtures.pod()).editSpec().withNodeName("node-1").endSpec().build()),
        update(
            "a pod moved to another node",
            pod,
            new PodBuilder(pod).editSpec().withNodeName("node-2").endSpec().build(),
            "spec.nodeName: Invalid value: \"node-2\": field is immutable"),
        update(
            "a pod with a changed container port",
            pod,
            new PodBuilder(pod)
                .editSpec()
                .editFirstContainer()
                .editFirstPort()
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .build(),
            POD_SPEC_FORBIDDEN),
        update(
            "a pod with an extra container",
            pod,
            new PodBuilder(pod)
                .editSpec()
                .addNewContainer()
                .withName("log")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build(),
            "spec.containers: Forbidden: pod updates may not add or remove containers"),
        update(
            "a pod with a shorter deadline",
            pod,
            new PodBuilder(pod).editSpec().withActiveDeadlineSeconds(300L).endSpec().build()),
        update(
            "a pod with a longer deadline",
            pod,
            new PodBuilder(pod).editSpec().withActiveDeadlineSeconds(900L).endSpec().build(),
            "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to"
                + " previous value"),
        update(
            "a pod with an added toleration",
            pod,
            new PodBuilder(pod)
                .editSpec()
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .endSpec()
                .build()),
        update(
            "a pod with a removed toleration",
            pod,
            new PodBuilder(pod).editSpec().withTolerations().endSpec().build(),
            "spec.tolerations: Forbidden: existing toleration can not be modified except its"
                + " tolerationSeconds"),
        update(
            "a pod whose negative grace period is fixed to 1",
            new PodBuilder(pod).editSpec().withTerminationGracePeriodSeconds(-1L).endSpec().build(),
            new PodBuilder(pod).editSpec().withTerminationGracePeriodSeconds(1L).endSpec().build()),
        update(
            "a pod renamed and given a new uid",
            pod,
            new PodBuilder(pod)
                .editMetadata()
                .withName("web-2")
                .withUid("other")
                .endMetadata()
                .build(),
            "metadata.name: Invalid value: \"web-2\": field is immutable",
            "metadata.uid: Invalid value: \"other\": field is immutable"),
        update(
            "a pod being deleted that gains a finalizer",
            new PodBuilder(pod)
                .editMetadata()
                .withDeletionTimestamp("2025-01-02T00:00:00Z")
                .endMetadata()
                .build(),
            new PodBuilder(pod)
                .editMetadata()
                .withDeletionTimestamp("2025-01-02T00:00:00Z")
                .addToFinalizers("example.com/hold")
                .endMetadata()
                .build(),
            "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being"
                + " deleted, found new finalizers []string{\"example.com/hold\"}"),
        update(
            "a deployment scaled up",
            Fixtures.deployment(),
            new DeploymentBuilder(Fixtures.deployment())
                .editSpec()
                .withReplicas(5)
                .endSpec()
                .build()),
        update(
            "a deployment with a rewritten selector",
            Fixtures.deployment(),
            new DeploymentBuilder(Fixtures.deployment())
                .editSpec()
                .withNewSelector()
                .addToMatchExpressions(
                    new LabelSelectorRequirementBuilder()
                        .withKey("app")
                        .withOperator("Exists")
                        .build())
                .endSelector()
                .endSpec()
                .build(),
            "spec.selector: Invalid value: \"app\": field is immutable"),
        update(
            "a replica set with a new selector label",
            Fixtures.replicaSet(),
            new ReplicaSetBuilder(Fixtures.replicaSet())
                .editSpec()
                .editSelector()
                .addToMatchLabels("pod-template-hash", "5d8f")
                .endSelector()
                .editTemplate()
                .editMetadata()
                .addToLabels("pod-template-hash", "5d8f")
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build(),
            "spec.selector: Invalid value: \"app=web,pod-template-hash=5d8f\": field is"
                + " immutable"),
        update(
            "a service given its first cluster IP",
            Fixtures.service(),
            new ServiceBuilder(Fixtures.service())
                .editSpec()
                .withClusterIP("10.96.0.10")
                .endSpec()
                .build()),
        update(
            "a service with a changed cluster IP",
            new ServiceBuilder(Fixtures.service())
                .editSpec()
                .withClusterIP("10.96.0.10")
                .endSpec()
                .build(),
            new ServiceBuilder(Fixtures.service())
                .editSpec()
                .withClusterIP("10.96.0.11")
                .endSpec()
                .build(),
            "spec.clusterIP: Invalid value: \"10.96.0.11\": field is immutable"),
        update(
            "an immutable config map with new data",
            immutableConfigMap(),
            new ConfigMapBuilder(immutableConfigMap()).addToData("mode", "slow").build(),
            "data: Forbidden: field is immutable when `immutable` is set"),
        update(
            "an immutable config map made mutable again",
            immutableConfigMap(),
            new ConfigMapBuilder(immutableConfigMap()).withImmutable(false).build(),
            "immutable: Forbidden: field is immutable when `immutable` is set"),
        update(
            "a mutable config map with new data",
            new ConfigMapBuilder(immutableConfigMap()).withImmutable(null).build(),
            new ConfigMapBuilder(immutableConfigMap())
                .withImmutable(null)
                .addToData("mode", "slow")
                .build()),
        update(
            "a secret whose type changes",
            tlsSecret(),
            new SecretBuilder(tlsSecret()).withType("Opaque").build(),
            "type: Invalid value: \"Opaque\": field is immutable"),
        update(
            "a renamed namespace",
            namespace("team-a"),
            namespace("team-b"),
            "metadata.name: Invalid value: \"team-b\": field is immutable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesKubernetesUpdateRules(
      String description, HasMetadata old, HasMetadata now, List<String> expected) {
    Validator<HasMetadata> validator = Validators.forKind(now.getKind());
    assertThat(messages(validator.validateUpdate(now, old))).containsExactlyElementsOf(expected);
  }
}
