package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.flowcontrol.v1.FlowSchema;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.FlowSchemaSpec;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.LimitResponse;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.LimitedPriorityLevelConfiguration;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.NonResourcePolicyRule;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.PolicyRulesWithSubjects;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.PriorityLevelConfiguration;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.PriorityLevelConfigurationSpec;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.QueuingConfiguration;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.ResourcePolicyRule;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.Subject;
import io.nauta.core.errors.FieldError;
import io.nauta.core.flowcontrol.FlowControlBootstrap;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * FlowSchemas and PriorityLevelConfigurations (flowcontrol.apiserver.k8s.io/v1), as Kubernetes'
 * {@code pkg/apis/flowcontrol/validation} checks them, with its messages; a mandatory object
 * ({@code exempt}, {@code catch-all}) must keep its fixed spec.
 */
public final class FlowControlValidation {

  /** Kubernetes' {@code FlowSchemaMaxMatchingPrecedence}. */
  static final int MAX_MATCHING_PRECEDENCE = 10000;

  /** Shuffle sharding hashes into 60 bits: a hand needs {@code handSize·log2(queues)} of them. */
  static final int MAX_HASH_BITS = 60;

  /** Kubernetes' {@code priorityLevelConfigurationQueuingMaxQueues}: 10^7. */
  static final int MAX_QUEUES = 10_000_000;

  /** The verbs a rule may name besides {@code *}, in the sorted order Kubernetes lists them. */
  private static final List<String> SUPPORTED_VERBS =
      List.of(
          "create",
          "delete",
          "deletecollection",
          "get",
          "list",
          "patch",
          "proxy",
          "update",
          "watch");

  private static final String NAMESPACE_INTRO =
      "each member of this list must be '*' or a DNS-1123 label; ";

  private FlowControlValidation() {}

  public static final class FlowSchemaValidation implements Validator<FlowSchema> {
    @Override
    public List<FieldError> validate(FlowSchema fs) {
      List<FieldError> errs =
          new ArrayList<>(
              MetadataValidation.validate(fs.getMetadata(), NameRule.DNS_SUBDOMAIN, false));
      FlowSchemaSpec spec = fs.getSpec();
      if (spec == null) {
        spec = new FlowSchemaSpec();
      }
      int precedence = spec.getMatchingPrecedence() == null ? 0 : spec.getMatchingPrecedence();
      if (precedence <= 0) {
        errs.add(
            FieldError.invalid("spec.matchingPrecedence", precedence, "must be a positive value"));
      }
      if (precedence > MAX_MATCHING_PRECEDENCE) {
        errs.add(
            FieldError.invalid(
                "spec.matchingPrecedence",
                precedence,
                "must not be greater than " + MAX_MATCHING_PRECEDENCE));
      }
      if (precedence == 1 && !FlowControlBootstrap.EXEMPT.equals(fs.getMetadata().getName())) {
        errs.add(
            FieldError.invalid(
                "spec.matchingPrecedence",
                precedence,
                "only the schema named 'exempt' may have matchingPrecedence 1"));
      }
      if (spec.getDistinguisherMethod() != null) {
        String type = spec.getDistinguisherMethod().getType();
        if (!List.of("ByUser", "ByNamespace").contains(type)) {
          // Kubernetes reports the whole method, as Go prints the struct.
          errs.add(
              FieldError.notSupported(
                  "spec.distinguisherMethod.type",
                  new GoValue(
                      "flowcontrol.FlowDistinguisherMethod{Type:"
                          + GoValue.quoted(type == null ? "" : type)
                          + "}"),
                  "supported values: \"ByNamespace\", \"ByUser\""));
        }
      }
      String level =
          spec.getPriorityLevelConfiguration() == null
              ? null
              : spec.getPriorityLevelConfiguration().getName();
      if (level == null || level.isEmpty()) {
        errs.add(
            FieldError.required(
                "spec.priorityLevelConfiguration.name", "must reference a priority level"));
      } else {
        for (String msg : NameValidation.dns1123Subdomain(level)) {
          errs.add(FieldError.invalid("spec.priorityLevelConfiguration.name", level, msg));
        }
      }
      List<PolicyRulesWithSubjects> rules = spec.getRules() == null ? List.of() : spec.getRules();
      for (int i = 0; i < rules.size(); i++) {
        errs.addAll(policyRule(rules.get(i), "spec.rules[" + i + "]"));
      }
      mandatory(errs, "FlowSchema", fs.getMetadata().getName(), spec, false);
      return errs;
    }
  }

