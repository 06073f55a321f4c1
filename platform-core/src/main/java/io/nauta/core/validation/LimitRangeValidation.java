package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.errors.FieldError;
import io.nauta.core.quota.QuotaResources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * LimitRanges (v1), as upstream's {@code ValidateLimitRange}: known or qualified types, each once;
 * resource names as containers (Pod, Container) or any resource (others); no defaults for Pod; a
 * storage min or max for PersistentVolumeClaim; min ≤ default request ≤ default ≤ max; ratios of at
 * least 1 and at most max/min; equal default and default request for resources that cannot be
 * overcommitted.
 */
public final class LimitRangeValidation implements Validator<LimitRange> {

  private static final Set<String> TYPES = Set.of("Pod", "Container", "PersistentVolumeClaim");

  @Override
  public List<FieldError> validate(LimitRange lr) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(lr.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    LimitRangeSpec spec = lr.getSpec() == null ? new LimitRangeSpec() : lr.getSpec();
    Set<String> types = new HashSet<>();
    List<LimitRangeItem> items = MetadataValidation.orEmpty(spec.getLimits());
    for (int i = 0; i < items.size(); i++) {
      LimitRangeItem limit = items.get(i);
      String idx = "spec.limits[" + i + "]";
      String type = limit.getType() == null ? "" : limit.getType();
      errs.addAll(typeName(type, idx + ".type"));
      if (!types.add(type)) {
        errs.add(FieldError.duplicate(idx + ".type", type));
      }
      Set<String> keys = new TreeSet<>();
      Map<String, Quantity> max = names(type, limit.getMax(), idx + ".max", keys, errs);
      Map<String, Quantity> min = names(type, limit.getMin(), idx + ".min", keys, errs);
      Map<String, Quantity> defaults = Map.of();
      Map<String, Quantity> defaultRequests = Map.of();
      if ("Pod".equals(type)) {
        if (!MetadataValidation.orEmpty(limit.getDefault()).isEmpty()) {
          errs.add(
              FieldError.forbidden(idx + ".default", "may not be specified when `type` is 'Pod'"));
        }
        if (!MetadataValidation.orEmpty(limit.getDefaultRequest()).isEmpty()) {
          errs.add(
              FieldError.forbidden(
                  idx + ".defaultRequest", "may not be specified when `type` is 'Pod'"));
        }
      } else {
        defaults = names(type, limit.getDefault(), idx + ".default", keys, errs);
        defaultRequests =
            names(type, limit.getDefaultRequest(), idx + ".defaultRequest", keys, errs);
      }
      if ("PersistentVolumeClaim".equals(type)
          && !min.containsKey("storage")
          && !max.containsKey("storage")) {
        errs.add(
            FieldError.required(
                idx + ".limits",
                "either minimum or maximum storage value is required, but neither was provided"));
      }
      Map<String, Quantity> ratios =
          names(type, limit.getMaxLimitRequestRatio(), idx + ".maxLimitRequestRatio", keys, errs);
      for (String k : keys) {
        Quantity mn = min.get(k);
        Quantity mx = max.get(k);
        Quantity df = defaults.get(k);
        Quantity dr = defaultRequests.get(k);
        Quantity ratio = ratios.get(k);
        if (mn != null && mx != null && cmp(mn, mx) > 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".min[" + k + "]",
                  mn.toString(),
                  "min value " + mn + " is greater than max value " + mx));
        }
        if (dr != null && mn != null && cmp(mn, dr) > 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".defaultRequest[" + k + "]",
                  dr.toString(),
                  "min value " + mn + " is greater than default request value " + dr));
        }
        if (dr != null && mx != null && cmp(dr, mx) > 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".defaultRequest[" + k + "]",
                  dr.toString(),
                  "default request value " + dr + " is greater than max value " + mx));
        }
        if (dr != null && df != null && cmp(dr, df) > 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".defaultRequest[" + k + "]",
                  dr.toString(),
                  "default request value " + dr + " is greater than default limit value " + df));
        }
        if (df != null && mn != null && cmp(mn, df) > 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".default[" + k + "]",
                  mn.toString(),
                  "min value " + mn + " is greater than default value " + df));
        }
        if (df != null && mx != null && cmp(df, mx) > 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".default[" + k + "]",
                  mx.toString(),
                  "default value " + df + " is greater than max value " + mx));
        }
        if (ratio != null && amount(ratio).compareTo(BigDecimal.ONE) < 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".maxLimitRequestRatio[" + k + "]",
                  ratio.toString(),
                  "ratio " + ratio + " is less than 1"));
        }
        if (ratio != null && mn != null && mx != null && amount(mn).signum() > 0) {
          BigDecimal maxOverMin = amount(mx).divide(amount(mn), 6, RoundingMode.HALF_EVEN);
          if (amount(ratio).compareTo(maxOverMin) > 0) {
            errs.add(
                FieldError.invalid(
                    idx + ".maxLimitRequestRatio[" + k + "]",
                    ratio.toString(),
                    "ratio "
                        + ratio
                        + " is greater than max/min = "
                        + String.format(Locale.ROOT, "%f", maxOverMin.doubleValue())));
          }
        }
        if (!overcommitAllowed(k) && df != null && dr != null && cmp(df, dr) != 0) {
          errs.add(
              FieldError.invalid(
                  idx + ".defaultRequest[" + k + "]",
                  dr.toString(),
                  "default value "
                      + df
                      + " must equal to defaultRequest value "
                      + dr
                      + " in "
                      + k));
        }
      }
    }
    return errs;
  }

  /** {@code IsOvercommitAllowed}: native resources other than hugepages. */
  private static boolean overcommitAllowed(String name) {
    return QuotaResources.isNative(name) && !name.startsWith("hugepages-");
  }

  private static Map<String, Quantity> names(
      String type,
      Map<String, Quantity> list,
      String field,
      Set<String> keys,
      List<FieldError> errs) {
    Map<String, Quantity> out = new HashMap<>();
    new TreeMap<>(MetadataValidation.orEmpty(list))
        .forEach(
            (k, q) -> {
              String path = field + "[" + k + "]";
              errs.addAll(resourceName(type, k, path));
              if (ResourceValidation.parse(q) == null) {
                errs.add(ResourceValidation.malformed(path, q));
              } else {
                out.put(k, q);
              }
              keys.add(k);
            });
    return out;
  }

  private static List<FieldError> resourceName(String type, String name, String path) {
    if (!"Pod".equals(type) && !"Container".equals(type)) {
      return ResourceQuotaValidation.resourceName(name, path);
    }
    List<FieldError> errs = ResourceQuotaValidation.resourceName(name, path);
    if (!name.contains("/")) {
      if (!List.of("cpu", "memory", "ephemeral-storage").contains(name)
          && !name.startsWith("hugepages-")) {
        errs.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
      }
    } else if (!QuotaResources.isNative(name) && !QuotaResources.isExtended(name)) {
      errs.add(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
    }
    return errs;
  }

  private static List<FieldError> typeName(String type, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (String msg : NameValidation.qualifiedName(type)) {
      errs.add(FieldError.invalid(path, type, msg));
    }
    if (errs.isEmpty() && !type.contains("/") && !TYPES.contains(type)) {
      errs.add(FieldError.invalid(path, type, "must be a standard limit type or fully qualified"));
    }
    return errs;
  }

  private static BigDecimal amount(Quantity q) {
    BigDecimal v = ResourceValidation.parse(q);
    return v == null ? BigDecimal.ZERO : v;
  }

  private static int cmp(Quantity a, Quantity b) {
    return amount(a).compareTo(amount(b));
  }
}
