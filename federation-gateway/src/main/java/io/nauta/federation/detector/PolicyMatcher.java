package io.nauta.federation.detector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.selector.LabelSelector;
import io.nauta.federation.api.ResourceSelector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which policy claims a template, as Karmada's detector decides ({@code
 * util.ResourceSelectorPriority} and {@code getHighestPriorityPropagationPolicy}): a selector
 * matches when apiVersion and kind are the template's, its namespace (if set) too, and then by name
 * (ignoring the label selector), else by label selector, else every template of the kind; the
 * policy with the highest explicit {@code priority} wins, then the one matching by name over by
 * labels over all, then the first name in alphabetical order.
 */
final class PolicyMatcher {

  static final int MISMATCH = 0;
  static final int MATCH_ALL = 1;
  static final int MATCH_LABEL_SELECTOR = 2;
  static final int MATCH_NAME = 3;

  private PolicyMatcher() {}

  static int priority(HasMetadata template, ResourceSelector selector) {
    if (!template.getApiVersion().equals(selector.apiVersion())
        || !template.getKind().equals(selector.kind())) {
      return MISMATCH;
    }
    String namespace = template.getMetadata().getNamespace();
    if (selector.namespace() != null
        && !selector.namespace().isEmpty()
        && !selector.namespace().equals(namespace)) {
      return MISMATCH;
    }
    if (selector.name() != null && !selector.name().isEmpty()) {
      return selector.name().equals(template.getMetadata().getName()) ? MATCH_NAME : MISMATCH;
    }
    if (selector.labelSelector() == null) {
      return MATCH_ALL;
    }
    try {
      Map<String, String> labels = template.getMetadata().getLabels();
      return LabelSelector.fromModel(selector.labelSelector())
              .matches(labels == null ? Map.of() : labels)
          ? MATCH_LABEL_SELECTOR
          : MISMATCH;
    } catch (BadRequestException invalid) {
      return MISMATCH;
    }
  }

  static int priority(HasMetadata template, List<ResourceSelector> selectors) {
    int best = MISMATCH;
    if (selectors != null) {
      for (ResourceSelector s : selectors) {
        best = Math.max(best, priority(template, s));
      }
    }
    return best;
  }

  /** The policy among {@code policies} that claims {@code template}, if any. */
  static <P extends HasMetadata> Optional<P> best(
      HasMetadata template,
      List<P> policies,
      Function<P, List<ResourceSelector>> selectors,
      Function<P, Integer> explicitPriority) {
    P matched = null;
    int matchedImplicit = MISMATCH;
    int matchedExplicit = Integer.MIN_VALUE;
    for (P policy : policies) {
      if (policy.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      int implicit = priority(template, selectors.apply(policy));
      if (implicit == MISMATCH) {
        continue;
      }
      Integer p = explicitPriority.apply(policy);
      int explicit = p == null ? 0 : p;
      if (matched == null || explicit > matchedExplicit) {
        matched = policy;
        matchedImplicit = implicit;
        matchedExplicit = explicit;
      } else if (explicit == matchedExplicit) {
        if (implicit > matchedImplicit) {
          matched = policy;
          matchedImplicit = implicit;
        } else if (implicit == matchedImplicit
            && policy.getMetadata().getName().compareTo(matched.getMetadata().getName()) < 0) {
          matched = policy;
        }
      }
    }
    return Optional.ofNullable(matched);
  }
}