  public static final class PriorityLevelConfigurationValidation
      implements Validator<PriorityLevelConfiguration> {
    @Override
    public List<FieldError> validate(PriorityLevelConfiguration pl) {
      List<FieldError> errs =
          new ArrayList<>(
              MetadataValidation.validate(pl.getMetadata(), NameRule.DNS_SUBDOMAIN, false));
      PriorityLevelConfigurationSpec spec = pl.getSpec();
      if (spec == null) {
        spec = new PriorityLevelConfigurationSpec();
      }
      String type = spec.getType();
      if (FlowControlBootstrap.EXEMPT.equals(pl.getMetadata().getName()) != "Exempt".equals(type)) {
        errs.add(
            FieldError.invalid(
                "spec.type",
                type == null ? "" : type,
                "type must be 'Exempt' if and only if name is 'exempt'"));
      }
      if ("Exempt".equals(type)) {
        if (spec.getLimited() != null) {
          errs.add(FieldError.forbidden("spec.limited", "must be nil if the type is not Limited"));
        }
        if (spec.getExempt() != null) {
          errs.addAll(
              MetadataValidation.nonNegative(
                  "spec.exempt.nominalConcurrencyShares",
                  spec.getExempt().getNominalConcurrencyShares()));
          errs.addAll(
              lendable("spec.exempt.lendablePercent", spec.getExempt().getLendablePercent()));
        }
      } else if ("Limited".equals(type)) {
        if (spec.getExempt() != null) {
          errs.add(FieldError.forbidden("spec.exempt", "must be nil if the type is Limited"));
        }
        if (spec.getLimited() == null) {
          errs.add(FieldError.required("spec.limited", "must not be empty when type is Limited"));
        } else {
          errs.addAll(limited(spec.getLimited(), "spec.limited"));
        }
      } else {
        errs.add(
            FieldError.notSupported(
                "spec.type",
                type == null ? "" : type,
                "supported values: \"Exempt\", \"Limited\""));
      }
      mandatory(errs, "PriorityLevelConfiguration", pl.getMetadata().getName(), spec, true);
      return errs;
    }
  }

  private static List<FieldError> limited(LimitedPriorityLevelConfiguration limited, String path) {
    List<FieldError> errs = new ArrayList<>();
    Integer shares = limited.getNominalConcurrencyShares();
    if (shares != null && shares < 0) {
      errs.add(
          FieldError.invalid(
              path + ".nominalConcurrencyShares", shares, "must be a non-negative integer"));
    }
    LimitResponse response = limited.getLimitResponse();
    String rpath = path + ".limitResponse";
    String type = response == null ? null : response.getType();
    if ("Queue".equals(type)) {
      if (response.getQueuing() == null) {
        errs.add(
            FieldError.required(
                rpath + ".queuing", "must not be empty if limited.limitResponse.type is Limited"));
      } else {
        errs.addAll(queuing(response.getQueuing(), rpath + ".queuing"));
      }
    } else if ("Reject".equals(type)) {
      if (response.getQueuing() != null) {
        errs.add(
            FieldError.forbidden(
                rpath + ".queuing", "must be nil if limited.limitResponse.type is not Limited"));
      }
    } else {
      errs.add(
          FieldError.notSupported(
              rpath + ".type",
              type == null ? "" : type,
              "supported values: \"Queue\", \"Reject\""));
    }
    errs.addAll(lendable(path + ".lendablePercent", limited.getLendablePercent()));
    Integer borrowing = limited.getBorrowingLimitPercent();
    if (borrowing != null && borrowing < 0) {
      errs.add(
          FieldError.invalid(
              path + ".borrowingLimitPercent",
              borrowing,
              "if specified, must be a non-negative integer"));
    }
    return errs;
  }

