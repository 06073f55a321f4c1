package io.nauta.scheduler.framework;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.nauta.core.selector.LabelSelector;
import java.util.List;
import java.util.Set;

/**
 * A pod affinity or anti-affinity term parsed once (Kubernetes' {@code framework.AffinityTerm}):
 * which namespaces it looks at, which pods it selects there, and the topology key that defines
 * "together".
 *
 * <p>Namespaces: the term's {@code namespaces} list; a non-null but empty {@code namespaceSelector}
 * selects every namespace. Namespace labels are not known to the scheduler yet, so a non-empty
 * {@code namespaceSelector} selects no namespace beyond the list. With neither, the term looks at
 * the namespace of the pod that carries it.
 */
public record AffinityTerm(
    Set<String> namespaces, boolean allNamespaces, LabelSelector selector, String topologyKey) {

  /**
   * @throws io.nauta.core.errors.BadRequestException when the label selector is invalid
   */
  public static AffinityTerm of(PodAffinityTerm term, String podNamespace) {
    List<String> listed = term.getNamespaces() == null ? List.of() : term.getNamespaces();
    io.fabric8.kubernetes.api.model.LabelSelector nsSelector = term.getNamespaceSelector();
    Set<String> namespaces =
        listed.isEmpty() && nsSelector == null
            ? Set.of(podNamespace == null ? "" : podNamespace)
            : Set.copyOf(listed);
    boolean all =
        nsSelector != null
            && (nsSelector.getMatchLabels() == null || nsSelector.getMatchLabels().isEmpty())
            && (nsSelector.getMatchExpressions() == null
                || nsSelector.getMatchExpressions().isEmpty());
    return new AffinityTerm(
        namespaces,
        all,
        LabelSelector.fromModel(term.getLabelSelector()),
        term.getTopologyKey() == null ? "" : term.getTopologyKey());
  }

  /** Whether {@code pod} is one of the pods this term selects. */
  public boolean matches(PodInfo pod) {
    String ns = pod.namespace();
    return (allNamespaces || namespaces.contains(ns == null ? "" : ns))
        && selector.matches(pod.labels());
  }
}
