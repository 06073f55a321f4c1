package io.nauta.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.nauta.core.errors.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what scheduling needs computed once: its effective requests, the same with Kubernetes'
 * non-zero defaults for scoring, its host ports and its controller owner. The pod is a shared
 * informer object and is never changed.
 */
public final class PodInfo {

  /** Kubernetes scores a container without requests as if it asked for 100m cpu… */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;

  /** …and 200 MiB of memory, so empty nodes still win over full ones. */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  private final Pod pod;
  private final Resources requests;
  private final Resources nonZeroRequests;
  private final List<HostPort> hostPorts;
  private final List<AffinityTerm> requiredAffinityTerms;
  private final List<AffinityTerm> requiredAntiAffinityTerms;
  private final List<WeightedAffinityTerm> preferredAffinityTerms;
  private final List<WeightedAffinityTerm> preferredAntiAffinityTerms;
  private final String affinityError;
  private final String controllerUid;
  private final Owner owner;
  private final Owner liveOwner;

  /**
   * A controller owner as spreading tells siblings apart: its uid within the pod's namespace (an
   * owner reference never points across namespaces).
   */
  public record Owner(String namespace, String uid) {}

  private PodInfo(Pod pod) {
    this.pod = pod;
    PodSpec spec = pod.getSpec();
    this.requests = effectiveRequests(spec, false);
    this.nonZeroRequests = effectiveRequests(spec, true);
    this.hostPorts = hostPorts(spec);
    this.controllerUid = controllerUid(pod);
    this.owner =
        controllerUid == null ? null : new Owner(pod.getMetadata().getNamespace(), controllerUid);
    this.liveOwner = pod.getMetadata().getDeletionTimestamp() == null ? owner : null;
    // Parsed once here, as Kubernetes' PodInfo does: the inter-pod affinity plugin reads the terms
    // of every pod with affinity in the cluster for every pod it schedules.
    List<AffinityTerm> reqAff = List.of();
    List<AffinityTerm> reqAnti = List.of();
    List<WeightedAffinityTerm> prefAff = List.of();
    List<WeightedAffinityTerm> prefAnti = List.of();
    String error = null;
    Affinity a = affinity();
    if (a != null && (a.getPodAffinity() != null || a.getPodAntiAffinity() != null)) {
      String ns = pod.getMetadata().getNamespace();
      try {
        if (a.getPodAffinity() != null) {
          reqAff =
              terms(a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), ns);
          prefAff =
              weighted(a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), ns);
        }
        if (a.getPodAntiAffinity() != null) {
          reqAnti =
              terms(a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), ns);
          prefAnti =
              weighted(
                  a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), ns);
        }
      } catch (BadRequestException e) {
        reqAff = reqAnti = List.of();
        prefAff = prefAnti = List.of();
        error = e.getMessage();
      }
    }
    this.requiredAffinityTerms = reqAff;
    this.requiredAntiAffinityTerms = reqAnti;
    this.preferredAffinityTerms = prefAff;
    this.preferredAntiAffinityTerms = prefAnti;
    this.affinityError = error;
  }

  public static PodInfo of(Pod pod) {
    return new PodInfo(pod);
  }

  public Pod pod() {
    return pod;
  }

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  public String uid() {
    return pod.getMetadata().getUid();
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace() + "/" + name();
  }

  public Map<String, String> labels() {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  /**
   * What the pod asks of a node: the larger of the sum over its containers and the largest init
   * container (init containers run one at a time, before the others), plus the pod overhead.
   */
  public Resources requests() {
    return requests;
  }

  /** {@link #requests()} with cpu and memory defaulted per container, for scoring only. */
  public Resources nonZeroRequests() {
    return nonZeroRequests;
  }

  public List<HostPort> hostPorts() {
    return hostPorts;
  }

  /** The uid of the owner reference with {@code controller: true}, or {@code null}. */
  public String controllerUid() {
    return controllerUid;
  }

  /** The pod's controller owner, or {@code null} when it has none. */
  public Owner owner() {
    return owner;
  }

  /**
   * The controller owner while the pod is not being deleted, or {@code null}: what a node counts
   * for spreading.
   */
  public Owner liveOwner() {
    return liveOwner;
  }

  private static String controllerUid(Pod pod) {
    List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
    if (refs != null) {
      for (OwnerReference ref : refs) {
        if (Boolean.TRUE.equals(ref.getController())) {
          return ref.getUid();
        }
      }
    }
    return null;
  }

  /** The pod's affinity, or {@code null}. */
  public Affinity affinity() {
    return pod.getSpec() == null ? null : pod.getSpec().getAffinity();
  }

  /** True when the pod has pod affinity or anti-affinity terms (required or preferred). */
  public boolean hasPodAffinityTerms() {
    Affinity a = affinity();
    return a != null && (a.getPodAffinity() != null || a.getPodAntiAffinity() != null);
  }

  /** Required pod affinity terms, parsed. */
  public List<AffinityTerm> requiredAffinityTerms() {
    return requiredAffinityTerms;
  }

  /** Required pod anti-affinity terms, parsed. */
  public List<AffinityTerm> requiredAntiAffinityTerms() {
    return requiredAntiAffinityTerms;
  }

  /** Preferred pod affinity terms with a non-zero weight, parsed. */
  public List<WeightedAffinityTerm> preferredAffinityTerms() {
    return preferredAffinityTerms;
  }

  /** Preferred pod anti-affinity terms with a non-zero weight, parsed. */
  public List<WeightedAffinityTerm> preferredAntiAffinityTerms() {
    return preferredAntiAffinityTerms;
  }

  /**
   * Why the pod's affinity terms could not be parsed (an invalid label selector), or {@code null};
   * a pod with such terms is treated as having none.
   */
  public String affinityError() {
    return affinityError;
  }

  private static List<AffinityTerm> terms(List<PodAffinityTerm> terms, String namespace) {
    List<AffinityTerm> out = new ArrayList<>();
    for (PodAffinityTerm t : orEmpty(terms)) {
      out.add(AffinityTerm.of(t, namespace));
    }
    return List.copyOf(out);
  }

  private static List<WeightedAffinityTerm> weighted(
      List<WeightedPodAffinityTerm> terms, String namespace) {
    List<WeightedAffinityTerm> out = new ArrayList<>();
    for (WeightedPodAffinityTerm t : orEmpty(terms)) {
      int weight = t.getWeight() == null ? 0 : t.getWeight();
      if (weight != 0 && t.getPodAffinityTerm() != null) {
        out.add(
            new WeightedAffinityTerm(AffinityTerm.of(t.getPodAffinityTerm(), namespace), weight));
      }
    }
    return List.copyOf(out);
  }

  private static Resources effectiveRequests(PodSpec spec, boolean nonZero) {
    Resources sum = new Resources();
    if (spec == null) {
      return sum;
    }
    for (Container c : orEmpty(spec.getContainers())) {
      sum.add(containerRequests(c, nonZero));
    }
    for (Container c : orEmpty(spec.getInitContainers())) {
      sum.max(containerRequests(c, nonZero));
    }
    if (spec.getOverhead() != null) {
      sum.add(Resources.of(spec.getOverhead()));
    }
    return sum;
  }

  private static Resources containerRequests(Container c, boolean nonZero) {
    Resources r = Resources.of(c.getResources() == null ? null : c.getResources().getRequests());
    if (nonZero) {
      if (r.milliCpu() == 0) {
        r.set(Resources.CPU, DEFAULT_MILLI_CPU_REQUEST);
      }
      if (r.memory() == 0) {
        r.set(Resources.MEMORY, DEFAULT_MEMORY_REQUEST);
      }
    }
    return r;
  }

  private static List<HostPort> hostPorts(PodSpec spec) {
    List<HostPort> ports = new ArrayList<>();
    if (spec == null) {
      return ports;
    }
    List<Container> all = new ArrayList<>(orEmpty(spec.getContainers()));
    all.addAll(orEmpty(spec.getInitContainers()));
    for (Container c : all) {
      for (ContainerPort p : orEmpty(c.getPorts())) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          ports.add(HostPort.of(p.getProtocol(), p.getHostIP(), p.getHostPort()));
        }
      }
    }
    return List.copyOf(ports);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  @Override
  public String toString() {
    return key();
  }
}
