package io.nauta.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.endpoints.EndpointsController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' endpointslice controller: every Service with a selector gets EndpointSlices ({@code
 * discovery.k8s.io/v1}, labelled {@code kubernetes.io/service-name} and managed by {@code
 * endpointslice-controller.k8s.io}, owned by the service) listing its pods as {@link DesiredSlices}
 * computes them, at most {@code max-endpoints-per-slice} (100) each. Slices it manages that are no
 * longer wanted (the service lost its selector or is gone, a port set vanished) are deleted; slices
 * of other managers are left alone. Writes only what differs; a conflict or a create that finds the
 * slice already there only requeues the service.
 */
@Component
public class EndpointSliceController implements ManagedController {

  static final String NAME = "endpointslice-controller";
  static final int MAX_ENDPOINTS_PER_SLICE = 100;

  private final SharedInformer<Service> services;
  private final SharedInformer<Pod> pods;
  private final SharedInformer<EndpointSlice> slices;
  private final ResourceClient<EndpointSlice> api;
  private final JsonMapper mapper;
  private final Controller controller;

  public EndpointSliceController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    this.services = informers.informer(BuiltInResources.SERVICES, Service.class);
    this.pods = informers.informer(BuiltInResources.PODS, Pod.class);
    this.slices = informers.informer(BuiltInResources.ENDPOINT_SLICES, EndpointSlice.class);
    this.api = client.resource(BuiltInResources.ENDPOINT_SLICES, EndpointSlice.class);
    this.mapper = client.mapper();
    this.controller =
        Controller.builder(NAME)
            .primary(services)
            .watch(pods, e -> EndpointsController.servicesSelecting(services.store(), e))
            .watch(slices, this::serviceOfSlice)
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  /** A managed slice changed or vanished behind our back: converge its service. */
  private Collection<String> serviceOfSlice(InformerEvent<EndpointSlice> e) {
    EndpointSlice s = e.object();
    Map<String, String> labels = EndpointsController.labels(s);
    String service = labels.get(DesiredSlices.SERVICE_NAME);
    if (service == null || !DesiredSlices.CONTROLLER.equals(labels.get(DesiredSlices.MANAGED_BY))) {
      return List.of();
    }
    return List.of(s.getMetadata().getNamespace() + "/" + service);
  }

  Mono<Result> reconcile(String key) {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Map<String, EndpointSlice> current = new HashMap<>();
    for (EndpointSlice s : slices.store().byIndex(InformerStore.BY_NAMESPACE, ns)) {
      Map<String, String> labels = EndpointsController.labels(s);
      if (name.equals(labels.get(DesiredSlices.SERVICE_NAME))
          && DesiredSlices.CONTROLLER.equals(labels.get(DesiredSlices.MANAGED_BY))) {
        current.put(s.getMetadata().getName(), s);
      }
    }
    Service service = services.store().get(key).orElse(null);
    LabelSelector selector = service == null ? null : EndpointsController.selectorOf(service);
    List<EndpointSlice> wanted = new ArrayList<>();
    if (selector != null) {
      List<Pod> selected = new ArrayList<>();
      for (Pod p : pods.store().byIndex(InformerStore.BY_NAMESPACE, ns)) {
        if (selector.matches(EndpointsController.labels(p))) {
          selected.add(p);
        }
      }
      wanted = DesiredSlices.compute(service, selected, MAX_ENDPOINTS_PER_SLICE);
    }
    List<Mono<?>> writes = new ArrayList<>();
    for (EndpointSlice want : wanted) {
      EndpointSlice have = current.remove(want.getMetadata().getName());
      if (have == null) {
        writes.add(api.create(want).onErrorResume(AlreadyExistsException.class, e -> requeue()));
      } else if (!same(have, want)) {
        writes.add(
            api.update(
                new EndpointSliceBuilder(have)
                    .editMetadata()
                    .withLabels(want.getMetadata().getLabels())
                    .withOwnerReferences(want.getMetadata().getOwnerReferences())
                    .endMetadata()
                    .withAddressType(want.getAddressType())
                    .withPorts(want.getPorts())
                    .withEndpoints(want.getEndpoints())
                    .build()));
      }
    }
    for (EndpointSlice stale : current.values()) {
      writes.add(
          api.delete(ns, stale.getMetadata().getName())
              .onErrorResume(NotFoundException.class, e -> Mono.empty()));
    }
    // Conflicts and other failures go to the work queue's back-off, and the next pass starts
    // again from the caches.
    return Flux.concat(writes).then(Mono.just(Result.done()));
  }

  private static Mono<EndpointSlice> requeue() {
    return Mono.error(new IllegalStateException("slice exists but the cache has not seen it yet"))
        .delaySubscription(Duration.ofMillis(50))
        .cast(EndpointSlice.class);
  }

  private boolean same(EndpointSlice have, EndpointSlice want) {
    return Objects.equals(have.getAddressType(), want.getAddressType())
        && Objects.equals(EndpointsController.labels(have), want.getMetadata().getLabels())
        && json(have.getMetadata().getOwnerReferences())
            .equals(json(want.getMetadata().getOwnerReferences()))
        && json(have.getPorts()).equals(json(want.getPorts()))
        && json(have.getEndpoints()).equals(json(want.getEndpoints()));
  }

  private Object json(List<?> list) {
    return mapper.valueToTree(list == null ? List.of() : list);
  }
}
