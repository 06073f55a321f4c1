package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Pod tolerations and node taints: the two halves of taint-based scheduling. */
final class TolerationValidation {

  static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final List<String> OPERATORS = List.of("Equal", "Exists");

  private TolerationValidation() {}

  static List<FieldError> tolerations(List<Toleration> tolerations, String field) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      String path = field + "[" + i + "]";
      String key = Objects.toString(t.getKey(), "");
      String op = Objects.toString(t.getOperator(), "");
      String effect = Objects.toString(t.getEffect(), "");
      String value = Objects.toString(t.getValue(), "");
      if (!key.isEmpty()) {
        for (String msg : NameValidation.qualifiedName(key)) {
          errs.add(FieldError.invalid(path + ".key", key, msg));
        }
      } else if (!op.equals("Exists")) {
        errs.add(
            FieldError.invalid(
                path + ".operator",
                op,
                "operator must be Exists when `key` is empty, which means \"match all values and"
                    + " all keys\""));
      }
      if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
        errs.add(
            FieldError.invalid(
                path + ".effect",
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (op) {
        case "", "Equal" -> {
          List<String> msgs = NameValidation.labelValue(value);
          if (!msgs.isEmpty()) {
            errs.add(FieldError.invalid(path + ".operator", value, String.join(";", msgs)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errs.add(
                FieldError.invalid(
                    path + ".operator", value, "value must be empty when `operator` is 'Exists'"));
          }
        }
        default ->
            errs.add(
                FieldError.notSupported(
                    path + ".operator", op, EnumValidation.supported(OPERATORS)));
      }
      errs.addAll(EnumValidation.oneOf(path + ".effect", effect, EFFECTS));
    }
    return errs;
  }

  static List<FieldError> taints(List<Taint> taints, String field) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      String path = field + "[" + i + "]";
      String key = Objects.toString(t.getKey(), "");
      for (String msg : NameValidation.qualifiedName(key)) {
        errs.add(FieldError.invalid(path + ".key", key, msg));
      }
      String value = Objects.toString(t.getValue(), "");
      for (String msg : NameValidation.labelValue(value)) {
        errs.add(FieldError.invalid(path + ".value", value, msg));
      }
      // Unlike a toleration's, a taint's effect has no default: it must be given.
      if (MetadataValidation.isEmpty(t.getEffect())) {
        errs.add(FieldError.required(path + ".effect", ""));
      } else {
        errs.addAll(EnumValidation.oneOf(path + ".effect", t.getEffect(), EFFECTS));
      }
    }
    return errs;
  }
}
