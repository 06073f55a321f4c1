package io.nauta.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
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
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' endpoints controller: keeps, for every Service with a selector, an Endpoints object
 * of the same name listing the addresses of its pods ({@link EndpointSubsets}). Services without a
 * selector are left alone (their Endpoints are the user's); deleting a service deletes its
 * Endpoints. A pod event enqueues every service of its namespace whose selector matches the pod's
 * old or new labels, so Endpoints follow readiness as the kubelet reports it. Writes only when the
 * subsets or labels changed.
 */
@Component
public class EndpointsController implements ManagedController {

  /** Kubernetes' {@code endpoints.kubernetes.io/last-change-trigger-time}. */
  public static final String LAST_CHANGE_TRIGGER_TIME =
      "endpoints.kubernetes.io/last-change-trigger-time";

  private final SharedInformer<Service> services;
  private final SharedInformer<Pod> pods;
  private final SharedInformer<Endpoints> endpoints;
  private final ResourceClient<Endpoints> endpointsClient;
  private final JsonMapper mapper;
  private final Controller controller;

  public EndpointsController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    this.services = informers.informer(BuiltInResources.SERVICES, Service.class);
    this.pods = informers.informer(BuiltInResources.PODS, Pod.class);
    this.endpoints = informers.informer(BuiltInResources.ENDPOINTS, Endpoints.class);
    this.endpointsClient = client.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
    this.mapper = client.mapper();
    this.controller =
        Controller.builder("endpoint-controller")
            .primary(services)
            .watch(pods, this::servicesOfPod)
            .watch(endpoints, this::serviceOfEndpoints)
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Collection<String> servicesOfPod(InformerEvent<Pod> event) {
    return servicesSelecting(services.store(), event);
  }

  /**
   * Services in the pod's namespace selecting its labels before or after the change (shared with
   * the endpointslice controller).
   */
  public static Collection<String> servicesSelecting(
      InformerStore<Service> services, InformerEvent<Pod> event) {
    Pod pod = event.object();
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> now = labels(pod);
    Map<String, String> before = event.previous() == null ? now : labels(event.previous());
    Set<String> keys = new LinkedHashSet<>();
    for (Service s : services.byIndex(InformerStore.BY_NAMESPACE, ns)) {
      LabelSelector selector = selectorOf(s);
      if (selector != null && (selector.matches(now) || selector.matches(before))) {
        keys.add(InformerStore.keyOf(s));
      }
    }
    return keys;
  }

  /** An Endpoints changed or vanished behind our back: converge it if its service exists. */
  private Collection<String> serviceOfEndpoints(InformerEvent<Endpoints> event) {
    String key = InformerStore.keyOf(event.object());
    return services.store().get(key).isPresent() ? List.of(key) : List.of();
  }

  Mono<Result> reconcile(String key) {
    Service service = services.store().get(key).orElse(null);
    if (service == null) {
      return deleteEndpoints(key);
    }
    LabelSelector selector = selectorOf(service);
    if (selector == null) {
      return Mono.just(Result.done());
    }
    String ns = service.getMetadata().getNamespace();
    List<Pod> selected = new ArrayList<>();
    for (Pod p : pods.store().byIndex(InformerStore.BY_NAMESPACE, ns)) {
      if (selector.matches(labels(p))) {
        selected.add(p);
      }
    }
    List<EndpointSubset> subsets = EndpointSubsets.compute(service, selected);
    Map<String, String> wantedLabels = new LinkedHashMap<>(labels(service));
    if ("None".equals(service.getSpec().getClusterIP())) {
      wantedLabels.put("service.kubernetes.io/headless", "");
    }
    Endpoints current = endpoints.store().get(key).orElse(null);
    if (current != null
        && sameJson(current.getSubsets(), subsets)
        && Objects.equals(labels(current), wantedLabels)) {
      return Mono.just(Result.done());
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    if (current == null) {
      Endpoints created =
          new EndpointsBuilder()
              .withNewMetadata()
              .withNamespace(ns)
              .withName(service.getMetadata().getName())
              .withLabels(wantedLabels)
              .addToAnnotations(LAST_CHANGE_TRIGGER_TIME, now)
              .endMetadata()
              .withSubsets(subsets)
              .build();
      return endpointsClient.create(created).thenReturn(Result.done());
    }
    Endpoints updated =
        new EndpointsBuilder(current)
            .editMetadata()
            .withLabels(wantedLabels)
            .addToAnnotations(LAST_CHANGE_TRIGGER_TIME, now)
            .endMetadata()
            .withSubsets(subsets)
            .build();
    return endpointsClient.update(updated).thenReturn(Result.done());
  }

  private Mono<Result> deleteEndpoints(String key) {
    Endpoints current = endpoints.store().get(key).orElse(null);
    if (current == null) {
      return Mono.just(Result.done());
    }
    return endpointsClient
        .delete(current.getMetadata().getNamespace(), current.getMetadata().getName())
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .thenReturn(Result.done());
  }

  private boolean sameJson(Object a, Object b) {
    List<?> la = a == null ? List.of() : (List<?>) a;
    List<?> lb = b == null ? List.of() : (List<?>) b;
    return mapper.valueToTree(la).equals(mapper.valueToTree(lb));
  }

  /** The service's selector; null when it has none (Endpoints managed by the user). */
  public static LabelSelector selectorOf(Service s) {
    Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
    if (sel == null || sel.isEmpty()) {
      return null;
    }
    return LabelSelector.fromModel(
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().withMatchLabels(sel).build());
  }

  public static Map<String, String> labels(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }
}
