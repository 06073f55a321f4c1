package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.ScopeSelector;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.nauta.core.errors.FieldError;
import io.nauta.core.quota.QuotaResources;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ResourceQuotas (v1), as upstream's {@code ValidateResourceQuota}: quota resource names (standard
 * or qualified), non-negative amounts, whole numbers for counts and extended resources, known
 * scopes that suit every tracked resource and do not contradict each other, and scope selector
 * operators; scopes are immutable.
 */
public final class ResourceQuotaValidation implements Validator<ResourceQuota> {

  @Override
  public List<FieldError> validate(ResourceQuota quota) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(quota.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    ResourceQuotaSpec spec = quota.getSpec() == null ? new ResourceQuotaSpec() : quota.getSpec();
    errs.addAll(resourceList(spec.getHard(), "spec.hard"));
    errs.addAll(scopes(spec));
    errs.addAll(scopeSelector(spec));
    ResourceQuotaStatus status = quota.getStatus();
    if (status != null) {
      errs.addAll(resourceList(status.getHard(), "status.hard"));
      errs.addAll(resourceList(status.getUsed(), "status.used"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ResourceQuota quota, ResourceQuota old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(quota, old));
    List<String> now = scopeList(quota.getSpec());
    List<String> was = scopeList(old.getSpec());
    if (!new HashSet<>(now).equals(new HashSet<>(was))) {
      errs.add(FieldError.invalid("spec.scopes", scopesValue(now), "field is immutable"));
    }
    return errs;
  }

  private static List<String> scopeList(ResourceQuotaSpec spec) {
    return spec == null || spec.getScopes() == null ? List.of() : spec.getScopes();
  }

  /** A resource list of a quota: {@code ValidateResourceQuotaResourceName} and the amounts. */
  static List<FieldError> resourceList(Map<String, Quantity> list, String field) {
    List<FieldError> errs = new ArrayList<>();
    new TreeMap<>(MetadataValidation.orEmpty(list))
        .forEach(
            (name, q) -> {
              String path = field + "[" + name + "]";
              errs.addAll(quotaResourceName(name, path));
              errs.addAll(quantityValue(name, q, path));
            });
    return errs;
  }

  static List<FieldError> quotaResourceName(String name, String path) {
    List<FieldError> errs = resourceName(name, path);
    if (!name.contains("/") && !QuotaResources.isStandardQuota(name)) {
      errs.add(FieldError.invalid(path, name, "must be a standard resource for quota"));
    }
    return errs;
  }

  /** {@code validateResourceName}: qualified, and standard when unqualified. */
  static List<FieldError> resourceName(String name, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (String msg : NameValidation.qualifiedName(name)) {
      errs.add(FieldError.invalid(path, name, msg));
    }
    if (errs.isEmpty() && !name.contains("/") && !QuotaResources.isStandard(name)) {
      errs.add(
          FieldError.invalid(path, name, "must be a standard resource type or fully qualified"));
    }
    return errs;
  }

  /** {@code ValidateResourceQuantityValue}: not negative, whole where the resource counts. */
  static List<FieldError> quantityValue(String name, Quantity q, String path) {
    List<FieldError> errs = new ArrayList<>();
    BigDecimal amount = ResourceValidation.parse(q);
    if (amount == null) {
      errs.add(ResourceValidation.malformed(path, q));
      return errs;
    }
    if (amount.signum() < 0) {
      errs.add(FieldError.invalid(path, q.toString(), MetadataValidation.nonNegative()));
    }
    if (QuotaResources.isInteger(name)
        && amount
                .scaleByPowerOfTen(3)
                .setScale(0, java.math.RoundingMode.CEILING)
                .remainder(BigDecimal.valueOf(1000))
                .signum()
            != 0) {
      errs.add(FieldError.invalid(path, q.toString(), "must be an integer"));
    }
    return errs;
  }

  private static GoValue scopesValue(List<String> scopes) {
    return new GoValue(
        "[]core.ResourceQuotaScope{"
            + String.join(", ", scopes.stream().map(GoValue::quoted).toList())
            + "}");
  }

  private static List<FieldError> scopes(ResourceQuotaSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    List<String> scopes = scopeList(spec);
    if (scopes.isEmpty()) {
      return errs;
    }
    Set<String> hard = new TreeMap<>(MetadataValidation.orEmpty(spec.getHard())).keySet();
    GoValue value = scopesValue(scopes);
    Set<String> seen = new HashSet<>();
    for (String scope : scopes) {
      if (!QuotaResources.SCOPES.contains(scope)) {
        errs.add(FieldError.invalid("spec.scopes", value, "unsupported scope"));
      }
      for (String k : hard) {
        if (QuotaResources.isStandardQuota(k) && !QuotaResources.scopeValidFor(scope, k)) {
          errs.add(
              FieldError.invalid("spec.scopes", value, "unsupported scope applied to resource"));
        }
      }
      seen.add(scope);
    }
    if (conflicting(seen)) {
      errs.add(FieldError.invalid("spec.scopes", value, "conflicting scopes"));
    }
    return errs;
  }

  private static boolean conflicting(Set<String> scopes) {
    return scopes.containsAll(List.of("BestEffort", "NotBestEffort"))
        || scopes.containsAll(List.of("Terminating", "NotTerminating"));
  }

  private static List<FieldError> scopeSelector(ResourceQuotaSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    ScopeSelector selector = spec.getScopeSelector();
    if (selector == null) {
      return errs;
    }
    String path = "spec.scopeSelector.matchExpressions";
    Set<String> hard = new TreeMap<>(MetadataValidation.orEmpty(spec.getHard())).keySet();
    Set<String> seen = new HashSet<>();
    for (ScopedResourceSelectorRequirement req :
        MetadataValidation.orEmpty(selector.getMatchExpressions())) {
      String scope = String.valueOf(req.getScopeName());
      if (!QuotaResources.SCOPES.contains(scope)) {
        errs.add(FieldError.invalid(path + ".scopeName", scope, "unsupported scope"));
      }
      for (String k : hard) {
        if (QuotaResources.isStandardQuota(k) && !QuotaResources.scopeValidFor(scope, k)) {
          errs.add(
              FieldError.invalid(
                  path,
                  new GoValue("core.ScopeSelector{...}"),
                  "unsupported scope applied to resource"));
        }
      }
      String op = String.valueOf(req.getOperator());
      if (List.of("BestEffort", "NotBestEffort", "Terminating", "NotTerminating").contains(scope)
          && !"Exists".equals(op)) {
        errs.add(
            FieldError.invalid(
                path + ".operator",
                op,
                "must be 'Exist' only operator when scope is any of ResourceQuotaScopeTerminating,"
                    + " ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort and"
                    + " ResourceQuotaScopeNotBestEffort"));
      }
      List<String> values = MetadataValidation.orEmpty(req.getValues());
      switch (op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            errs.add(
                FieldError.required(
                    path + ".values",
                    "must be at least one value when `operator` is 'In' or 'NotIn' for scope"
                        + " selector"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            errs.add(
                FieldError.invalid(
                    path + ".values",
                    GoValue.slice(values),
                    "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope"
                        + " selector"));
          }
        }
        default ->
            errs.add(FieldError.invalid(path + ".operator", op, "not a valid selector operator"));
      }
      seen.add(scope);
    }
    if (conflicting(seen)) {
      errs.add(FieldError.invalid(path, scopesValue(scopeList(spec)), "conflicting scopes"));
    }
    return errs;
  }
}
