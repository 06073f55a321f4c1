package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * An in-memory API for one deployment and its replica sets that records every write and event, plus
 * a stand-in for the replica set controller ({@link #runReplicaSets}), so rollouts can be driven
 * step by step without a server.
 */
final class FakeApi implements DeploymentWriter {

  final Map<String, ReplicaSet> replicaSets = new LinkedHashMap<>();
  final List<String> writes = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  Deployment deployment;
  Instant now = Instant.parse("2024-05-01T10:00:00Z");
  private long rv = 100;
  private int uids;
  private final DeploymentReconciler reconciler;

  /** Pods of a replica set that never become available (by RS name). */
  Predicate<ReplicaSet> neverAvailable = rs -> false;

  FakeApi(Deployment d) {
    this.deployment = d;
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now;
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    this.reconciler = new DeploymentReconciler(this, clock);
  }

  static Deployment deployment(int replicas, String image) {
    return new DeploymentBuilder()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withUid("web-uid")
        .withGeneration(1L)
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(10)
        .withProgressDeadlineSeconds(600)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString("25%"))
        .withMaxUnavailable(new IntOrString("25%"))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("nginx")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** One sync, as the controller would run it on the current state. */
  Result sync() {
    List<ReplicaSet> rss = List.copyOf(replicaSets.values());
    return reconciler.reconcile(Copies.deep(deployment), rss, uid -> List.<Pod>of()).block();
  }

  /** A user's change to the spec (generation bumps, as the API server does). */
  void edit(Consumer<Deployment> change) {
    Deployment d = Copies.deep(deployment);
    change.accept(d);
    d.getMetadata().setGeneration(d.getMetadata().getGeneration() + 1);
    d.getMetadata().setResourceVersion(Long.toString(++rv));
    deployment = d;
  }

  /**
   * The replica set controller: every replica set runs spec.replicas pods, all ready and available
   * unless {@link #neverAvailable} says otherwise.
   */
  void runReplicaSets() {
    for (ReplicaSet rs : List.copyOf(replicaSets.values())) {
      int n = ReplicaSets.replicas(rs);
      int available = neverAvailable.test(rs) ? 0 : n;
      ReplicaSet copy = Copies.deep(rs);
      copy.setStatus(
          new ReplicaSetStatus(
              available, null, n, rs.getMetadata().getGeneration(), available, n, null));
      if (!Objects.equals(copy.getStatus(), rs.getStatus())) {
        copy.getMetadata().setResourceVersion(Long.toString(++rv));
        replicaSets.put(rs.getMetadata().getName(), copy);
      }
    }
  }

  /** Syncs and runs the replica sets until nothing changes (at most {@code max} rounds). */
  int converge(int max) {
    for (int i = 0; i < max; i++) {
      int before = writes.size();
      String beforeState = replicaSets.toString() + deployment.getStatus();
      sync();
      runReplicaSets();
      if (writes.size() == before
          && beforeState.equals(replicaSets.toString() + deployment.getStatus())) {
        return i;
      }
    }
    return max;
  }

  ReplicaSet rs(String image) {
    return replicaSets.values().stream()
        .filter(
            rs ->
                image.equals(
                    rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
        .findFirst()
        .orElse(null);
  }

  int size(String image) {
    ReplicaSet rs = rs(image);
    return rs == null ? 0 : ReplicaSets.replicas(rs);
  }

  String revision(String image) {
    return Revisions.annotation(rs(image), Revisions.REVISION);
  }

  String condition(String type) {
    var c = Conditions.get(deployment.getStatus(), type);
    return c == null ? null : c.getStatus() + "/" + c.getReason();
  }

  @Override
  public Mono<ReplicaSet> createReplicaSet(ReplicaSet rs) {
    String name = rs.getMetadata().getName();
    if (replicaSets.containsKey(name)) {
      return Mono.error(new AlreadyExistsException(new ResourceRef("apps", "replicasets", name)));
    }
    ReplicaSet copy = Copies.deep(rs);
    copy.getMetadata().setUid("rs-uid-" + (++uids));
    copy.getMetadata().setResourceVersion(Long.toString(++rv));
    copy.getMetadata().setGeneration(1L);
    // Distinct creation times, one second apart, so "oldest" is well defined.
    copy.getMetadata().setCreationTimestamp(now.plusSeconds(uids).toString());
    replicaSets.put(name, copy);
    writes.add("create " + name + " " + ReplicaSets.replicas(copy));
    return Mono.just(Copies.deep(copy));
  }

  @Override
  public Mono<ReplicaSet> updateReplicaSet(ReplicaSet rs) {
    String name = rs.getMetadata().getName();
    ReplicaSet stored = replicaSets.get(name);
    if (stored == null) {
      return Mono.error(new NotFoundException("replicasets \"" + name + "\" not found"));
    }
    if (!Objects.equals(
        stored.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) {
      return Mono.error(
          new ConflictException("stale", new ResourceRef("apps", "replicasets", name)));
    }
    ReplicaSet copy = Copies.deep(rs);
    copy.setStatus(stored.getStatus());
    copy.getMetadata().setResourceVersion(Long.toString(++rv));
    if (!Objects.equals(copy.getSpec(), stored.getSpec())) {
      copy.getMetadata().setGeneration(stored.getMetadata().getGeneration() + 1);
    }
    replicaSets.put(name, copy);
    if (ReplicaSets.replicas(copy) != ReplicaSets.replicas(stored)) {
      writes.add(
          "scale " + name + " " + ReplicaSets.replicas(stored) + "->" + ReplicaSets.replicas(copy));
    } else {
      writes.add("update " + name);
    }
    return Mono.just(Copies.deep(copy));
  }

  @Override
  public Mono<Void> deleteReplicaSet(ReplicaSet rs) {
    replicaSets.remove(rs.getMetadata().getName());
    writes.add("delete " + rs.getMetadata().getName());
    return Mono.empty();
  }

  @Override
  public Mono<Deployment> updateDeployment(Deployment d) {
    if (!Objects.equals(
        deployment.getMetadata().getResourceVersion(), d.getMetadata().getResourceVersion())) {
      return Mono.error(
          new ConflictException("stale", new ResourceRef("apps", "deployments", "web")));
    }
    Deployment copy = Copies.deep(d);
    copy.setStatus(deployment.getStatus());
    copy.getMetadata().setResourceVersion(Long.toString(++rv));
    if (!Objects.equals(copy.getSpec(), deployment.getSpec())) {
      copy.getMetadata().setGeneration(deployment.getMetadata().getGeneration() + 1);
    }
    deployment = copy;
    writes.add("update deployment");
    return Mono.just(Copies.deep(copy));
  }

  @Override
  public Mono<Deployment> updateStatus(Deployment d) {
    if (!Objects.equals(
        deployment.getMetadata().getResourceVersion(), d.getMetadata().getResourceVersion())) {
      return Mono.error(
          new ConflictException("stale", new ResourceRef("apps", "deployments", "web")));
    }
    Deployment copy = Copies.deep(deployment);
    copy.setStatus(Copies.deep(d.getStatus()));
    copy.getMetadata().setResourceVersion(Long.toString(++rv));
    deployment = copy;
    return Mono.just(Copies.deep(copy));
  }

  @Override
  public Mono<Deployment> getDeployment(String namespace, String name) {
    return Mono.just(Copies.deep(deployment));
  }

  @Override
  public Mono<ReplicaSet> getReplicaSet(String namespace, String name) {
    ReplicaSet rs = replicaSets.get(name);
    return rs == null ? Mono.error(new NotFoundException(name)) : Mono.just(Copies.deep(rs));
  }

  @Override
  public void event(Deployment d, String type, String reason, String message) {
    events.add(type + " " + reason + " " + message);
  }
}
