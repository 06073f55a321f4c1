package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' PV protection controller: a volume being deleted keeps its {@code
 * kubernetes.io/pv-protection} finalizer while it is Bound, and loses it once it is not; a volume
 * without the finalizer gets it. The finalizer goes with an update guarded by the resourceVersion
 * the decision was made on, so a volume bound meanwhile keeps it.
 */
@Component
public class PvProtectionController implements ManagedController {

  private static final Log log = LogFactory.getLog(PvProtectionController.class);

  private final InformerStore<PersistentVolume> volumes;
  private final ResourceClient<PersistentVolume> client;
  private final Controller controller;

  public PvProtectionController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<PersistentVolume> informer =
        informers.informer(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    this.volumes = informer.store();
    this.client = client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    this.controller =
        Controller.builder("pv-protection-controller")
            .primary(
                informer,
                e ->
                    e.type() != InformerEvent.Type.DELETED
                        && (Finalizers.needToAdd(e.object(), Finalizers.PV_PROTECTION)
                            || Finalizers.isDeletionCandidate(
                                e.object(), Finalizers.PV_PROTECTION)))
            .reconcile(this::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  Mono<Result> sync(String key) {
    Optional<PersistentVolume> found = volumes.get(key);
    if (found.isEmpty()) {
      return Mono.just(Result.done());
    }
    PersistentVolume volume = found.get();
    if (Finalizers.isDeletionCandidate(volume, Finalizers.PV_PROTECTION)) {
      if ("Bound".equals(VolumeMatching.phase(volume))) {
        log.info("keeping volume " + key + " because it is bound");
        return Mono.just(Result.done());
      }
      PersistentVolume clone = new PersistentVolumeBuilder(volume).build();
      clone.getMetadata().setFinalizers(Finalizers.without(volume, Finalizers.PV_PROTECTION));
      return update(clone)
          .doOnSuccess(v -> log.info("removed protection finalizer from volume " + key))
          .thenReturn(Result.done());
    }
    if (Finalizers.needToAdd(volume, Finalizers.PV_PROTECTION)) {
      PersistentVolume clone = new PersistentVolumeBuilder(volume).build();
      clone.getMetadata().setFinalizers(Finalizers.with(volume, Finalizers.PV_PROTECTION));
      return update(clone).thenReturn(Result.done());
    }
    return Mono.just(Result.done());
  }

  private Mono<PersistentVolume> update(PersistentVolume clone) {
    return client.update(clone).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }
}
