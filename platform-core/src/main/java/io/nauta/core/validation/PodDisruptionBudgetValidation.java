package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * PodDisruptionBudgets (policy/v1), as upstream's {@code ValidatePodDisruptionBudget} and {@code
 * ValidatePodDisruptionBudgetStatusUpdate}: at most one of {@code minAvailable} and {@code
 * maxUnavailable}, each a non-negative integer or a percent of at most 100%, a valid selector, a
 * known {@code unhealthyPodEvictionPolicy}, and non-negative status counts.
 */
public final class PodDisruptionBudgetValidation implements Validator<PodDisruptionBudget> {

  static final List<String> UNHEALTHY_POD_EVICTION_POLICIES =
      List.of("AlwaysAllow", "IfHealthyBudget");

  @Override
  public List<FieldError> validate(PodDisruptionBudget pdb) {
    PodDisruptionBudgetSpec spec =
        pdb.getSpec() == null ? new PodDisruptionBudgetSpec() : pdb.getSpec();
    List<FieldError> errs = new ArrayList<>();
    if (spec.getMinAvailable() != null && spec.getMaxUnavailable() != null) {
      errs.add(
          FieldError.invalid(
              "spec", specValue(spec), "minAvailable and maxUnavailable cannot be both set"));
    }
    errs.addAll(amount(spec.getMinAvailable(), "spec.minAvailable"));
    errs.addAll(amount(spec.getMaxUnavailable(), "spec.maxUnavailable"));
    errs.addAll(LabelSelectorValidation.validate(spec.getSelector(), "spec.selector"));
    String policy = spec.getUnhealthyPodEvictionPolicy();
    if (policy != null && !UNHEALTHY_POD_EVICTION_POLICIES.contains(policy)) {
      errs.add(
          FieldError.notSupported(
              "spec.unhealthyPodEvictionPolicy",
              policy,
              "supported values: \"AlwaysAllow\", \"IfHealthyBudget\""));
    }
    errs.addAll(MetadataValidation.validate(pdb.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    PodDisruptionBudgetStatus status = pdb.getStatus();
    if (status != null) {
      errs.addAll(
          MetadataValidation.nonNegative(
              "status.disruptionsAllowed", status.getDisruptionsAllowed()));
      errs.addAll(
          MetadataValidation.nonNegative("status.currentHealthy", status.getCurrentHealthy()));
      errs.addAll(
          MetadataValidation.nonNegative("status.desiredHealthy", status.getDesiredHealthy()));
      errs.addAll(MetadataValidation.nonNegative("status.expectedPods", status.getExpectedPods()));
    }
    return errs;
  }

  /** {@code ValidatePositiveIntOrPercent} and {@code IsNotMoreThan100Percent}. */
  private static List<FieldError> amount(IntOrString v, String field) {
    if (v == null) {
      return List.of();
    }
    List<FieldError> errs = new ArrayList<>(DeploymentValidation.intOrPercent(v, field));
    if (DeploymentValidation.isPercent(v) && DeploymentValidation.value(v) > 100) {
      errs.add(
          FieldError.invalid(
              field, DeploymentValidation.shown(v), "must not be greater than 100%"));
    }
    return errs;
  }

  /**
   * The spec as Go's {@code %#v} shows it in upstream's message; its pointers' addresses mean
   * nothing to a client, so the fields' values are shown instead.
   */
  private static GoValue specValue(PodDisruptionBudgetSpec spec) {
    return new GoValue(
        "policy.PodDisruptionBudgetSpec{MinAvailable:"
            + DeploymentValidation.shown(spec.getMinAvailable())
            + ", MaxUnavailable:"
            + DeploymentValidation.shown(spec.getMaxUnavailable())
            + "}");
  }
}
