package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' PVC protection controller: a claim being deleted keeps its {@code
 * kubernetes.io/pvc-protection} finalizer while a pod uses it, and loses it once none does; a claim
 * without the finalizer gets it (the admission plugin adds it to new claims; this covers older
 * ones). A pod uses a claim when it is scheduled (kubelets see only scheduled pods, and refuse to
 * start one whose claim is being deleted) and names the claim in {@code spec.volumes} — whatever
 * its phase, as upstream: a finished pod holds its claim until the pod is deleted. The informer's
 * pods are asked first; when none uses the claim, a live list of the namespace's pods makes sure
 * before the finalizer goes.
 */
@Component
public class PvcProtectionController implements ManagedController {

  private final InformerStore<Pod> pods;
  private final ResourceClient<Pod> podClient;
  private final Controller controller;

  public PvcProtectionController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<PersistentVolumeClaim> claimInformer =
        informers.informer(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    this.pods = podInformer.store();
    this.podClient = client.resource(BuiltInResources.PODS, Pod.class);
    Finalizers<PersistentVolumeClaim> protection =
        new Finalizers<>(
            Finalizers.PVC_PROTECTION,
            claimInformer.store(),
            client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class),
            c -> new PersistentVolumeClaimBuilder(c).build());
    this.controller =
        Controller.builder("pvc-protection-controller")
            .primary(claimInformer, protection::relevant)
            .watch(podInformer, PvcProtectionController::claimsOfPod)
            .reconcile(key -> protection.sync(key, this::inUse))
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  /**
   * The claims of a pod that can no longer hold them: deleted, terminated, or not scheduled; and of
   * the pod a same-named one replaced.
   */
  private static Collection<String> claimsOfPod(InformerEvent<Pod> event) {
    Set<String> keys = new LinkedHashSet<>();
    Pod pod = event.object();
    boolean deleted = event.type() == InformerEvent.Type.DELETED;
    if (deleted || PodVolumes.isTerminated(pod) || !scheduled(pod)) {
      keys.addAll(keysOf(pod));
    }
    Pod old = event.previous();
    if (old != null
        && old.getMetadata().getUid() != null
        && !old.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      keys.addAll(keysOf(old));
    }
    return keys;
  }

  private static List<String> keysOf(Pod pod) {
    return PodVolumes.claimNames(pod).stream()
        .map(n -> InformerStore.key(pod.getMetadata().getNamespace(), n))
        .toList();
  }

  private Mono<Boolean> inUse(PersistentVolumeClaim claim) {
    String ns = claim.getMetadata().getNamespace();
    String name = claim.getMetadata().getName();
    for (Pod p : pods.byIndex(InformerStore.BY_NAMESPACE, ns)) {
      if (uses(p, name)) {
        return Mono.just(true);
      }
    }
    // Not in the cache does not mean no such pod: it may not have reached the cache yet.
    return podClient
        .listAll(ns, ListOptions.none())
        .map(list -> list.items().stream().anyMatch(p -> uses(p, name)));
  }

  static boolean uses(Pod pod, String claimName) {
    return scheduled(pod) && PodVolumes.usesClaim(pod, claimName);
  }

  private static boolean scheduled(Pod pod) {
    return pod.getSpec() != null && !VolumeMatching.blank(pod.getSpec().getNodeName());
  }
}
