package io.nauta.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.namespaces.Namespaces;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' service account controller: a {@code default} ServiceAccount in every active
 * namespace, made again when deleted. Keys are namespace names; a deleted account enqueues its
 * namespace.
 */
@Component
public class ServiceAccountsController implements ManagedController {

  static final String DEFAULT = "default";

  private final SharedInformer<Namespace> namespaces;
  private final SharedInformer<ServiceAccount> accounts;
  private final ResourceClient<ServiceAccount> client;
  private final Controller controller;

  public ServiceAccountsController(
      InformerFactory informers,
      KubeClient kube,
      ControllersProperties props,
      MeterRegistry meters) {
    this.namespaces = informers.informer(BuiltInResources.NAMESPACES, Namespace.class);
    this.accounts = informers.informer(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class);
    this.client = kube.resource(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class);
    this.controller =
        Controller.builder("serviceaccount-controller")
            .primary(namespaces)
            .watch(accounts, ServiceAccountsController::namespaceOf)
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private static Collection<String> namespaceOf(InformerEvent<ServiceAccount> event) {
    ServiceAccount sa = event.object();
    return DEFAULT.equals(sa.getMetadata().getName())
        ? List.of(sa.getMetadata().getNamespace())
        : List.of();
  }

  Mono<Result> reconcile(String namespace) {
    Namespace ns = namespaces.store().get(namespace).orElse(null);
    if (ns == null || !Namespaces.active(ns)) {
      return Mono.just(Result.done());
    }
    if (accounts.store().get(namespace + "/" + DEFAULT).isPresent()) {
      return Mono.just(Result.done());
    }
    ServiceAccount sa =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(DEFAULT)
            .endMetadata()
            .build();
    return client
        .create(sa)
        .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
        .thenReturn(Result.done());
  }
}
