package io.nauta.ingress.app;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.nauta.core.informer.SharedInformer;
import io.nauta.ingress.routes.RouteTableBuilder;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;

/** The informers' caches the routes are built from, and their changes. */
public final class ClusterView implements RouteTableBuilder.Source {

  private final SharedInformer<Ingress> ingresses;
  private final SharedInformer<IngressClass> classes;
  private final SharedInformer<Service> services;
  private final SharedInformer<Endpoints> endpoints;
  private final SharedInformer<Secret> secrets;

  public ClusterView(
      SharedInformer<Ingress> ingresses,
      SharedInformer<IngressClass> classes,
      SharedInformer<Service> services,
      SharedInformer<Endpoints> endpoints,
      SharedInformer<Secret> secrets) {
    this.ingresses = ingresses;
    this.classes = classes;
    this.services = services;
    this.endpoints = endpoints;
    this.secrets = secrets;
  }

  /** A signal per change of any of them. */
  public Flux<Object> changes() {
    return Flux.merge(
        ingresses.events(),
        classes.events(),
        services.events(),
        endpoints.events(),
        secrets.events());
  }

  @Override
  public List<Ingress> ingresses() {
    return ingresses.store().list();
  }

  @Override
  public Optional<IngressClass> ingressClass(String name) {
    return classes.store().get(null, name);
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return services.store().get(namespace, name);
  }

  @Override
  public Optional<Endpoints> endpoints(String namespace, String name) {
    return endpoints.store().get(namespace, name);
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return secrets.store().get(namespace, name);
  }
}
