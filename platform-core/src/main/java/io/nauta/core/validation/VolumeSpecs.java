package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.errors.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What PersistentVolume and PersistentVolumeClaim validation share, in the words of upstream's
 * {@code pkg/apis/core/validation}: access modes, volume modes, class names, storage quantities,
 * node selectors, and the spec diff its immutability errors carry.
 */
final class VolumeSpecs {

  /** {@code sets.List(supportedAccessModes)}: sorted, as upstream lists them. */
  static final List<String> ACCESS_MODES =
      List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");

  static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");

  private VolumeSpecs() {}

  /** The access modes of a PV or claim spec: known values, ReadWriteOncePod alone. */
  static List<FieldError> accessModes(List<String> modes, String field, String requiredDetail) {
    List<FieldError> errs = new ArrayList<>();
    if (modes == null || modes.isEmpty()) {
      errs.add(FieldError.required(field, requiredDetail));
      return errs;
    }
    boolean oncePod = false;
    boolean other = false;
    for (String mode : modes) {
      if (!ACCESS_MODES.contains(mode)) {
        errs.add(
            FieldError.notSupported(
                field, Objects.toString(mode, ""), EnumValidation.supported(ACCESS_MODES)));
      } else if (mode.equals("ReadWriteOncePod")) {
        oncePod = true;
      } else {
        other = true;
      }
    }
    if (oncePod && other) {
      errs.add(FieldError.forbidden(field, "may not use ReadWriteOncePod with other access modes"));
    }
    return errs;
  }

  static List<FieldError> volumeMode(String mode, String field) {
    if (mode == null || VOLUME_MODES.contains(mode)) {
      return List.of();
    }
    return List.of(FieldError.notSupported(field, mode, EnumValidation.supported(VOLUME_MODES)));
  }

  /** {@code ValidateClassName}: a DNS subdomain, checked when set. */
  static List<FieldError> className(String name, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (name != null && !name.isEmpty()) {
      NameValidation.dns1123Subdomain(name)
          .forEach(m -> errs.add(FieldError.invalid(field, name, m)));
    }
    return errs;
  }

  /** {@code ValidatePositiveQuantityValue}, after the decoder's own check of the text. */
  static List<FieldError> positive(Quantity quantity, String field) {
    BigDecimal amount = ResourceValidation.parse(quantity);
    if (amount == null) {
      return List.of(ResourceValidation.malformed(field, quantity));
    }
    List<FieldError> errs = new ArrayList<>();
    if (amount.signum() < 0) {
      // validateBasicResource shows the whole number, as Quantity.Value() gives it
      errs.add(
          FieldError.invalid(
              field,
              amount.setScale(0, java.math.RoundingMode.CEILING).longValue(),
              "must be a valid resource quantity"));
    }
    if (amount.signum() <= 0) {
      errs.add(FieldError.invalid(field, quantity.toString(), "must be greater than zero"));
    }
    return errs;
  }

  /** The amount of {@code name} in a resource list; null when absent or malformed. */
  static BigDecimal amount(Map<String, Quantity> list, String name) {
    return list == null || !list.containsKey(name)
        ? null
        : ResourceValidation.parse(list.get(name));
  }

  /** Upstream's {@code ValidateNodeSelector}, for a volume's required node affinity. */
  static List<FieldError> nodeSelector(NodeSelector selector, String field) {
    List<FieldError> errs = new ArrayList<>();
    String terms = field + ".nodeSelectorTerms";
    List<NodeSelectorTerm> list = MetadataValidation.orEmpty(selector.getNodeSelectorTerms());
    if (list.isEmpty()) {
      errs.add(FieldError.required(terms, "must have at least one node selector term"));
      return errs;
    }
    for (int i = 0; i < list.size(); i++) {
      String term = terms + "[" + i + "]";
      List<NodeSelectorRequirement> exprs =
          MetadataValidation.orEmpty(list.get(i).getMatchExpressions());
      for (int j = 0; j < exprs.size(); j++) {
        errs.addAll(labelRequirement(exprs.get(j), term + ".matchExpressions[" + j + "]"));
      }
      List<NodeSelectorRequirement> fields =
          MetadataValidation.orEmpty(list.get(i).getMatchFields());
      for (int j = 0; j < fields.size(); j++) {
        errs.addAll(fieldRequirement(fields.get(j), term + ".matchFields[" + j + "]"));
      }
    }
    return errs;
  }