  private static List<FieldError> queuing(QueuingConfiguration q, String path) {
    List<FieldError> errs = new ArrayList<>();
    int queueLengthLimit = q.getQueueLengthLimit() == null ? 0 : q.getQueueLengthLimit();
    int queues = q.getQueues() == null ? 0 : q.getQueues();
    int handSize = q.getHandSize() == null ? 0 : q.getHandSize();
    if (queueLengthLimit <= 0) {
      errs.add(
          FieldError.invalid(path + ".queueLengthLimit", queueLengthLimit, "must be positive"));
    }
    if (queues <= 0) {
      errs.add(FieldError.invalid(path + ".queues", queues, "must be positive"));
    } else if (queues > MAX_QUEUES) {
      errs.add(
          FieldError.invalid(path + ".queues", queues, "must not be greater than " + MAX_QUEUES));
    }
    if (handSize <= 0) {
      errs.add(FieldError.invalid(path + ".handSize", handSize, "must be positive"));
    } else if (handSize > queues) {
      errs.add(
          FieldError.invalid(
              path + ".handSize", handSize, "should not be greater than queues (" + queues + ")"));
    } else if (handSize * (Math.log(queues) / Math.log(2)) > MAX_HASH_BITS) {
      errs.add(
          FieldError.invalid(
              path + ".handSize",
              handSize,
              "required entropy bits of deckSize "
                  + queues
                  + " and handSize "
                  + handSize
                  + " should not be greater than "
                  + MAX_HASH_BITS));
    }
    return errs;
  }

  private static List<FieldError> lendable(String path, Integer percent) {
    if (percent != null && (percent < 0 || percent > 100)) {
      return List.of(FieldError.invalid(path, percent, "must be between 0 and 100, inclusive"));
    }
    return List.of();
  }

  private static List<FieldError> policyRule(PolicyRulesWithSubjects rule, String path) {
    List<FieldError> errs = new ArrayList<>();
    List<Subject> subjects = rule.getSubjects() == null ? List.of() : rule.getSubjects();
    if (subjects.isEmpty()) {
      errs.add(FieldError.required(path + ".subjects", "subjects must contain at least one value"));
    }
    for (int i = 0; i < subjects.size(); i++) {
      errs.addAll(subject(subjects.get(i), path + ".subjects[" + i + "]"));
    }
    List<ResourcePolicyRule> resources =
        rule.getResourceRules() == null ? List.of() : rule.getResourceRules();
    List<NonResourcePolicyRule> nonResources =
        rule.getNonResourceRules() == null ? List.of() : rule.getNonResourceRules();
    if (resources.isEmpty() && nonResources.isEmpty()) {
      errs.add(
          FieldError.required(
              path, "at least one of resourceRules and nonResourceRules has to be non-empty"));
    }
    for (int i = 0; i < resources.size(); i++) {
      errs.addAll(resourceRule(resources.get(i), path + ".resourceRules[" + i + "]"));
    }
    for (int i = 0; i < nonResources.size(); i++) {
      errs.addAll(nonResourceRule(nonResources.get(i), path + ".nonResourceRules[" + i + "]"));
    }
    return errs;
  }

