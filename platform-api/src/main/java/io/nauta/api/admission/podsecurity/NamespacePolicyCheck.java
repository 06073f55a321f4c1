package io.nauta.api.admission.podsecurity;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.resource.Meta;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pod Security on namespaces (upstream's {@code ValidateNamespace}): labels that do not parse are
 * refused (422) unless an update leaves them as they were; a stricter enforce level (or another
 * version) warns about the existing pods that would violate it, one line per distinct violation
 * naming a pod; an exempt namespace given labels is told they will be ignored.
 */
final class NamespacePolicyCheck {

  /** Upstream's bounds on checking existing pods. */
  static final int MAX_PODS = 3000;

  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final Policy defaults;
  private final Evaluator evaluator;
  private final PodSecurityProperties.Exemptions exemptions;
  private final Supplier<WatchCache> pods;
  private final Function<JsonNode, PodSecurityAdmission.PodView> decode;

  NamespacePolicyCheck(
      Policy defaults,
      Evaluator evaluator,
      PodSecurityProperties.Exemptions exemptions,
      Supplier<WatchCache> pods,
      Function<JsonNode, PodSecurityAdmission.PodView> decode) {
    this.defaults = defaults;
    this.evaluator = evaluator;
    this.exemptions = exemptions;
    this.pods = pods;
    this.decode = decode;
  }

  /** The warnings for a namespace created ({@code old} null) or updated; 422 for bad labels. */
  List<String> validate(ObjectNode namespace, ObjectNode old) {
    String name = Meta.name(namespace);
    Map<String, String> labels = PodSecurityAdmission.labelsOf(namespace);
    Policy.Evaluation now = Policy.of(labels, defaults);
    if (old == null) {
      if (!now.errors().isEmpty()) {
        throw invalid(name, now);
      }
      return exemptWarning(name, now.policy(), labels);
    }
    Policy.Evaluation before = Policy.of(PodSecurityAdmission.labelsOf(old), defaults);
    if (!now.errors().isEmpty()
        && (before.errors().isEmpty() || !now.errors().equals(before.errors()))) {
      throw invalid(name, now);
    }
    LevelVersion enforce = now.policy().enforce();
    LevelVersion was = before.policy().enforce();
    if (enforce.equals(was) || enforce.level() == Level.PRIVILEGED) {
      return List.of();
    }
    if (enforce.version().equals(was.version()) && !enforce.level().stricterThan(was.level())) {
      return List.of();
    }
    if (exemptions.namespaces().contains(name)) {
      return exemptWarning(name, now.policy(), labels);
    }
    return existingPods(name, enforce);
  }

  private static InvalidException invalid(String name, Policy.Evaluation evaluation) {
    return new InvalidException(
        "Namespace", new ResourceRef("", "Namespace", name), evaluation.errors());
  }

  /** Upstream's {@code exemptNamespaceWarning}. */
  private List<String> exemptWarning(String name, Policy policy, Map<String, String> labels) {
    if (!exemptions.namespaces().contains(name)
        || policy.fullyPrivileged()
        || policy.equivalent(defaults)) {
      return List.of();
    }
    List<String> modes = new ArrayList<>();
    addMode(modes, "enforce", policy.enforce(), labels, Policy.ENFORCE, Policy.ENFORCE_VERSION);
    addMode(modes, "audit", policy.audit(), labels, Policy.AUDIT, Policy.AUDIT_VERSION);
    addMode(modes, "warn", policy.warn(), labels, Policy.WARN, Policy.WARN_VERSION);
    return List.of(
        "namespace \""
            + name
            + "\" is exempt from Pod Security, and the policy ("
            + String.join(", ", modes)
            + ") will be ignored");
  }

  private static void addMode(
      List<String> modes,
      String mode,
      LevelVersion lv,
      Map<String, String> labels,
      String levelLabel,
      String versionLabel) {
    if (lv.level() != Level.PRIVILEGED
        && (labels.containsKey(levelLabel) || labels.containsKey(versionLabel))) {
      modes.add(mode + "=" + lv);
    }
  }

  private record Seen(String podName, int count) {}

  /** Upstream's {@code EvaluatePodsInNamespace}. */
  List<String> existingPods(String namespace, LevelVersion enforce) {
    WatchCache cache = pods.get();
    if (cache == null || !cache.isSynced()) {
      return List.of("failed to list pods while checking new PodSecurity enforce level");
    }
    List<CachedObject> all =
        prioritized(
            cache
                .list(
                    new ObjectFilter(
                        namespace, LabelSelector.everything(), FieldSelector.everything()),
                    0,
                    null)
                .items());
    int total = all.size();
    List<CachedObject> checking = all.size() > MAX_PODS ? all.subList(0, MAX_PODS) : all;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int checked = checking.size();
    List<String> reasons = new ArrayList<>();
    Map<String, Seen> seen = new LinkedHashMap<>();
    for (int i = 0; i < checking.size(); i++) {
      CachedObject pod = checking.get(i);
      PodSecurityAdmission.PodView view;
      try {
        view = decode.apply(pod.node());
      } catch (RuntimeException e) {
        continue;
      }
      Evaluator.Verdict v = evaluator.verdict(enforce, view.metadata(), view.spec());
      if (!v.allowed()) {
        String reason = v.forbiddenReason();
        Seen s = seen.get(reason);
        if (s == null) {
          reasons.add(reason);
          seen.put(reason, new Seen(pod.name(), 1));
        } else {
          String first = pod.name().compareTo(s.podName()) < 0 ? pod.name() : s.podName();
          seen.put(reason, new Seen(first, s.count() + 1));
        }
      }
      if (System.nanoTime() > deadline) {
        checked = i + 1;
        break;
      }
    }
    List<String> warnings = new ArrayList<>();
    if (checked < total) {
      warnings.add(
          "new PodSecurity enforce level only checked against the first "
              + checked
              + " of "
              + total
              + " existing pods");
    }
    if (!reasons.isEmpty()) {
      warnings.add(
          "existing pods in namespace \""
              + namespace
              + "\" violate the new PodSecurity enforce level \""
              + enforce
              + "\"");
    }
    List<String> decorated = new ArrayList<>();
    for (String reason : reasons) {
      Seen s = seen.get(reason);
      decorated.add(
          switch (s.count()) {
            case 1 -> s.podName() + ": " + reason;
            case 2 -> s.podName() + " (and 1 other pod): " + reason;
            default -> s.podName() + " (and " + (s.count() - 1) + " other pods): " + reason;
          });
    }
    decorated.sort(null);
    warnings.addAll(decorated);
    return warnings;
  }

  /**
   * Upstream's {@code prioritizePods}: pods of exempt runtime classes left out, one pod per
   * controller first, the other replicas of a controller after every distinct one.
   */
  private List<CachedObject> prioritized(List<CachedObject> pods) {
    List<CachedObject> first = new ArrayList<>();
    List<CachedObject> replicas = new ArrayList<>();
    Set<String> controllers = new HashSet<>();
    for (CachedObject pod : pods) {
      String runtimeClass = pod.node().path("spec").path("runtimeClassName").asString("");
      if (!runtimeClass.isEmpty() && exemptions.runtimeClasses().contains(runtimeClass)) {
        continue;
      }
      String controller = null;
      for (JsonNode ref : pod.node().path("metadata").path("ownerReferences")) {
        if (ref.path("controller").asBoolean(false)) {
          controller = ref.path("uid").asString("");
          break;
        }
      }
      if (controller == null) {
        first.add(pod);
      } else if (controllers.add(controller)) {
        first.add(pod);
      } else {
        replicas.add(pod);
      }
    }
    first.addAll(replicas);
    return first;
  }
}
