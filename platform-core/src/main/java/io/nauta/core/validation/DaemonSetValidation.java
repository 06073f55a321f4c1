package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * DaemonSets (apps/v1), in the order and words of upstream's {@code ValidateDaemonSetSpec}: the
 * selector against the template labels, the pod template (restarting forever, no deadline), and the
 * update strategy.
 */
public final class DaemonSetValidation implements Validator<DaemonSet> {

  static final List<String> STRATEGIES = List.of("RollingUpdate", "OnDelete");
  private static final IntOrString ZERO = new IntOrString(0);

  @Override
  public List<FieldError> validate(DaemonSet ds) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(ds.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    DaemonSetSpec spec = ds.getSpec() == null ? new DaemonSetSpec() : ds.getSpec();
    LabelSelector selector = spec.getSelector();
    PodTemplateSpec template =
        spec.getTemplate() == null ? new PodTemplateSpec() : spec.getTemplate();
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    List<FieldError> selectorErrs =
        selector == null ? List.of() : LabelSelectorValidation.validate(selector, "spec.selector");
    errs.addAll(selectorErrs);
    // A missing selector selects nothing (labels.Nothing()), so it matches no template either.
    if (selectorErrs.isEmpty()
        && (selector == null || !LabelSelectorValidation.matches(selector, meta.getLabels()))) {
      errs.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              GoValue.stringMap(MetadataValidation.orEmpty(meta.getLabels())),
              "`selector` does not match template `labels`"));
    }
    if (selector != null && LabelSelectorValidation.isEmpty(selector)) {
      errs.add(
          FieldError.invalid(
              "spec.selector",
              LabelSelectorValidation.render(selector),
              "empty selector is invalid for daemonset"));
    }
    errs.addAll(WorkloadValidation.podTemplate(template, meta, "DaemonSet"));
    errs.addAll(MetadataValidation.nonNegative("spec.minReadySeconds", spec.getMinReadySeconds()));
    errs.addAll(updateStrategy(spec.getUpdateStrategy()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.revisionHistoryLimit", spec.getRevisionHistoryLimit()));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(DaemonSet ds, DaemonSet old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(ds, old));
    errs.addAll(
        WorkloadValidation.selectorUnchanged(
            ds.getSpec() == null ? null : ds.getSpec().getSelector(),
            old.getSpec() == null ? null : old.getSpec().getSelector()));
    // A spec update keeps the stored status, so this only ever refuses a status write.
    errs.addAll(status(ds.getStatus(), old.getStatus()));
    return errs;
  }

  /** Upstream's ValidateDaemonSetStatusUpdate: no negative count, no collision count going back. */
  private static List<FieldError> status(DaemonSetStatus now, DaemonSetStatus was) {
    List<FieldError> errs = new ArrayList<>();
    if (now == null) {
      return errs;
    }
    String f = "status.";
    errs.addAll(
        MetadataValidation.nonNegative(
            f + "currentNumberScheduled", now.getCurrentNumberScheduled()));
    errs.addAll(
        MetadataValidation.nonNegative(f + "numberMisscheduled", now.getNumberMisscheduled()));
    errs.addAll(
        MetadataValidation.nonNegative(
            f + "desiredNumberScheduled", now.getDesiredNumberScheduled()));
    errs.addAll(MetadataValidation.nonNegative(f + "numberReady", now.getNumberReady()));
    errs.addAll(
        MetadataValidation.nonNegative(f + "observedGeneration", now.getObservedGeneration()));
    errs.addAll(
        MetadataValidation.nonNegative(
            f + "updatedNumberScheduled", now.getUpdatedNumberScheduled()));
    errs.addAll(MetadataValidation.nonNegative(f + "numberAvailable", now.getNumberAvailable()));
    errs.addAll(
        MetadataValidation.nonNegative(f + "numberUnavailable", now.getNumberUnavailable()));
    errs.addAll(
        WorkloadValidation.collisionCountNotDecremented(
            was == null ? null : was.getCollisionCount(), now.getCollisionCount()));
    return errs;
  }

  private static List<FieldError> updateStrategy(DaemonSetUpdateStrategy strategy) {
    String field = "spec.updateStrategy";
    DaemonSetUpdateStrategy s = strategy == null ? new DaemonSetUpdateStrategy() : strategy;
    String type = s.getType() == null ? "" : s.getType();
    switch (type) {
      case "OnDelete" -> {
        return List.of();
      }
      case "RollingUpdate" -> {
        if (s.getRollingUpdate() == null) {
          return List.of(FieldError.required(field + ".rollingUpdate", ""));
        }
        return rollingUpdate(s.getRollingUpdate(), field + ".rollingUpdate");
      }
      default -> {
        // Upstream passes the whole strategy struct as the bad value.
        GoValue shown =
            new GoValue(
                "apps.DaemonSetUpdateStrategy{Type:"
                    + GoValue.quoted(type)
                    + ", RollingUpdate:(*apps.RollingUpdateDaemonSet)"
                    + (s.getRollingUpdate() == null ? "(nil)" : "(0xc000000000)")
                    + "}");
        return List.of(FieldError.notSupported(field, shown, EnumValidation.supported(STRATEGIES)));
      }
    }
  }

  /** Upstream's ValidateRollingUpdateDaemonSet: exactly one of the two may be non-zero. */
  private static List<FieldError> rollingUpdate(RollingUpdateDaemonSet rolling, String field) {
    IntOrString unavailable =
        rolling.getMaxUnavailable() == null ? ZERO : rolling.getMaxUnavailable();
    IntOrString surge = rolling.getMaxSurge() == null ? ZERO : rolling.getMaxSurge();
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(DeploymentValidation.intOrPercent(unavailable, field + ".maxUnavailable"));
    errs.addAll(DeploymentValidation.intOrPercent(surge, field + ".maxSurge"));
    errs.addAll(notOver100(unavailable, field + ".maxUnavailable"));
    errs.addAll(notOver100(surge, field + ".maxSurge"));
    boolean hasUnavailable = DeploymentValidation.value(unavailable) != 0;
    boolean hasSurge = DeploymentValidation.value(surge) != 0;
    if (hasUnavailable && hasSurge) {
      errs.add(
          FieldError.invalid(
              field + ".maxSurge",
              DeploymentValidation.shown(surge),
              "may not be set when maxUnavailable is non-zero"));
    } else if (!hasUnavailable && !hasSurge) {
      errs.add(FieldError.required(field + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
    }
    return errs;
  }

  private static List<FieldError> notOver100(IntOrString v, String field) {
    if (DeploymentValidation.isPercent(v) && DeploymentValidation.value(v) > 100) {
      return List.of(
          FieldError.invalid(
              field, DeploymentValidation.shown(v), "must not be greater than 100%"));
    }
    return List.of();
  }
}
