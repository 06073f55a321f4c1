package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatefulSetValidationTest {

  private final StatefulSetValidation validation = new StatefulSetValidation();

  /** As the API server stores one after defaulting. */
  static StatefulSet statefulSet() {
    io.fabric8.kubernetes.api.model.PodTemplateSpec template = Fixtures.template();
    template.getSpec().setRestartPolicy("Always");
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withServiceName("web")
        .withPodManagementPolicy("OrderedReady")
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withPartition(0)
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted("Retain")
        .withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withTemplate(template)
        .addNewVolumeClaimTemplate()
        .withNewMetadata()
        .withName("data")
        .endMetadata()
        .endVolumeClaimTemplate()
        .endSpec()
        .build();
  }

  private static Arguments rejects(
      String description, UnaryOperator<StatefulSetBuilder> change, String... expected) {
    return Arguments.of(description, change, List.of(expected));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        rejects("the fixture as it is", b -> b),
        rejects(
            "a name that is no DNS label",
            b -> b.editMetadata().withName("web.db").endMetadata(),
            "metadata.name: Invalid value: \"web.db\": " + Fixtures.DNS_LABEL_MSG),
        rejects(
            "a selector the template does not match",
            b -> b.editSpec().editSelector().addToMatchLabels("tier", "db").endSelector().endSpec(),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}:"
                + " `selector` does not match template `labels`"),
        rejects(
            "an empty selector",
            b -> b.editSpec().withNewSelector().endSelector().endSpec(),
            "spec.selector: Invalid value: \"\": empty selector is invalid for statefulset"),
        rejects(
            "an unknown pod management policy",
            b -> b.editSpec().withPodManagementPolicy("Random").endSpec(),
            "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or"
                + " 'Parallel'"),
        rejects(
            "a negative partition and a zero maxUnavailable",
            b ->
                b.editSpec()
                    .editUpdateStrategy()
                    .editRollingUpdate()
                    .withPartition(-1)
                    .withMaxUnavailable(new IntOrString(0))
                    .endRollingUpdate()
                    .endUpdateStrategy()
                    .endSpec(),
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than"
                + " or equal to 0",
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"),
        rejects(
            "rollingUpdate with OnDelete",
            b ->
                b.editSpec()
                    .editUpdateStrategy()
                    .withType("OnDelete")
                    .endUpdateStrategy()
                    .endSpec(),
            "spec.updateStrategy.rollingUpdate: Invalid value:"
                + " &apps.RollingUpdateStatefulSetStrategy{Partition:0,"
                + " MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy"
                + " 'RollingUpdate'"),
        rejects(
            "an unknown retention policy",
            b ->
                b.editSpec()
                    .editPersistentVolumeClaimRetentionPolicy()
                    .withWhenScaled("Keep")
                    .endPersistentVolumeClaimRetentionPolicy()
                    .endSpec(),
            "spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: \"Keep\":"
                + " supported values: \"Retain\", \"Delete\""),
        rejects(
            "a negative start ordinal",
            b -> b.editSpec().withNewOrdinals(-1).endSpec(),
            "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"),
        rejects(
            "a pod that may stop for good",
            b ->
                b.editSpec()
                    .editTemplate()
                    .editSpec()
                    .withRestartPolicy("Never")
                    .endSpec()
                    .endTemplate()
                    .endSpec(),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values:"
                + " \"Always\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesAsUpstream(
      String description, UnaryOperator<StatefulSetBuilder> change, List<String> expected) {
    StatefulSet sts = change.apply(new StatefulSetBuilder(statefulSet())).build();
    assertThat(messages(validation.validate(sts))).containsExactlyElementsOf(expected);
  }

  @Test
  void anUpdateMayChangeReplicasTemplateStrategyAndRetentionOnly() {
    StatefulSet old = statefulSet();
    old.getMetadata().setResourceVersion("1");
    StatefulSet allowed =
        new StatefulSetBuilder(old)
            .editSpec()
            .withReplicas(5)
            .withMinReadySeconds(3)
            .withNewOrdinals(2)
            .editUpdateStrategy()
            .editRollingUpdate()
            .withPartition(2)
            .endRollingUpdate()
            .endUpdateStrategy()
            .editPersistentVolumeClaimRetentionPolicy()
            .withWhenScaled("Delete")
            .endPersistentVolumeClaimRetentionPolicy()
            .editTemplate()
            .editSpec()
            .editFirstContainer()
            .withImage("nginx:2")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    assertThat(messages(validation.validateUpdate(allowed, old))).isEmpty();

    StatefulSet forbidden =
        new StatefulSetBuilder(old)
            .editSpec()
            .withServiceName("other")
            .withPodManagementPolicy("Parallel")
            .endSpec()
            .build();
    assertThat(messages(validation.validateUpdate(forbidden, old)))
        .containsExactly(
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas',"
                + " 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy'"
                + " and 'minReadySeconds' are forbidden");
  }
}