  private static List<FieldError> labelRequirement(NodeSelectorRequirement rq, String path) {
    List<FieldError> errs = new ArrayList<>();
    List<String> values = MetadataValidation.orEmpty(rq.getValues());
    String op = Objects.toString(rq.getOperator(), "");
    switch (op) {
      case "In", "NotIn" -> {
        if (values.isEmpty()) {
          errs.add(
              FieldError.required(
                  path + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
        }
      }
      case "Exists", "DoesNotExist" -> {
        if (!values.isEmpty()) {
          errs.add(
              FieldError.forbidden(
                  path + ".values",
                  "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      }
      case "Gt", "Lt" -> {
        if (values.size() != 1) {
          errs.add(
              FieldError.required(
                  path + ".values",
                  "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        }
      }
      default ->
          errs.add(FieldError.invalid(path + ".operator", op, "not a valid selector operator"));
    }
    String key = Objects.toString(rq.getKey(), "");
    NameValidation.qualifiedName(key)
        .forEach(m -> errs.add(FieldError.invalid(path + ".key", key, m)));
    for (int i = 0; i < values.size(); i++) {
      String v = Objects.toString(values.get(i), "");
      String at = path + ".values[" + i + "]";
      NameValidation.labelValue(v).forEach(m -> errs.add(FieldError.invalid(at, v, m)));
    }
    return errs;
  }

  private static List<FieldError> fieldRequirement(NodeSelectorRequirement rq, String path) {
    List<FieldError> errs = new ArrayList<>();
    List<String> values = MetadataValidation.orEmpty(rq.getValues());
    String op = Objects.toString(rq.getOperator(), "");
    if (op.equals("In") || op.equals("NotIn")) {
      if (values.size() != 1) {
        errs.add(
            FieldError.required(
                path + ".values",
                "must be only one value when `operator` is 'In' or 'NotIn' for node field"
                    + " selector"));
      }
    } else {
      errs.add(FieldError.invalid(path + ".operator", op, "not a valid selector operator"));
    }
    String key = Objects.toString(rq.getKey(), "");
    if (!key.equals("metadata.name")) {
      errs.add(FieldError.invalid(path + ".key", key, "not a valid field selector key"));
    } else {
      for (int i = 0; i < values.size(); i++) {
        String v = Objects.toString(values.get(i), "");
        String at = path + ".values[" + i + "]";
        NameValidation.dns1123Subdomain(v).forEach(m -> errs.add(FieldError.invalid(at, v, m)));
      }
    }
    return errs;
  }

  /**
   * A field-level rendering of the difference {@code cmp.Diff} appends to upstream's "is immutable
   * after creation" errors: {@code -}/{@code +} lines for each field that changed, under the Go
   * type's name. cmp's own layout is deliberately unstable (it mixes in non-breaking spaces), so
   * only its shape is kept.
   */
  static String diff(String goType, JsonNode was, JsonNode now) {
    StringBuilder sb = new StringBuilder("  ").append(goType).append("{\n");
    List<String> names = new ArrayList<>();
    was.propertyNames().forEach(names::add);
    for (Iterator<String> it = now.propertyNames().iterator(); it.hasNext(); ) {
      String n = it.next();
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    for (String n : names) {
      JsonNode a = was.get(n);
      JsonNode b = now.get(n);
      if (Objects.equals(a, b)) {
        continue;
      }
      String goName = Character.toUpperCase(n.charAt(0)) + n.substring(1);
      if (a != null) {
        sb.append("- \t").append(goName).append(": ").append(a).append(",\n");
      }
      if (b != null) {
        sb.append("+ \t").append(goName).append(": ").append(b).append(",\n");
      }
    }
    return sb.append("  }\n").toString();
  }
}
