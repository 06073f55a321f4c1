package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers (autoscaling/v2), in the words of upstream's {@code
 * ValidateHorizontalPodAutoscaler}: a scale target, {@code 1 <= minReplicas <= maxReplicas}, metric
 * specs with exactly their source set, behavior windows and policies within upstream's bounds.
 */
public final class HorizontalPodAutoscalerValidation implements Validator<HorizontalPodAutoscaler> {

  static final List<String> METRIC_TYPES =
      List.of("ContainerResource", "External", "Object", "Pods", "Resource");
  static final List<String> TARGET_TYPES = List.of("AverageValue", "Utilization", "Value");
  static final List<String> POLICY_TYPES = List.of("Percent", "Pods");
  static final List<String> SELECT_POLICIES = List.of("Disabled", "Max", "Min");
  static final int MAX_STABILIZATION_WINDOW = 3600;
  static final int MAX_PERIOD_SECONDS = 1800;

  @Override
  public List<FieldError> validate(HorizontalPodAutoscaler hpa) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(hpa.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    HorizontalPodAutoscalerSpec spec =
        hpa.getSpec() == null ? new HorizontalPodAutoscalerSpec() : hpa.getSpec();
    errs.addAll(scaleTarget(spec.getScaleTargetRef()));
    Integer min = spec.getMinReplicas();
    int max = spec.getMaxReplicas() == null ? 0 : spec.getMaxReplicas();
    if (min != null && min < 1) {
      errs.add(FieldError.invalid("spec.minReplicas", min, "must be greater than or equal to 1"));
    }
    if (max < 1) {
      errs.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than 0"));
    }
    if (min != null && max < min) {
      errs.add(
          FieldError.invalid(
              "spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
    }
    List<MetricSpec> metrics = spec.getMetrics() == null ? List.of() : spec.getMetrics();
    for (int i = 0; i < metrics.size(); i++) {
      errs.addAll(metric("spec.metrics[" + i + "]", metrics.get(i)));
    }
    if (spec.getBehavior() != null) {
      errs.addAll(behavior(spec.getBehavior()));
    }
    return errs;
  }

  private static List<FieldError> scaleTarget(CrossVersionObjectReference ref) {
    List<FieldError> errs = new ArrayList<>();
    String path = "spec.scaleTargetRef";
    String kind = ref == null ? null : ref.getKind();
    String name = ref == null ? null : ref.getName();
    if (kind == null || kind.isEmpty()) {
      errs.add(FieldError.required(path + ".kind", ""));
    } else {
      pathSegmentName(kind).forEach(m -> errs.add(FieldError.invalid(path + ".kind", kind, m)));
    }
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required(path + ".name", ""));
    } else {
      pathSegmentName(name).forEach(m -> errs.add(FieldError.invalid(path + ".name", name, m)));
    }
    return errs;
  }

  /** Upstream's {@code IsValidPathSegmentName}. */
  private static List<String> pathSegmentName(String name) {
    List<String> msgs = new ArrayList<>();
    if (name.equals(".") || name.equals("..")) {
      msgs.add("may not be '" + name + "'");
    }
    for (String illegal : List.of("/", "%")) {
      if (name.contains(illegal)) {
        msgs.add("may not contain '" + illegal + "'");
      }
    }
    return msgs;
  }

  private static List<FieldError> metric(String path, MetricSpec m) {
    List<FieldError> errs = new ArrayList<>();
    String type = m.getType();
    if (type == null || type.isEmpty()) {
      errs.add(FieldError.required(path + ".type", "must specify a metric source type"));
      return errs;
    }
    if (!METRIC_TYPES.contains(type)) {
      errs.add(
          FieldError.notSupported(path + ".type", type, EnumValidation.supported(METRIC_TYPES)));
      return errs;
    }
    int populated = 0;
    populated += m.getResource() != null ? 1 : 0;
    populated += m.getContainerResource() != null ? 1 : 0;
    populated += m.getPods() != null ? 1 : 0;
    populated += m.getObject() != null ? 1 : 0;
    populated += m.getExternal() != null ? 1 : 0;
    Object source =
        switch (type) {
          case "Resource" -> m.getResource();
          case "ContainerResource" -> m.getContainerResource();
          case "Pods" -> m.getPods();
          case "Object" -> m.getObject();
          default -> m.getExternal();
        };
    String field = Character.toLowerCase(type.charAt(0)) + type.substring(1);
    if (populated > 1) {
      errs.add(FieldError.forbidden(path, "must populate the given metric source only"));
    }
    if (source == null) {
      errs.add(
          FieldError.required(
              path + "." + field, "must populate information for the given metric source"));
      return errs;
    }
    switch (type) {
      case "Resource" -> {
        var r = m.getResource();
        if (r.getName() == null || r.getName().isEmpty()) {
          errs.add(FieldError.required(path + ".resource.name", "must specify a resource name"));
        }
        errs.addAll(target(path + ".resource.target", r.getTarget()));
      }
      case "ContainerResource" -> {
        var r = m.getContainerResource();
        if (r.getName() == null || r.getName().isEmpty()) {
          errs.add(
              FieldError.required(
                  path + ".containerResource.name", "must specify a resource name"));
        }
        if (r.getContainer() == null || r.getContainer().isEmpty()) {
          errs.add(
              FieldError.required(
                  path + ".containerResource.container", "must specify a container"));
        }
        errs.addAll(target(path + ".containerResource.target", r.getTarget()));
      }
      case "Pods" -> errs.addAll(target(path + ".pods.target", m.getPods().getTarget()));
      case "Object" -> errs.addAll(target(path + ".object.target", m.getObject().getTarget()));
      default -> errs.addAll(target(path + ".external.target", m.getExternal().getTarget()));
    }
    return errs;
  }

