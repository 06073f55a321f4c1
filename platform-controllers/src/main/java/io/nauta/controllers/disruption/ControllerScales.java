package io.nauta.controllers.disruption;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.nauta.controllers.scale.ScaleTargets;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code getExpectedScale}: the pods a budget expects when its bound is {@code
 * maxUnavailable} or a percentage, the sum of the scales of the pods' controllers (each counted
 * once) — a Deployment's replicas for its ReplicaSets' pods, a ReplicaSet's or StatefulSet's own,
 * any other controller's through its {@code scale} subresource. Pods without a controller are
 * {@link Expected#unmanaged()} and count nothing; a controller that cannot be found, or whose kind
 * has no {@code scale} (a Job, a DaemonSet), is an {@link ExpectedCountException}, after which the
 * budget allows no disruption (upstream's {@code failSafe}).
 */
final class ControllerScales {

  /** The scales' sum, and the pods without a controller by name. */
  record Expected(int pods, List<String> unmanaged) {}

  /** Upstream's error from {@code getExpectedPodCount}; its message goes into the condition. */
  static final class ExpectedCountException extends RuntimeException {
    ExpectedCountException(String message) {
      super(message, null, false, false);
    }
  }

  /** One controller and its desired scale, keyed by the controller's uid. */
  private record Scale(String uid, int replicas) {}

  private final InformerStore<ReplicaSet> replicaSets;
  private final InformerStore<Deployment> deployments;
  private final InformerStore<StatefulSet> statefulSets;
  private final ScaleTargets scales;

  ControllerScales(
      InformerStore<ReplicaSet> replicaSets,
      InformerStore<Deployment> deployments,
      InformerStore<StatefulSet> statefulSets,
      ScaleTargets scales) {
    this.replicaSets = replicaSets;
    this.deployments = deployments;
    this.statefulSets = statefulSets;
    this.scales = scales;
  }

  Mono<Expected> of(List<Pod> pods) {
    List<String> unmanaged = new ArrayList<>();
    Map<String, Pod> firstPodOf = new LinkedHashMap<>();
    for (Pod pod : pods) {
      Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
      if (ref.isEmpty()) {
        unmanaged.add(pod.getMetadata().getName());
      } else {
        firstPodOf.putIfAbsent(ref.get().getUid(), pod);
      }
    }
    return Flux.fromIterable(firstPodOf.values())
        .concatMap(this::scaleOf)
        .collectMap(Scale::uid, Scale::replicas)
        .map(
            byUid ->
                new Expected(
                    byUid.values().stream().mapToInt(Integer::intValue).sum(),
                    List.copyOf(unmanaged)));
  }

  /** Upstream's finders in its order; the first that knows the controller answers. */
  private Mono<Scale> scaleOf(Pod pod) {
    OwnerReference ref = OwnerReferences.controllerOf(pod).orElseThrow();
    String namespace = pod.getMetadata().getNamespace();
    Optional<Scale> builtIn =
        deploymentOf(ref, namespace)
            .or(() -> replicaSet(ref, namespace))
            .or(() -> statefulSet(ref, namespace));
    if (builtIn.isPresent()) {
      return Mono.just(builtIn.get());
    }
    Mono<Scale> none =
        Mono.error(
            new ExpectedCountException(
                "found no controllers for pod \"" + pod.getMetadata().getName() + "\""));
    if (isKind(ref, "ReplicaSet", Set.of("apps", "extensions"))
        || isKind(ref, "StatefulSet", Set.of("apps"))) {
      return none; // a built-in workload not (or no longer) in the cache
    }
    CrossVersionObjectReference target =
        new CrossVersionObjectReference(ref.getApiVersion(), ref.getKind(), ref.getName());
    return scales
        .find(namespace, target)
        .onErrorMap(
            ScaleTargets.NoScaleException.class, e -> new ExpectedCountException(e.getMessage()))
        .flatMap(
            scale ->
                scale
                    .filter(s -> ref.getUid().equals(uid(s)))
                    .map(
                        s ->
                            Mono.just(
                                new Scale(ref.getUid(), s.path("spec").path("replicas").asInt(0))))
                    .orElse(none));
  }

  /** A ReplicaSet's pod whose ReplicaSet a Deployment controls: the Deployment's replicas. */
  private Optional<Scale> deploymentOf(OwnerReference ref, String namespace) {
    return replicaSetOf(ref, namespace)
        .flatMap(OwnerReferences::controllerOf)
        .filter(owner -> isKind(owner, "Deployment", Set.of("apps", "extensions")))
        .flatMap(
            owner ->
                deployments
                    .get(namespace, owner.getName())
                    .filter(d -> owner.getUid().equals(d.getMetadata().getUid()))
                    .map(d -> new Scale(owner.getUid(), replicas(d.getSpec().getReplicas()))));
  }

  /** A ReplicaSet no Deployment controls: its own replicas. */
  private Optional<Scale> replicaSet(OwnerReference ref, String namespace) {
    return replicaSetOf(ref, namespace)
        .filter(
            rs ->
                OwnerReferences.controllerOf(rs)
                    .map(owner -> !"Deployment".equals(owner.getKind()))
                    .orElse(true))
        .map(rs -> new Scale(ref.getUid(), replicas(rs.getSpec().getReplicas())));
  }

  /** The cached ReplicaSet {@code ref} names, if it is one and has that uid. */
  private Optional<ReplicaSet> replicaSetOf(OwnerReference ref, String namespace) {
    if (!isKind(ref, "ReplicaSet", Set.of("apps", "extensions"))) {
      return Optional.empty();
    }
    return replicaSets
        .get(namespace, ref.getName())
        .filter(rs -> ref.getUid().equals(rs.getMetadata().getUid()));
  }

  private Optional<Scale> statefulSet(OwnerReference ref, String namespace) {
    if (!isKind(ref, "StatefulSet", Set.of("apps"))) {
      return Optional.empty();
    }
    return statefulSets
        .get(namespace, ref.getName())
        .filter(s -> ref.getUid().equals(s.getMetadata().getUid()))
        .map(s -> new Scale(ref.getUid(), replicas(s.getSpec().getReplicas())));
  }

  /** Upstream's {@code verifyGroupKind}. */
  private static boolean isKind(OwnerReference ref, String kind, Set<String> groups) {
    String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return kind.equals(ref.getKind()) && groups.contains(group);
  }

  private static String uid(ObjectNode scale) {
    return scale.path("metadata").path("uid").asString("");
  }

  private static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }
}
