package io.nauta.controllers.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.ApiException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Upstream's claim of orphans (ClaimPods, and the same for ControllerRevisions) for controllers
 * with a revision history (DaemonSets, StatefulSets): pods and revisions in the owner's namespace
 * that have no controller and match its selector become its own (an owner deleted with {@code
 * --cascade=orphan} and created again takes its pods back instead of doubling them). The owner is
 * re-read from the API server first, so one deleted a moment ago adopts nothing.
 *
 * @param <O> the owner's kind
 */
public final class Adoption<O extends HasMetadata> {

  private final InformerStore<Pod> pods;
  private final InformerStore<ControllerRevision> revisions;
  private final BiPredicate<O, Pod> member;
  private final BiFunction<String, String, Mono<O>> fresh;
  private final BiFunction<HasMetadata, O, Mono<Void>> adopt;

  /**
   * @param member whether a pod may belong to the owner beyond its selector (a StatefulSet's pods
   *     are named {@code <set>-<ordinal>})
   * @param fresh the owner from the API server by namespace and name
   * @param adopt makes the owner the controller of a child (a patch naming the child's uid)
   */
  public Adoption(
      InformerStore<Pod> pods,
      InformerStore<ControllerRevision> revisions,
      BiPredicate<O, Pod> member,
      BiFunction<String, String, Mono<O>> fresh,
      BiFunction<HasMetadata, O, Mono<Void>> adopt) {
    this.pods = pods;
    this.revisions = revisions;
    this.member = member;
    this.fresh = fresh;
    this.adopt = adopt;
  }

  /**
   * The strategic merge patch that makes {@code owner} the controller of {@code child}; it names
   * the child's uid, so a re-created child of that name is untouched.
   */
  public static String controllerPatch(KubeClient client, HasMetadata child, HasMetadata owner) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("ownerReferences", List.of(OwnerReferences.controllerReference(owner)));
    metadata.put("uid", child.getMetadata().getUid());
    return client.mapper().writeValueAsString(Map.of("metadata", metadata));
  }

  /**
   * The keys of the owners in {@code orphan}'s namespace whose selector ({@code selectorOf})
   * matches it: they may adopt it, so an orphan's event goes to them.
   */
  public static <O extends HasMetadata> List<String> adopters(
      HasMetadata orphan,
      InformerStore<O> owners,
      Function<O, io.fabric8.kubernetes.api.model.LabelSelector> selectorOf) {
    return owners.byIndex(InformerStore.BY_NAMESPACE, orphan.getMetadata().getNamespace()).stream()
        .filter(
            o -> {
              try {
                return LabelSelector.fromModel(selectorOf.apply(o))
                    .matches(orphan.getMetadata().getLabels());
              } catch (ApiException e) {
                return false;
              }
            })
        .map(InformerStore::keyOf)
        .toList();
  }

  /** The orphans {@code owner} would adopt, pods first. */
  public List<HasMetadata> orphans(O owner, LabelSelector selector) {
    String ns = owner.getMetadata().getNamespace();
    List<HasMetadata> out = new ArrayList<>();
    for (Pod p : pods.byIndex(InformerStore.BY_NAMESPACE, ns)) {
      if (adoptable(p, selector) && member.test(owner, p)) {
        out.add(p);
      }
    }
    for (ControllerRevision r : revisions.byIndex(InformerStore.BY_NAMESPACE, ns)) {
      if (adoptable(r, selector)) {
        out.add(r);
      }
    }
    return out;
  }

  private static boolean adoptable(HasMetadata o, LabelSelector selector) {
    return OwnerReferences.controllerOf(o).isEmpty()
        && o.getMetadata().getDeletionTimestamp() == null
        && selector.matches(o.getMetadata().getLabels());
  }

  /** Adopts {@code orphans} if the live owner is still this one and not being deleted. */
  public Mono<Void> adopt(O owner, List<HasMetadata> orphans) {
    return fresh
        .apply(owner.getMetadata().getNamespace(), owner.getMetadata().getName())
        .filter(
            live ->
                Objects.equals(live.getMetadata().getUid(), owner.getMetadata().getUid())
                    && live.getMetadata().getDeletionTimestamp() == null)
        .flatMapMany(live -> Flux.fromIterable(orphans))
        .concatMap(o -> adopt.apply(o, owner))
        .then();
  }
}
