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

  private FlowControlValidation() {}

  public static final class FlowSchemaValidation implements Validator<FlowSchema> {
    @Override
    public List<FieldError> validate(FlowSchema fs) {
      List<FieldError> errs =
          new ArrayList<>(
              MetadataValidation.validate(fs.getMetadata(), NameRule.PATH_SEGMENT, false));
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
      if (spec.getDistinguisherMethod() != null) {
        String type = spec.getDistinguisherMethod().getType();
        if (!List.of("ByUser", "ByNamespace").contains(type)) {
          errs.add(
              FieldError.notSupported(
                  "spec.distinguisherMethod.type",
                  type,
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
        for (String msg : NameValidation.pathSegment(level)) {
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
              MetadataValidation.validate(pl.getMetadata(), NameRule.PATH_SEGMENT, false));
      PriorityLevelConfigurationSpec spec = pl.getSpec();
      if (spec == null) {
        spec = new PriorityLevelConfigurationSpec();
      }
      String type = spec.getType();
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
      } else if (type == null || type.isEmpty()) {
        errs.add(FieldError.required("spec.type", ""));
      } else {
        errs.add(
            FieldError.notSupported(
                "spec.type", type, "supported values: \"Exempt\", \"Limited\""));
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
    errs.addAll(lendable(path + ".lendablePercent", limited.getLendablePercent()));
    Integer borrowing = limited.getBorrowingLimitPercent();
    if (borrowing != null && borrowing < 0) {
      errs.add(
          FieldError.invalid(
              path + ".borrowingLimitPercent",
              borrowing,
              "if specified, must be a non-negative integer"));
    }
    LimitResponse response = limited.getLimitResponse();
    String rpath = path + ".limitResponse";
    String type = response == null ? null : response.getType();
    if ("Queue".equals(type)) {
      if (response.getQueuing() == null) {
        errs.add(FieldError.required(rpath + ".queuing", "must not be empty if the type is Queue"));
      } else {
        errs.addAll(queuing(response.getQueuing(), rpath + ".queuing"));
      }
    } else if ("Reject".equals(type)) {
      if (response.getQueuing() != null) {
        errs.add(
            FieldError.forbidden(
                rpath + ".queuing", "must be nil if limited.limitResponse.type is not Limited"));
      }
    } else if (type == null || type.isEmpty()) {
      errs.add(FieldError.required(rpath + ".type", ""));
    } else {
      errs.add(
          FieldError.notSupported(
              rpath + ".type", type, "supported values: \"Queue\", \"Reject\""));
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

  private static List<FieldError> subject(Subject s, String path) {
    List<FieldError> errs = new ArrayList<>();
    String kind = s.getKind();
    boolean user = "User".equals(kind);
    boolean group = "Group".equals(kind);
    boolean sa = "ServiceAccount".equals(kind);
    if (!user && !group && !sa) {
      errs.add(
          kind == null || kind.isEmpty()
              ? FieldError.required(path + ".kind", "")
              : FieldError.notSupported(
                  path + ".kind",
                  kind,
                  "supported values: \"Group\", \"ServiceAccount\", \"User\""));
      return errs;
    }
    member(errs, path, "serviceAccount", "ServiceAccount", sa, s.getServiceAccount() != null);
    member(errs, path, "user", "User", user, s.getUser() != null);
    member(errs, path, "group", "Group", group, s.getGroup() != null);
    if (sa && s.getServiceAccount() != null) {
      if (empty(s.getServiceAccount().getName())) {
        errs.add(FieldError.required(path + ".serviceAccount.name", "name is required"));
      }
      String ns = s.getServiceAccount().getNamespace();
      if (empty(ns)) {
        errs.add(FieldError.required(path + ".serviceAccount.namespace", "namespace is required"));
      } else {
        for (String msg : NameValidation.dns1123Label(ns)) {
          errs.add(FieldError.invalid(path + ".serviceAccount.namespace", ns, msg));
        }
      }
    }
    if (user && s.getUser() != null && empty(s.getUser().getName())) {
      errs.add(FieldError.required(path + ".user.name", "username is required"));
    }
    if (group && s.getGroup() != null && empty(s.getGroup().getName())) {
      errs.add(FieldError.required(path + ".group.name", "name is required"));
    }
    return errs;
  }

  private static void member(
      List<FieldError> errs,
      String path,
      String field,
      String kind,
      boolean wanted,
      boolean present) {
    if (wanted && !present) {
      errs.add(
          FieldError.required(
              path + "." + field, field + " is required when subject kind is '" + kind + "'"));
    } else if (!wanted && present) {
      errs.add(
          FieldError.forbidden(
              path + "." + field, field + " is forbidden when subject kind is not '" + kind + "'"));
    }
  }

  private static List<FieldError> resourceRule(ResourcePolicyRule r, String path) {
    List<FieldError> errs = new ArrayList<>();
    list(errs, path + ".verbs", r.getVerbs(), "verbs", "verbs");
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
                namespaces,
                "if '*' is present, must not specify other namespaces"));
      }
    } else {
      for (int i = 0; i < namespaces.size(); i++) {
        for (String msg : NameValidation.dns1123Label(namespaces.get(i))) {
          errs.add(FieldError.invalid(path + ".namespaces[" + i + "]", namespaces.get(i), msg));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> nonResourceRule(NonResourcePolicyRule r, String path) {
    List<FieldError> errs = new ArrayList<>();
    list(errs, path + ".verbs", r.getVerbs(), "verbs", "verbs");
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
                urls,
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
      return "wildcard can only do suffix glob matching";
    }
    return null;
  }

  private static void list(
      List<FieldError> errs, String path, List<String> values, String requiredMsg, String what) {
    if (values == null || values.isEmpty()) {
      errs.add(
          FieldError.required(
              path,
              requiredMsg.equals("verbs") ? "verbs must contain at least one value" : requiredMsg));
    } else if (values.contains("*") && values.size() > 1) {
      errs.add(
          FieldError.invalid(path, values, "if '*' is present, must not specify other " + what));
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
