package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
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

  private final Controller controller;

  public PvProtectionController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<PersistentVolume> informer =
        informers.informer(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    Finalizers<PersistentVolume> protection =
        new Finalizers<>(
            Finalizers.PV_PROTECTION,
            informer.store(),
            client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class),
            v -> new PersistentVolumeBuilder(v).build());
    this.controller =
        Controller.builder("pv-protection-controller")
            .primary(informer, protection::relevant)
            .reconcile(
                key ->
                    protection.sync(key, v -> Mono.just("Bound".equals(VolumeMatching.phase(v)))))
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }
}
