package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * What Deployments and ReplicaSets share: a selector that owns the pods its template stamps out, a
 * replica count, and a template whose pods restart forever.
 */
final class WorkloadValidation {

  private WorkloadValidation() {}

  static List<FieldError> validate(
      LabelSelector selector, PodTemplateSpec template, Integer replicas, Integer minReadySeconds) {
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(MetadataValidation.nonNegative("spec.replicas", replicas));
    boolean selectorUsable = requiredSelector(selector, "deployment", errs);
    errs.addAll(template(template, selectorUsable ? selector : null));
    errs.addAll(MetadataValidation.nonNegative("spec.minReadySeconds", minReadySeconds));
    return errs;
  }

  /**
   * A selector that must be there and select something ({@code kind} names the controller in the
   * message as upstream does); adds its errors to {@code errs} and says whether it can be matched.
   */
  static boolean requiredSelector(LabelSelector selector, String kind, List<FieldError> errs) {
    if (selector == null) {
      errs.add(FieldError.required("spec.selector", ""));
      return false;
    }
    List<FieldError> selectorErrs = LabelSelectorValidation.validate(selector, "spec.selector");
    errs.addAll(selectorErrs);
    // An empty selector would match every pod in the namespace, including other owners' pods.
    if (LabelSelectorValidation.isEmpty(selector)) {
      errs.add(
          FieldError.invalid(
              "spec.selector",
              LabelSelectorValidation.render(selector),
              "empty selector is invalid for " + kind));
      return false;
    }
    return selectorErrs.isEmpty();
  }

  /** Upstream's IsDecremented check on {@code status.collisionCount}. */
  static List<FieldError> collisionCountNotDecremented(Integer before, Integer after) {
    if (before != null && (after == null || after < before)) {
      return List.of(
          FieldError.invalid(
              "status.collisionCount", after == null ? 0 : after, "cannot be decremented"));
    }
    return List.of();
  }

  /** The selector decides which pods a controller owns; changing it would orphan them. */
  static List<FieldError> selectorUnchanged(LabelSelector now, LabelSelector was) {
    if (JsonComparison.same(now, was)) {
      return List.of();
    }
    return List.of(FieldError.immutable("spec.selector", LabelSelectorValidation.render(now)));
  }

  private static List<FieldError> template(PodTemplateSpec template, LabelSelector selector) {
    List<FieldError> errs = new ArrayList<>();
    if (template == null) {
      errs.add(FieldError.required("spec.template", ""));
      return errs;
    }
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    if (selector != null && !LabelSelectorValidation.matches(selector, meta.getLabels())) {
      errs.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              // Upstream passes the Go map itself: printed as map[string]string{"app":"web"}.
              GoValue.stringMap(MetadataValidation.orEmpty(meta.getLabels())),
              "`selector` does not match template `labels`"));
    }
    errs.addAll(podTemplate(template, meta, "ReplicaSet"));
    return errs;
  }

  /**
   * The template's own rules (labels, annotations, pod spec) and what a controller's template may
   * not ask for: a pod that stops for good, or a deadline; {@code kind} names the controller in the
   * deadline's message as upstream does.
   */
  static List<FieldError> podTemplate(PodTemplateSpec template, ObjectMeta meta, String kind) {
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(MetadataValidation.labels(meta.getLabels(), "spec.template.metadata.labels"));
    errs.addAll(
        MetadataValidation.annotations(
            meta.getAnnotations(), "spec.template.metadata.annotations"));
    errs.addAll(PodSpecValidation.validate(template.getSpec(), "spec.template.spec"));
    if (template.getSpec() != null) {
      // A controller replaces pods that finish, so a pod that may stop for good makes no sense.
      errs.addAll(
          EnumValidation.oneOf(
              "spec.template.spec.restartPolicy",
              template.getSpec().getRestartPolicy(),
              List.of("Always")));
      if (template.getSpec().getActiveDeadlineSeconds() != null) {
        errs.add(
            FieldError.forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in " + kind + " is not Supported"));
      }
    }
    return errs;
  }
}
