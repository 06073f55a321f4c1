package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.nauta.core.errors.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A container's resource requests and limits: known names, parseable amounts, request ≤ limit. */
final class ResourceValidation {

  static final String QUANTITY_FMT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
  private static final Pattern QUANTITY = Pattern.compile(QUANTITY_FMT);
  private static final List<String> STANDARD = List.of("cpu", "memory", "ephemeral-storage");

  private ResourceValidation() {}

  static List<FieldError> validate(ResourceRequirements resources, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (resources == null) {
      return errs;
    }
    Map<String, Quantity> limits = MetadataValidation.orEmpty(resources.getLimits());
    Map<String, Quantity> requests = MetadataValidation.orEmpty(resources.getRequests());
    Map<String, BigDecimal> parsedLimits = new HashMap<>();
    limits.forEach(
        (name, quantity) -> {
          String path = field + ".limits[" + name + "]";
          errs.addAll(resourceName(path, name));
          BigDecimal amount = amount(path, quantity, errs);
          if (amount != null) {
            parsedLimits.put(name, amount);
          }
        });
    requests.forEach(
        (name, quantity) -> {
          String path = field + ".requests[" + name + "]";
          errs.addAll(resourceName(path, name));
          BigDecimal amount = amount(path, quantity, errs);
          BigDecimal limit = parsedLimits.get(name);
          if (amount != null && limit != null && amount.compareTo(limit) > 0) {
            errs.add(
                FieldError.invalid(
                    path,
                    quantity.toString(),
                    "must be less than or equal to "
                        + name
                        + " limit of "
                        + limits.get(name).toString()));
          }
        });
    return errs;
  }

  // Kubernetes rejects a malformed quantity while decoding; Nauta's model keeps the string, so the
  // same check happens here with the decoder's message.
  private static BigDecimal amount(String path, Quantity quantity, List<FieldError> errs) {
    BigDecimal amount = parse(quantity);
    if (amount == null) {
      errs.add(malformed(path, quantity));
      return null;
    }
    String text = quantity.toString();
    if (amount.signum() < 0) {
      errs.add(FieldError.invalid(path, text, MetadataValidation.nonNegative()));
      return null;
    }
    return amount;
  }

  /** The amount of a well-formed quantity; null for a malformed one. */
  static BigDecimal parse(Quantity quantity) {
    String text = quantity == null ? "" : quantity.toString();
    if (!QUANTITY.matcher(text).matches()) {
      return null;
    }
    try {
      return Quantity.getAmountInBytes(quantity);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The decoder's refusal of a malformed quantity. */
  static FieldError malformed(String path, Quantity quantity) {
    String text = quantity == null ? "" : quantity.toString();
    return FieldError.invalid(
        path, text, "quantities must match the regular expression '" + QUANTITY_FMT + "'");
  }

  private static List<FieldError> resourceName(String path, String name) {
    List<FieldError> errs = new ArrayList<>();
    if (name.contains("/")) {
      for (String msg : NameValidation.qualifiedName(name)) {
        errs.add(FieldError.invalid(path, name, msg));
      }
    } else if (!STANDARD.contains(name) && !name.startsWith("hugepages-")) {
      errs.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
    }
    return errs;
  }
}