  /** As Kubernetes: the member the kind names first, then the members it must not have. */
  private static List<FieldError> subject(Subject s, String path) {
    List<FieldError> errs = new ArrayList<>();
    String kind = s.getKind() == null ? "" : s.getKind();
    switch (kind) {
      case "ServiceAccount" -> {
        serviceAccount(errs, s, path + ".serviceAccount");
        forbidden(errs, path, "user", "User", s.getUser() != null);
        forbidden(errs, path, "group", "Group", s.getGroup() != null);
      }
      case "User" -> {
        if (s.getUser() == null) {
          errs.add(
              FieldError.required(path + ".user", "user is required when subject kind is 'User'"));
        } else if (empty(s.getUser().getName())) {
          errs.add(FieldError.required(path + ".user.name", ""));
        }
        forbidden(errs, path, "serviceAccount", "ServiceAccount", s.getServiceAccount() != null);
        forbidden(errs, path, "group", "Group", s.getGroup() != null);
      }
      case "Group" -> {
        if (s.getGroup() == null) {
          errs.add(
              FieldError.required(
                  path + ".group", "group is required when subject kind is 'Group'"));
        } else if (empty(s.getGroup().getName())) {
          errs.add(FieldError.required(path + ".group.name", ""));
        }
        forbidden(errs, path, "serviceAccount", "ServiceAccount", s.getServiceAccount() != null);
        forbidden(errs, path, "user", "User", s.getUser() != null);
      }
      default ->
          errs.add(
              FieldError.notSupported(
                  path + ".kind",
                  kind,
                  "supported values: \"Group\", \"ServiceAccount\", \"User\""));
    }
    return errs;
  }

  private static void serviceAccount(List<FieldError> errs, Subject s, String path) {
    if (s.getServiceAccount() == null) {
      errs.add(
          FieldError.required(
              path, "serviceAccount is required when subject kind is 'ServiceAccount'"));
      return;
    }
    String name = s.getServiceAccount().getName();
    if (empty(name)) {
      errs.add(FieldError.required(path + ".name", ""));
    } else if (!name.equals("*")) {
      for (String msg : NameValidation.dns1123Subdomain(name)) {
        errs.add(FieldError.invalid(path + ".name", name, msg));
      }
    }
    String ns = s.getServiceAccount().getNamespace();
    if (empty(ns)) {
      errs.add(
          FieldError.required(path + ".namespace", "must specify namespace for service account"));
    } else {
      for (String msg : NameValidation.dns1123Label(ns)) {
        errs.add(FieldError.invalid(path + ".namespace", ns, msg));
      }
    }
  }

  private static void forbidden(
      List<FieldError> errs, String path, String field, String kind, boolean present) {
    if (present) {
      errs.add(
          FieldError.forbidden(
              path + "." + field, field + " is forbidden when subject kind is not '" + kind + "'"));
    }
  }

