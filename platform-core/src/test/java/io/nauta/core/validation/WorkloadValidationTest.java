package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadValidationTest {

  private final DeploymentValidation deployments = new DeploymentValidation();
  private final ReplicaSetValidation replicaSets = new ReplicaSetValidation();

  private static Arguments rejects(
      String description, UnaryOperator<DeploymentBuilder> change, String... expected) {
    return Arguments.of(description, change, List.of(expected));
  }

  private static Arguments accepts(String description, UnaryOperator<DeploymentBuilder> change) {
    return Arguments.of(description, change, List.of());
  }

  static Stream<Arguments> deploymentCases() {
    return Stream.of(
        accepts("the fixture as it is", b -> b),
        accepts(
            "a selector by expression that matches",
            b ->
                b.editSpec()
                    .editSelector()
                    .withMatchLabels(null)
                    .addToMatchExpressions(
                        new LabelSelectorRequirementBuilder()
                            .withKey("app")
                            .withOperator("In")
                            .withValues("web", "api")
                            .build())
                    .endSelector()
                    .endSpec()),
        rejects(
            "no selector",
            b -> b.editSpec().withSelector(null).endSpec(),
            "spec.selector: Required value"),
        rejects(
            "an empty selector",
            b -> b.editSpec().withNewSelector().endSelector().endSpec(),
            "spec.selector: Invalid value: \"\": empty selector is invalid for deployment"),
        rejects(
            "a selector the template does not match",
            b ->
                b.editSpec()
                    .editSelector()
                    .addToMatchLabels("tier", "front")
                    .endSelector()
                    .endSpec(),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match"
                + " template `labels`"),
        rejects(
            "an In expression without values",
            b ->
                b.editSpec()
                    .editSelector()
                    .addToMatchExpressions(
                        new LabelSelectorRequirementBuilder()
                            .withKey("app")
                            .withOperator("In")
                            .build())
                    .endSelector()
                    .endSpec(),
            "spec.selector.matchExpressions[0].values: Required value: must be specified when"
                + " `operator` is 'In' or 'NotIn'"),
        rejects(
            "negative replicas",
            b -> b.editSpec().withReplicas(-1).endSpec(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        rejects(
            "an empty image in the template",
            b ->
                b.editSpec()
                    .editTemplate()
                    .editSpec()
                    .editFirstContainer()
                    .withImage("")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec(),
            "spec.template.spec.containers[0].image: Required value"),
        rejects(
            "a template that never restarts",
            b ->
                b.editSpec()
                    .editTemplate()
                    .editSpec()
                    .withRestartPolicy("Never")
                    .endSpec()
                    .endTemplate()
                    .endSpec(),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values:"
                + " \"Always\""),
        rejects(
            "an unknown strategy",
            b -> b.editSpec().withNewStrategy().withType("BlueGreen").endStrategy().endSpec(),
            "spec.strategy.type: Unsupported value: \"BlueGreen\": supported values:"
                + " \"Recreate\", \"RollingUpdate\""),
        rejects(
            "no surge and no unavailability",
            b ->
                b.editSpec()
                    .withNewStrategy()
                    .withType("RollingUpdate")
                    .withNewRollingUpdate()
                    .withMaxSurge(new IntOrString(0))
                    .withMaxUnavailable(new IntOrString("0%"))
                    .endRollingUpdate()
                    .endStrategy()
                    .endSpec(),
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when"
                + " `maxSurge` is 0"),
        rejects(
            "a surge that is not a percent",
            b ->
                b.editSpec()
                    .withNewStrategy()
                    .withType("RollingUpdate")
                    .withNewRollingUpdate()
                    .withMaxSurge(new IntOrString("half"))
                    .endRollingUpdate()
                    .endStrategy()
                    .endSpec(),
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"half\": a valid percent string"
                + " must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%',"
                + " regex used for validation is '[0-9]+%')"),
        rejects(
            "more than 100% unavailable",
            b ->
                b.editSpec()
                    .withNewStrategy()
                    .withType("RollingUpdate")
                    .withNewRollingUpdate()
                    .withMaxUnavailable(new IntOrString("150%"))
                    .endRollingUpdate()
                    .endStrategy()
                    .endSpec(),
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be"
                + " greater than 100%"),
        rejects(
            "rolling update parameters on Recreate",
            b ->
                b.editSpec()
                    .withNewStrategy()
                    .withType("Recreate")
                    .withNewRollingUpdate()
                    .endRollingUpdate()
                    .endStrategy()
                    .endSpec(),
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is"
                + " 'Recreate'"),
        rejects(
            "a negative minReadySeconds",
            b -> b.editSpec().withMinReadySeconds(-1).endSpec(),
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"),
        rejects(
            "a negative revision history limit",
            b -> b.editSpec().withRevisionHistoryLimit(-1).endSpec(),
            "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
        rejects(
            "a progress deadline not above minReadySeconds",
            b -> b.editSpec().withMinReadySeconds(30).withProgressDeadlineSeconds(30).endSpec(),
            "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than"
                + " minReadySeconds"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deploymentCases")
  void validatesDeploymentsLikeKubernetes(
      String description, UnaryOperator<DeploymentBuilder> change, List<String> expected) {
    Deployment d = change.apply(new DeploymentBuilder(Fixtures.deployment())).build();
    assertThat(messages(deployments.validate(d))).containsExactlyElementsOf(expected);
  }

  @Test
  void acceptsAValidReplicaSet() {
    assertThat(replicaSets.validate(Fixtures.replicaSet())).isEmpty();
  }

  @Test
  void rejectsAReplicaSetWhoseSelectorMissesItsTemplate() {
    ReplicaSet rs =
        new ReplicaSetBuilder(Fixtures.replicaSet())
            .editSpec()
            .editSelector()
            .withMatchLabels(Map.of("app", "api"))
            .endSelector()
            .withReplicas(-2)
            .endSpec()
            .build();

    assertThat(messages(replicaSets.validate(rs)))
        .containsExactly(
            "spec.replicas: Invalid value: -2: must be greater than or equal to 0",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match"
                + " template `labels`");
  }
}
