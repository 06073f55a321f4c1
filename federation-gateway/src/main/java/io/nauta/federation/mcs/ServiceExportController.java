package io.nauta.federation.mcs;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.cluster.MemberClusters;
import io.nauta.federation.cluster.MemberInformers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * Drives {@link ServiceExportSync} from events, as Karmada's service-export controller does from
 * its member informers: in every member an informer of ServiceExports, Services, Endpoints and the
 * gateway's ServiceImports ({@link MemberInformers}, the mechanism the status controllers' member
 * watches use), whose events enqueue the {@code ns/name} of the service they concern; a work queue
 * de-duplicates keys and retries a failed one with back-off. The gateway's Cluster informer is the
 * primary: a Cluster key (a bare name) starts the member's informers (on its current client,
 * installing the MCS CustomResourceDefinitions first) and, once they have synced, enqueues every
 * service any member exports or imports, so a member that joins, changes credentials, turns Ready
 * again or is deleted is brought in step as a whole.
 */
public final class ServiceExportController {

  /** How long a Cluster key waits before it looks again at informers that have not synced. */
  static final Duration SYNC_RECHECK = Duration.ofSeconds(1);

  private final MemberClusters members;
  private final MemberInformers informers;
  private final ServiceExportSync sync = new ServiceExportSync();
  private final Controller controller;

  public ServiceExportController(MemberClusters members, int workers, MeterRegistry meters) {
    this.members = members;
    this.informers = new MemberInformers(members::client);
    this.controller =
        Controller.builder("multi-cluster-services")
            .primary(members.clusterInformer())
            .reconcile(this::reconcile)
            .workers(workers)
            // A member unreachable for long is retried at least every 30 s; it turning Ready
            // again enqueues its Cluster, which resyncs everything at once.
            .backoff(Duration.ofMillis(5), Duration.ofSeconds(30))
            .meterRegistry(meters)
            .build();
  }

  public Controller controller() {
    return controller;
  }

  /** Closes the member informers (the gateway stopped leading). */
  public void close() {
    informers.close();
  }

  Mono<Result> reconcile(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return syncCluster(key);
    }
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    return Mono.defer(
            () -> {
              Set<String> registered = registered();
              List<ServiceExportSync.MemberView> views = new ArrayList<>();
              for (String cluster : registered) {
                view(cluster).ifPresent(views::add);
              }
              return sync.sync(ns, name, registered, views);
            })
        .thenReturn(Result.done());
  }

  private Mono<Result> syncCluster(String cluster) {
    if (members.cluster(cluster).isEmpty()) {
      informers.forget(cluster);
      enqueueAllServices();
      return Mono.just(Result.done());
    }
    Optional<KubeClient> client = members.client(cluster);
    if (client.isEmpty()) {
      informers.forget(cluster);
      return Mono.just(Result.done());
    }
    return sync.ensureCrds(client.get())
        .then(
            Mono.fromSupplier(
                () -> {
                  Optional<ServiceExportSync.MemberView> view = view(cluster);
                  if (view.isEmpty() || !view.get().synced()) {
                    return Result.requeueAfter(SYNC_RECHECK);
                  }
                  enqueueAllServices();
                  return Result.done();
                }));
  }

  private void enqueueAllServices() {
    Set<String> keys = new TreeSet<>();
    for (String cluster : registered()) {
      view(cluster)
          .filter(ServiceExportSync.MemberView::synced)
          .ifPresent(v -> keys.addAll(v.serviceKeys()));
    }
    keys.forEach(controller::enqueue);
  }

  private Set<String> registered() {
    return members.clusters().stream()
        .map(c -> c.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The member's informers, started on first use; empty while it has no client or the MCS kinds are
   * not installed through it yet (its Cluster key does that).
   */
  private Optional<ServiceExportSync.MemberView> view(String cluster) {
    Optional<KubeClient> client = members.client(cluster);
    // Not before the member serves the MCS kinds: an informer of a kind it does not serve yet
    // would back off, up to 30 s, before it looked again.
    if (client.isEmpty() || !sync.crdsInstalled(client.get())) {
      return Optional.empty();
    }
    var exports =
        informer(
            cluster,
            KarmadaResources.SERVICE_EXPORTS,
            GenericKubernetesResource.class,
            ListOptions.none());
    var services = informer(cluster, BuiltInResources.SERVICES, Service.class, ListOptions.none());
    var endpoints =
        informer(cluster, BuiltInResources.ENDPOINTS, Endpoints.class, ListOptions.none());
    var imports =
        informer(
            cluster,
            KarmadaResources.SERVICE_IMPORTS,
            GenericKubernetesResource.class,
            ListOptions.labels(ServiceExportSync.MANAGED_LABEL + "=true"));
    if (exports.isEmpty() || services.isEmpty() || endpoints.isEmpty() || imports.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ServiceExportSync.MemberView(
            cluster, client.get(), exports.get(), services.get(), endpoints.get(), imports.get()));
  }

  private <T extends HasMetadata> Optional<SharedInformer<T>> informer(
      String cluster, ResourceType type, Class<T> model, ListOptions selectors) {
    return informers.informer(
        cluster,
        type,
        model,
        selectors,
        informer ->
            informer
                .events()
                .subscribe(e -> controller.enqueue(ServiceExportSync.serviceKey(e.object()))));
  }
}
