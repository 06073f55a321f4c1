package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Upstream's {@code ValidatePodDisruptionBudget} messages. */
class PodDisruptionBudgetValidationTest {

  private static PodDisruptionBudget pdb(UnaryOperator<PodDisruptionBudgetBuilder> change) {
    return change
        .apply(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(2))
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .endSpec())
        .build();
  }

  private static List<String> errors(PodDisruptionBudget p) {
    return new PodDisruptionBudgetValidation()
        .validate(p).stream().map(FieldError::message).toList();
  }

  @Test
  void aValidBudgetPasses() {
    assertThat(errors(pdb(b -> b))).isEmpty();
    assertThat(
            errors(
                pdb(
                    b ->
                        b.editSpec()
                            .withMinAvailable(null)
                            .withMaxUnavailable(new IntOrString("25%"))
                            .endSpec())))
        .isEmpty();
  }

  @Test
  void minAvailableAndMaxUnavailableCannotBothBeSet() {
    assertThat(errors(pdb(b -> b.editSpec().withMaxUnavailable(new IntOrString(1)).endSpec())))
        .singleElement()
        .asString()
        .startsWith("spec: Invalid value: ")
        .endsWith("minAvailable and maxUnavailable cannot be both set");
  }

  @Test
  void amountsAreNonNegativeIntegersOrPercentsUpTo100() {
    assertThat(errors(pdb(b -> b.editSpec().withMinAvailable(new IntOrString(-1)).endSpec())))
        .containsExactly(
            "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0");
    assertThat(errors(pdb(b -> b.editSpec().withMinAvailable(new IntOrString("150%")).endSpec())))
        .containsExactly(
            "spec.minAvailable: Invalid value: \"150%\": must not be greater than 100%");
    assertThat(errors(pdb(b -> b.editSpec().withMinAvailable(new IntOrString("half")).endSpec())))
        .singleElement()
        .asString()
        .startsWith("spec.minAvailable: Invalid value: \"half\": a valid percent string must be");
  }

  @Test
  void selectorAndPolicy() {
    assertThat(
            errors(
                pdb(
                    b ->
                        b.editSpec()
                            .editSelector()
                            .addNewMatchExpression()
                            .withKey("app")
                            .withOperator("Near")
                            .endMatchExpression()
                            .endSelector()
                            .withUnhealthyPodEvictionPolicy("Sometimes")
                            .endSpec())))
        .containsExactly(
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid"
                + " selector operator",
            "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values:"
                + " \"AlwaysAllow\", \"IfHealthyBudget\"");
  }

  @Test
  void statusCountsAreNonNegative() {
    assertThat(errors(pdb(b -> b.withNewStatus().withDisruptionsAllowed(-1).endStatus())))
        .containsExactly(
            "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0");
  }
}
