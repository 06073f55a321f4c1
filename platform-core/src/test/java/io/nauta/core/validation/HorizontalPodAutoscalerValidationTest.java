package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Upstream's messages for the usual mistakes. */
class HorizontalPodAutoscalerValidationTest {

  private static HorizontalPodAutoscaler hpa(UnaryOperator<HorizontalPodAutoscalerBuilder> change) {
    return change
        .apply(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName("web")
                .endScaleTargetRef()
                .withMinReplicas(1)
                .withMaxReplicas(4)
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(50)
                .endTarget()
                .endResource()
                .endMetric()
                .endSpec())
        .build();
  }

  private static List<String> errors(HorizontalPodAutoscaler h) {
    return new HorizontalPodAutoscalerValidation()
        .validate(h).stream().map(FieldError::message).toList();
  }

  @Test
  void aValidAutoscalerPasses() {
    assertThat(new HorizontalPodAutoscalerValidation().validate(hpa(b -> b))).isEmpty();
  }

  @Test
  void replicaBounds() {
    assertThat(errors(hpa(b -> b.editSpec().withMinReplicas(0).endSpec())))
        .singleElement()
        .asString()
        .contains("spec.minReplicas")
        .contains("must be greater than or equal to 1");
    assertThat(errors(hpa(b -> b.editSpec().withMinReplicas(5).endSpec())))
        .singleElement()
        .asString()
        .contains("spec.maxReplicas")
        .contains("must be greater than or equal to `minReplicas`");
  }

  @Test
  void scaleTargetAndMetrics() {
    assertThat(errors(hpa(b -> b.editSpec().withScaleTargetRef(null).endSpec())))
        .anySatisfy(e -> assertThat(e).contains("spec.scaleTargetRef.kind"))
        .anySatisfy(e -> assertThat(e).contains("spec.scaleTargetRef.name"));
    assertThat(
            errors(
                hpa(
                    b ->
                        b.editSpec()
                            .editFirstMetric()
                            .editResource()
                            .editTarget()
                            .withAverageUtilization(0)
                            .endTarget()
                            .endResource()
                            .endMetric()
                            .endSpec())))
        .singleElement()
        .asString()
        .contains("spec.metrics[0].resource.target.averageUtilization")
        .contains("must be greater than 0");
  }

  @Test
  void behaviorPolicies() {
    assertThat(
            errors(
                hpa(
                    b ->
                        b.editSpec()
                            .withNewBehavior()
                            .withNewScaleDown()
                            .withStabilizationWindowSeconds(4000)
                            .addNewPolicy()
                            .withType("Percent")
                            .withValue(0)
                            .withPeriodSeconds(15)
                            .endPolicy()
                            .endScaleDown()
                            .endBehavior()
                            .endSpec())))
        .anySatisfy(e -> assertThat(e).contains("must be less than or equal to 3600"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("spec.behavior.scaleDown.policies[0].value")
                    .contains("must be greater than zero"));
  }
}