  private static List<FieldError> resourceRule(ResourcePolicyRule r, String path) {
    List<FieldError> errs = new ArrayList<>();
    verbs(errs, path + ".verbs", r.getVerbs());
    list(
        errs,
        path + ".apiGroups",
        r.getApiGroups(),
        "resource rules must supply at least one api group",
        "api groups");
    list(
        errs,
        path + ".resources",
        r.getResources(),
        "resource rules must supply at least one resource",
        "resources");
    List<String> namespaces = r.getNamespaces() == null ? List.of() : r.getNamespaces();
    boolean clusterScope = Boolean.TRUE.equals(r.getClusterScope());
    if (namespaces.isEmpty()) {
      if (!clusterScope) {
        errs.add(
            FieldError.required(
                path + ".namespaces",
                "resource rules that are not cluster scoped must supply at least one namespace"));
      }
    } else if (namespaces.contains("*")) {
      if (namespaces.size() > 1) {
        errs.add(
            FieldError.invalid(
                path + ".namespaces",
                GoValue.slice(namespaces),
                "if '*' is present, must not specify other namespaces"));
      }
    } else {
      for (int i = 0; i < namespaces.size(); i++) {
        for (String msg : NameValidation.dns1123Label(namespaces.get(i))) {
          errs.add(
              FieldError.invalid(
                  path + ".namespaces[" + i + "]", namespaces.get(i), NAMESPACE_INTRO + msg));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> nonResourceRule(NonResourcePolicyRule r, String path) {
    List<FieldError> errs = new ArrayList<>();
    verbs(errs, path + ".verbs", r.getVerbs());
    List<String> urls = r.getNonResourceURLs() == null ? List.of() : r.getNonResourceURLs();
    if (urls.isEmpty()) {
      errs.add(
          FieldError.required(
              path + ".nonResourceURLs", "nonResourceURLs must contain at least one value"));
    } else if (urls.contains("*")) {
      if (urls.size() > 1) {
        errs.add(
            FieldError.invalid(
                path + ".nonResourceURLs",
                GoValue.slice(urls),
                "if '*' is present, must not specify other non-resource URLs"));
      }
    } else {
      for (int i = 0; i < urls.size(); i++) {
        String msg = nonResourceUrl(urls.get(i));
        if (msg != null) {
          errs.add(FieldError.invalid(path + ".nonResourceURLs[" + i + "]", urls.get(i), msg));
        }
      }
    }
    return errs;
  }

  /** Kubernetes' {@code ValidateNonResourceURLPath}. */
  private static String nonResourceUrl(String url) {
    if (url.isEmpty()) {
      return "must not be empty";
    }
    if (url.equals("/")) {
      return null;
    }
    if (!url.startsWith("/")) {
      return "must start with slash";
    }
    if (url.contains(" ")) {
      return "must not contain white-space";
    }
    if (url.contains("//")) {
      return "must not contain double slash";
    }
    long wildcards = url.chars().filter(c -> c == '*').count();
    if (wildcards > 1 || (wildcards == 1 && !url.endsWith("/*"))) {
      return "wildcard can only do suffix matching";
    }
    return null;
  }

  /** Verbs: at least one, {@code *} alone, or only the verbs Kubernetes knows. */
  private static void verbs(List<FieldError> errs, String path, List<String> verbs) {
    if (verbs == null || verbs.isEmpty()) {
      errs.add(FieldError.required(path, "verbs must contain at least one value"));
    } else if (verbs.contains("*")) {
      if (verbs.size() > 1) {
        errs.add(
            FieldError.invalid(
                path, GoValue.slice(verbs), "if '*' is present, must not specify other verbs"));
      }
    } else if (!SUPPORTED_VERBS.containsAll(verbs)) {
      errs.add(
          FieldError.notSupported(
              path, GoValue.slice(verbs), EnumValidation.supported(SUPPORTED_VERBS)));
    }
  }

  private static void list(
      List<FieldError> errs, String path, List<String> values, String requiredMsg, String what) {
    if (values == null || values.isEmpty()) {
      errs.add(FieldError.required(path, requiredMsg));
    } else if (values.contains("*") && values.size() > 1) {
      errs.add(
          FieldError.invalid(
              path, GoValue.slice(values), "if '*' is present, must not specify other " + what));
    }
  }

  /**
   * A mandatory object's spec must equal the fixed one; of {@code exempt}'s, the {@code exempt}
   * field (its concurrency shares) is the administrator's to change.
   */
  private static void mandatory(
      List<FieldError> errs, String kind, String name, Object spec, boolean priorityLevel) {
    ObjectNode fixed = FlowControlBootstrap.mandatorySpec(kind, name).orElse(null);
    if (fixed == null) {
      return;
    }
    JsonNode want = JsonComparison.tree(JsonComparison.toModel(fixed, spec.getClass()));
    JsonNode have = JsonComparison.tree(spec);
    boolean exemptLevel = priorityLevel && FlowControlBootstrap.EXEMPT.equals(name);
    if (exemptLevel) {
      want = ((ObjectNode) want.deepCopy()).without("exempt");
      have = ((ObjectNode) have.deepCopy()).without("exempt");
    }
    if (!want.equals(have)) {
      errs.add(
          FieldError.invalid(
              "spec",
              have.toString(),
              exemptLevel
                  ? "spec of '"
                      + name
                      + "' except the 'spec.exempt' field must equal the fixed value"
                  : "spec of '" + name + "' must equal the fixed value"));
    }
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
