package io.nauta.controllers.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * TEST-ONLY STAND-IN for the ReplicaSet controller, so deployment integration tests run before the
 * real one is wired in: keeps each replica set's live (not terminating) pods at {@code
 * spec.replicas} (deleting not-ready and newest pods first) and writes {@code replicas}, {@code
 * readyReplicas}, {@code availableReplicas}, {@code fullyLabeledReplicas} and {@code
 * observedGeneration}. No adoption, no expectations beyond remembering its own creates and deletes
 * until the cache shows them, no minReadySeconds. Replace with the real controller when it lands.
 */
public final class StubReplicaSets implements AutoCloseable {

  private final ResourceClient<ReplicaSet> replicaSets;
  private final ResourceClient<Pod> pods;
  private final SharedInformer<ReplicaSet> rsInformer;
  private final SharedInformer<Pod> podInformer;
  private final Sinks.Many<String> keys = Sinks.many().unicast().onBackpressureBuffer();
  private final Map<String, Set<String>> creating = new ConcurrentHashMap<>();
  private final Set<String> deleting = ConcurrentHashMap.newKeySet();
  private final Disposable.Composite running = Disposables.composite();

  public StubReplicaSets(KubeClient client) {
    this.replicaSets = client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class);
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
    this.rsInformer = new SharedInformer<>(replicaSets, null);
    this.podInformer = new SharedInformer<>(pods, null);
  }

  public StubReplicaSets start() {
    running.add(keys.asFlux().concatMap(k -> sync(k).onErrorResume(e -> Mono.empty())).subscribe());
    running.add(rsInformer.events().subscribe(e -> enqueue(InformerStore.keyOf(e.object()))));
    running.add(podInformer.events().subscribe(this::onPod));
    running.add(
        Flux.interval(Duration.ofSeconds(1))
            .subscribe(t -> rsInformer.store().keys().forEach(this::enqueue)));
    rsInformer.start();
    podInformer.start();
    rsInformer.synced().block(Duration.ofSeconds(10));
    podInformer.synced().block(Duration.ofSeconds(10));
    return this;
  }

  private synchronized void enqueue(String key) {
    keys.tryEmitNext(key);
  }

  private void onPod(InformerEvent<Pod> event) {
    Pod pod = event.object();
    String name = pod.getMetadata().getName();
    if (event.type() == InformerEvent.Type.DELETED) {
      deleting.remove(name);
    }
    creating.values().forEach(s -> s.remove(name));
    OwnerReferences.controllerOf(pod)
        .ifPresent(r -> enqueue(InformerStore.key(pod.getMetadata().getNamespace(), r.getName())));
  }

  private Mono<Void> sync(String key) {
    ReplicaSet rs = rsInformer.store().get(key).orElse(null);
    if (rs == null || rs.getMetadata().getDeletionTimestamp() != null) {
      return Mono.empty();
    }
    String uid = rs.getMetadata().getUid();
    List<Pod> live =
        podInformer.store().byIndex(InformerStore.BY_OWNER_UID, uid).stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> !deleting.contains(p.getMetadata().getName()))
            .toList();
    Set<String> pending = creating.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    int have = live.size() + pending.size();
    Mono<Void> act = Mono.empty();
    if (have < want) {
      List<Mono<Pod>> creates = new ArrayList<>();
      for (int i = have; i < want; i++) {
        String name =
            rs.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5);
        pending.add(name);
        Pod pod =
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(rs.getSpec().getTemplate().getMetadata().getLabels())
                .withOwnerReferences(OwnerReferences.controllerReference(withKind(rs)))
                .endMetadata()
                .withSpec(rs.getSpec().getTemplate().getSpec())
                .build();
        creates.add(pods.create(pod).doOnError(e -> pending.remove(name)));
      }
      act = Flux.concat(creates).then();
    } else if (live.size() > want && pending.isEmpty()) {
      List<Pod> victims =
          live.stream()
              .sorted(
                  Comparator.comparing((Pod p) -> isReady(p))
                      .thenComparing(
                          p -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
              .limit(live.size() - want)
              .toList();
      act =
          Flux.fromIterable(victims)
              .concatMap(
                  p -> {
                    deleting.add(p.getMetadata().getName());
                    return pods.delete(p.getMetadata().getNamespace(), p.getMetadata().getName())
                        .onErrorResume(e -> Mono.empty());
                  })
              .then();
    }
    return act.then(Mono.defer(() -> writeStatus(key)));
  }

  private Mono<Void> writeStatus(String key) {
    ReplicaSet rs = rsInformer.store().get(key).orElse(null);
    if (rs == null) {
      return Mono.empty();
    }
    List<Pod> live =
        podInformer.store().byIndex(InformerStore.BY_OWNER_UID, rs.getMetadata().getUid()).stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> !deleting.contains(p.getMetadata().getName()))
            .toList();
    int ready = (int) live.stream().filter(StubReplicaSets::isReady).count();
    ReplicaSet next =
        new ReplicaSetBuilder(rs)
            .editOrNewStatus()
            .withReplicas(live.size())
            .withFullyLabeledReplicas(live.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withObservedGeneration(rs.getMetadata().getGeneration())
            .endStatus()
            .build();
    if (next.getStatus().equals(rs.getStatus())) {
      return Mono.empty();
    }
    return replicaSets.updateStatus(next).then();
  }

  private static ReplicaSet withKind(ReplicaSet rs) {
    ReplicaSet copy = new ReplicaSetBuilder(rs).build();
    copy.setApiVersion("apps/v1");
    copy.setKind("ReplicaSet");
    return copy;
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    running.dispose();
    rsInformer.close();
    podInformer.close();
  }
}
