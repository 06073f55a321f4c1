package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Checks and evaluates a {@code metav1.LabelSelector} as workload validation needs it: whether it
 * is well formed, empty, and matches a pod template's labels.
 */
public final class LabelSelectorValidation {

  private static final List<String> WITH_VALUES = List.of("In", "NotIn");
  private static final List<String> WITHOUT_VALUES = List.of("Exists", "DoesNotExist");

  private LabelSelectorValidation() {}

  static List<FieldError> validate(LabelSelector selector, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (selector == null) {
      return errs;
    }
    errs.addAll(MetadataValidation.labels(selector.getMatchLabels(), field + ".matchLabels"));
    List<LabelSelectorRequirement> exprs =
        MetadataValidation.orEmpty(selector.getMatchExpressions());
    for (int i = 0; i < exprs.size(); i++) {
      LabelSelectorRequirement req = exprs.get(i);
      String path = field + ".matchExpressions[" + i + "]";
      List<String> values = MetadataValidation.orEmpty(req.getValues());
      String op = Objects.toString(req.getOperator(), "");
      if (WITH_VALUES.contains(op)) {
        if (values.isEmpty()) {
          errs.add(
              FieldError.required(
                  path + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
        }
      } else if (WITHOUT_VALUES.contains(op)) {
        if (!values.isEmpty()) {
          errs.add(
              FieldError.forbidden(
                  path + ".values",
                  "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      } else {
        errs.add(FieldError.invalid(path + ".operator", op, "not a valid selector operator"));
      }
      String key = Objects.toString(req.getKey(), "");
      for (String msg : NameValidation.qualifiedName(key)) {
        errs.add(FieldError.invalid(path + ".key", key, msg));
      }
      for (int j = 0; j < values.size(); j++) {
        String value = Objects.toString(values.get(j), "");
        for (String msg : NameValidation.labelValue(value)) {
          errs.add(FieldError.invalid(path + ".values[" + j + "]", value, msg));
        }
      }
    }
    return errs;
  }

  static boolean isEmpty(LabelSelector selector) {
    return selector == null
        || (MetadataValidation.orEmpty(selector.getMatchLabels()).isEmpty()
            && MetadataValidation.orEmpty(selector.getMatchExpressions()).isEmpty());
  }

  /** Whether {@code labels} satisfy every term of a (well-formed) selector. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> set = MetadataValidation.orEmpty(labels);
    for (Map.Entry<String, String> e :
        MetadataValidation.orEmpty(selector.getMatchLabels()).entrySet()) {
      if (!Objects.equals(set.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    for (LabelSelectorRequirement req :
        MetadataValidation.orEmpty(selector.getMatchExpressions())) {
      boolean has = set.containsKey(req.getKey());
      List<String> values = MetadataValidation.orEmpty(req.getValues());
      boolean ok =
          switch (Objects.toString(req.getOperator(), "")) {
            case "In" -> has && values.contains(set.get(req.getKey()));
            case "NotIn" -> !has || !values.contains(set.get(req.getKey()));
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The selector in kubectl's string form, used as the value shown in an error. */
  static String render(LabelSelector selector) {
    if (selector == null) {
      return "null";
    }
    List<String> terms = new ArrayList<>();
    MetadataValidation.orEmpty(selector.getMatchLabels()).forEach((k, v) -> terms.add(k + "=" + v));
    for (LabelSelectorRequirement req :
        MetadataValidation.orEmpty(selector.getMatchExpressions())) {
      String values = String.join(",", MetadataValidation.orEmpty(req.getValues()));
      terms.add(
          switch (Objects.toString(req.getOperator(), "")) {
            case "In" -> req.getKey() + " in (" + values + ")";
            case "NotIn" -> req.getKey() + " notin (" + values + ")";
            case "Exists" -> req.getKey();
            case "DoesNotExist" -> "!" + req.getKey();
            default -> req.getKey() + " " + req.getOperator() + " (" + values + ")";
          });
    }
    return terms.stream().collect(Collectors.joining(","));
  }
}
