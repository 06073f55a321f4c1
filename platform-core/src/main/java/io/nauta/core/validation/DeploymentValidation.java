package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Deployments (apps/v1): the workload rules plus rollout strategy and progress limits. */
public final class DeploymentValidation implements Validator<Deployment> {

  static final List<String> STRATEGIES = List.of("Recreate", "RollingUpdate");
  private static final String PERCENT_FMT = "[0-9]+%";
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
  private static final IntOrString DEFAULT_STEP = new IntOrString("25%");

  @Override
  public List<FieldError> validate(Deployment d) {
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validate(d.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    DeploymentSpec spec = d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
    errs.addAll(
        WorkloadValidation.validate(
            spec.getSelector(), spec.getTemplate(), spec.getReplicas(), spec.getMinReadySeconds()));
    errs.addAll(strategy(spec.getStrategy()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.revisionHistoryLimit", spec.getRevisionHistoryLimit()));
    Integer deadline = spec.getProgressDeadlineSeconds();
    if (deadline != null) {
      errs.addAll(MetadataValidation.nonNegative("spec.progressDeadlineSeconds", deadline));
      int minReady = spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds();
      // Otherwise a rollout would be declared stuck before its pods could count as available.
      if (deadline <= minReady) {
        errs.add(
            FieldError.invalid(
                "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
      }
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(Deployment d, Deployment old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(d, old));
    errs.addAll(
        WorkloadValidation.selectorUnchanged(
            d.getSpec() == null ? null : d.getSpec().getSelector(),
            old.getSpec() == null ? null : old.getSpec().getSelector()));
    return errs;
  }

  private static List<FieldError> strategy(DeploymentStrategy strategy) {
    List<FieldError> errs = new ArrayList<>();
    if (strategy == null || MetadataValidation.isEmpty(strategy.getType())) {
      return errs; // defaulted to RollingUpdate with 25%/25%
    }
    switch (strategy.getType()) {
      case "Recreate" -> {
        if (strategy.getRollingUpdate() != null) {
          errs.add(
              FieldError.forbidden(
                  "spec.strategy.rollingUpdate",
                  "may not be specified when strategy `type` is 'Recreate'"));
        }
      }
      case "RollingUpdate" -> errs.addAll(rollingUpdate(strategy.getRollingUpdate()));
      default ->
          errs.add(
              FieldError.notSupported(
                  "spec.strategy.type", strategy.getType(), EnumValidation.supported(STRATEGIES)));
    }
    return errs;
  }

  private static List<FieldError> rollingUpdate(RollingUpdateDeployment rolling) {
    String field = "spec.strategy.rollingUpdate";
    IntOrString unavailable = DEFAULT_STEP;
    IntOrString surge = DEFAULT_STEP;
    if (rolling != null) {
      unavailable =
          rolling.getMaxUnavailable() == null ? DEFAULT_STEP : rolling.getMaxUnavailable();
      surge = rolling.getMaxSurge() == null ? DEFAULT_STEP : rolling.getMaxSurge();
    }
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(intOrPercent(unavailable, field + ".maxUnavailable"));
    errs.addAll(intOrPercent(surge, field + ".maxSurge"));
    // With neither extra pods nor missing pods allowed, a rollout could never make progress.
    if (value(unavailable) == 0 && value(surge) == 0) {
      errs.add(
          FieldError.invalid(
              field + ".maxUnavailable", shown(unavailable), "may not be 0 when `maxSurge` is 0"));
    }
    if (isPercent(unavailable) && value(unavailable) > 100) {
      errs.add(
          FieldError.invalid(
              field + ".maxUnavailable", shown(unavailable), "must not be greater than 100%"));
    }
    return errs;
  }

  static List<FieldError> intOrPercent(IntOrString v, String field) {
    if (v.getStrVal() != null) {
      if (!PERCENT.matcher(v.getStrVal()).matches()) {
        return List.of(
            FieldError.invalid(
                field,
                v.getStrVal(),
                NameValidation.regexError(
                    "a valid percent string must be a numeric string followed by an ending '%'",
                    PERCENT_FMT, "1%", "93%")));
      }
      return List.of();
    }
    return MetadataValidation.nonNegative(field, v.getIntVal());
  }

  static boolean isPercent(IntOrString v) {
    return v.getStrVal() != null && PERCENT.matcher(v.getStrVal()).matches();
  }

  // Kubernetes' getIntOrPercentValue: a percent's number, an int's value, else 0.
  static long value(IntOrString v) {
    if (isPercent(v)) {
      String digits = v.getStrVal().substring(0, v.getStrVal().length() - 1);
      return digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
    return v.getIntVal() == null ? 0 : v.getIntVal();
  }

  static Object shown(IntOrString v) {
    return v.getStrVal() != null ? v.getStrVal() : v.getIntVal();
  }
}
