package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import reactor.core.publisher.Mono;

/** Records every call; creates fail as {@link #failCreate} says (by 1-based call number). */
class FakeReplicaSetClient implements ReplicaSetClient {

  record Patch(String name, String body) {}

  final List<Pod> created = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  final List<Patch> patches = new CopyOnWriteArrayList<>();
  final List<ReplicaSetStatus> statuses = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicInteger createCalls = new AtomicInteger();
  volatile IntFunction<RuntimeException> failCreate = n -> null;

  private final InformerStore<ReplicaSet> replicaSets;
  private final InformerStore<Pod> pods;

  FakeReplicaSetClient(InformerStore<ReplicaSet> replicaSets, InformerStore<Pod> pods) {
    this.replicaSets = replicaSets;
    this.pods = pods;
  }

  @Override
  public Mono<Pod> createPod(String namespace, Pod pod) {
    int n = createCalls.incrementAndGet();
    RuntimeException failure = failCreate.apply(n);
    if (failure != null) {
      return Mono.error(failure);
    }
    Pod done =
        new PodBuilder(pod)
            .editMetadata()
            .withName(pod.getMetadata().getGenerateName() + "p" + n)
            .withUid("created-" + n)
            .endMetadata()
            .build();
    created.add(done);
    return Mono.just(done);
  }

  @Override
  public Mono<Void> deletePod(String namespace, String name) {
    deleted.add(name);
    return Mono.empty();
  }

  @Override
  public Mono<Pod> patchPod(String namespace, String name, String body) {
    patches.add(new Patch(name, body));
    return Mono.justOrEmpty(pods.get(namespace, name));
  }

  @Override
  public Mono<ReplicaSet> getReplicaSet(String namespace, String name) {
    return Mono.justOrEmpty(replicaSets.get(namespace, name))
        .switchIfEmpty(Mono.error(new NotFoundException("replicasets \"" + name + "\" not found")));
  }

  @Override
  public Mono<Void> updateStatus(ReplicaSet rs, ReplicaSetStatus status) {
    statuses.add(status);
    return Mono.empty();
  }

  @Override
  public Mono<Void> event(ReplicaSet rs, String type, String reason, String message) {
    events.add(type + " " + reason + " " + message);
    return Mono.empty();
  }

  ReplicaSetStatus lastStatus() {
    return statuses.get(statuses.size() - 1);
  }
}