  private static List<FieldError> target(String path, MetricTarget t) {
    List<FieldError> errs = new ArrayList<>();
    if (t == null || t.getType() == null || t.getType().isEmpty()) {
      errs.add(FieldError.required(path + ".type", "must specify a metric target type"));
      return errs;
    }
    if (!TARGET_TYPES.contains(t.getType())) {
      errs.add(
          FieldError.notSupported(
              path + ".type", t.getType(), EnumValidation.supported(TARGET_TYPES)));
    }
    if (t.getValue() != null && t.getValue().getNumericalAmount().signum() <= 0) {
      errs.add(FieldError.invalid(path + ".value", t.getValue(), "must be positive"));
    }
    if (t.getAverageValue() != null && t.getAverageValue().getNumericalAmount().signum() <= 0) {
      errs.add(FieldError.invalid(path + ".averageValue", t.getAverageValue(), "must be positive"));
    }
    if (t.getAverageUtilization() != null && t.getAverageUtilization() < 1) {
      errs.add(
          FieldError.invalid(
              path + ".averageUtilization", t.getAverageUtilization(), "must be greater than 0"));
    }
    switch (t.getType()) {
      case "Utilization" -> {
        if (t.getAverageUtilization() == null) {
          errs.add(
              FieldError.required(
                  path + ".averageUtilization",
                  "must set either a target raw value or a target utilization"));
        }
      }
      case "AverageValue" -> {
        if (t.getAverageValue() == null) {
          errs.add(
              FieldError.required(
                  path + ".averageValue", "must set either a target value or averageValue"));
        }
      }
      case "Value" -> {
        if (t.getValue() == null) {
          errs.add(
              FieldError.required(
                  path + ".value", "must set either a target value or averageValue"));
        }
      }
      default -> {}
    }
    return errs;
  }

  private static List<FieldError> behavior(HorizontalPodAutoscalerBehavior b) {
    List<FieldError> errs = new ArrayList<>();
    if (b.getScaleUp() != null) {
      errs.addAll(rules("spec.behavior.scaleUp", b.getScaleUp()));
    }
    if (b.getScaleDown() != null) {
      errs.addAll(rules("spec.behavior.scaleDown", b.getScaleDown()));
    }
    return errs;
  }

  private static List<FieldError> rules(String path, HPAScalingRules r) {
    List<FieldError> errs = new ArrayList<>();
    Integer window = r.getStabilizationWindowSeconds();
    if (window != null && window < 0) {
      errs.add(
          FieldError.invalid(
              path + ".stabilizationWindowSeconds",
              window,
              "must be greater than or equal to zero"));
    }
    if (window != null && window > MAX_STABILIZATION_WINDOW) {
      errs.add(
          FieldError.invalid(
              path + ".stabilizationWindowSeconds",
              window,
              "must be less than or equal to " + MAX_STABILIZATION_WINDOW));
    }
    String select = r.getSelectPolicy();
    if (select != null && !SELECT_POLICIES.contains(select)) {
      errs.add(
          FieldError.notSupported(
              path + ".selectPolicy", select, EnumValidation.supported(SELECT_POLICIES)));
    }
    List<HPAScalingPolicy> policies = r.getPolicies() == null ? List.of() : r.getPolicies();
    if (policies.isEmpty() && !"Disabled".equals(select)) {
      errs.add(FieldError.required(path + ".policies", "must specify at least one Policy"));
    }
    for (int i = 0; i < policies.size(); i++) {
      String p = path + ".policies[" + i + "]";
      HPAScalingPolicy policy = policies.get(i);
      if (policy.getType() == null || policy.getType().isEmpty()) {
        errs.add(FieldError.required(p + ".type", "policy type must be specified"));
      } else if (!POLICY_TYPES.contains(policy.getType())) {
        errs.add(
            FieldError.notSupported(
                p + ".type", policy.getType(), EnumValidation.supported(POLICY_TYPES)));
      }
      int value = policy.getValue() == null ? 0 : policy.getValue();
      if (value <= 0) {
        errs.add(FieldError.invalid(p + ".value", value, "must be greater than zero"));
      }
      int period = policy.getPeriodSeconds() == null ? 0 : policy.getPeriodSeconds();
      if (period <= 0) {
        errs.add(FieldError.invalid(p + ".periodSeconds", period, "must be greater than zero"));
      }
      if (period > MAX_PERIOD_SECONDS) {
        errs.add(
            FieldError.invalid(
                p + ".periodSeconds",
                period,
                "must be less than or equal to " + MAX_PERIOD_SECONDS));
      }
    }
    return errs;
  }
}
