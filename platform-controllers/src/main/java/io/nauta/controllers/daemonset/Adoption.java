package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Upstream's claim of orphans (ClaimPods, and the same for ControllerRevisions): pods and revisions
 * in the DaemonSet's namespace that have no controller and match its selector become its own (a
 * DaemonSet deleted with {@code --cascade=orphan} and created again takes its pods back instead of
 * doubling them). The DaemonSet is re-read from the API server first, so one deleted a moment ago
 * adopts nothing.
 */
final class Adoption {

  private final InformerStore<Pod> pods;
  private final InformerStore<ControllerRevision> revisions;
  private final DaemonSetClient client;

  Adoption(
      InformerStore<Pod> pods,
      InformerStore<ControllerRevision> revisions,
      DaemonSetClient client) {
    this.pods = pods;
    this.revisions = revisions;
    this.client = client;
  }

  /** The orphans {@code ds} would adopt, pods first. */
  List<HasMetadata> orphans(DaemonSet ds, LabelSelector selector) {
    String ns = ds.getMetadata().getNamespace();
    List<HasMetadata> out = new ArrayList<>();
    for (Pod p : pods.byIndex(InformerStore.BY_NAMESPACE, ns)) {
      if (adoptable(p, selector)) {
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

  /** Adopts {@code orphans} if the live DaemonSet is still this one and not being deleted. */
  Mono<Void> adopt(DaemonSet ds, List<HasMetadata> orphans) {
    return client
        .getDaemonSet(ds.getMetadata().getNamespace(), ds.getMetadata().getName())
        .filter(
            fresh ->
                Objects.equals(fresh.getMetadata().getUid(), ds.getMetadata().getUid())
                    && fresh.getMetadata().getDeletionTimestamp() == null)
        .flatMapMany(fresh -> Flux.fromIterable(orphans))
        .concatMap(o -> client.adopt(o, ds))
        .then();
  }
}
