package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which replica sets belong to a deployment, as Kubernetes' ControllerRefManager decides: those it
 * controls and its selector matches; orphans its selector matches are adopted (after a fresh read
 * confirms the deployment is the same one and not being deleted); controlled ones its selector no
 * longer matches are released.
 */
final class ReplicaSetClaims {

  private final DeploymentWriter api;

  ReplicaSetClaims(DeploymentWriter api) {
    this.api = api;
  }

  Mono<List<ReplicaSet>> claim(Deployment d, List<ReplicaSet> inNamespace) {
    LabelSelector selector = LabelSelector.fromModel(d.getSpec().getSelector());
    String uid = d.getMetadata().getUid();
    boolean deleting = d.getMetadata().getDeletionTimestamp() != null;
    Mono<Void> canAdopt = canAdopt(d).cache();
    return Flux.fromIterable(inNamespace)
        .concatMap(
            rs -> {
              Optional<OwnerReference> ref = OwnerReferences.controllerOf(rs);
              boolean matches = selector.matches(rs.getMetadata().getLabels());
              if (ref.isPresent()) {
                if (!Objects.equals(ref.get().getUid(), uid)) {
                  return Mono.empty();
                }
                if (matches || deleting) {
                  return Mono.just(rs);
                }
                return release(rs, uid).then(Mono.empty());
              }
              if (deleting || !matches || rs.getMetadata().getDeletionTimestamp() != null) {
                return Mono.empty();
              }
              return canAdopt.then(Mono.defer(() -> adopt(d, rs)));
            })
        .collectList();
  }

  private Mono<Void> canAdopt(Deployment d) {
    return api.getDeployment(d.getMetadata().getNamespace(), d.getMetadata().getName())
        .flatMap(
            fresh -> {
              if (!Objects.equals(fresh.getMetadata().getUid(), d.getMetadata().getUid())) {
                return Mono.error(
                    new IllegalStateException(
                        "original Deployment "
                            + d.getMetadata().getNamespace()
                            + "/"
                            + d.getMetadata().getName()
                            + " is gone: got uid "
                            + fresh.getMetadata().getUid()
                            + ", wanted "
                            + d.getMetadata().getUid()));
              }
              if (fresh.getMetadata().getDeletionTimestamp() != null) {
                return Mono.error(
                    new IllegalStateException(
                        d.getMetadata().getNamespace()
                            + "/"
                            + d.getMetadata().getName()
                            + " has just been deleted at "
                            + fresh.getMetadata().getDeletionTimestamp()));
              }
              return Mono.<Void>empty();
            });
  }

  private Mono<ReplicaSet> adopt(Deployment d, ReplicaSet rs) {
    ReplicaSet copy = Copies.deep(rs);
    List<OwnerReference> refs =
        new ArrayList<>(
            copy.getMetadata().getOwnerReferences() == null
                ? List.of()
                : copy.getMetadata().getOwnerReferences());
    refs.add(OwnerReferences.controllerReference(d));
    copy.getMetadata().setOwnerReferences(refs);
    return api.updateReplicaSet(copy)
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .onErrorResume(ConflictException.class, e -> Mono.empty());
  }

  private Mono<Void> release(ReplicaSet rs, String uid) {
    ReplicaSet copy = Copies.deep(rs);
    copy.getMetadata()
        .setOwnerReferences(
            copy.getMetadata().getOwnerReferences().stream()
                .filter(r -> !Objects.equals(r.getUid(), uid))
                .toList());
    return api.updateReplicaSet(copy)
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .then();
  }
}
