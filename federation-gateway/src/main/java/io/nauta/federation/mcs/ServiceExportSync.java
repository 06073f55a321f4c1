package io.nauta.federation.mcs;

import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.apiserver.KarmadaDefinitions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Multi-cluster services (MCS API, Karmada's naming), one level-based pass over every member: each
 * {@code ServiceExport} {@code ns/name} in a member whose Service {@code ns/name} exists is
 * imported into every other member as a {@code ServiceImport} {@code ns/name} (type {@code
 * ClusterSetIP}, the Service's ports, {@code ips} the derived Service's cluster IP), a
 * selector-less Service {@code derived-<name>} with the same ports, and its Endpoints {@code
 * derived-<name>} holding the exporting members' endpoint addresses (every exporter but the member
 * itself). What it made carries {@code karmada.io/managed: "true"} and, in the annotation {@code
 * endpointslice.karmada.io/provision-cluster}, the exporting members; it is removed when no member
 * exports the service any longer, but only once every exporter it names answered this pass (an
 * unreachable member's imports stay as they were). The members' MCS CustomResourceDefinitions are
 * installed by it when missing.
 */
public final class ServiceExportSync {

  static final String MANAGED_LABEL = "karmada.io/managed";
  static final String PROVISION_CLUSTER = "endpointslice.karmada.io/provision-cluster";
  static final String DERIVED_PREFIX = "derived-";

  private static final Logger log = LoggerFactory.getLogger(ServiceExportSync.class);

  private final Supplier<Mono<List<String>>> clusters;
  private final Function<String, Mono<KubeClient>> clients;
  private final Set<KubeClient> withCrds = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param clusters the names of the registered Clusters
   * @param clients a client per member (empty or an error: the member sits this pass out)
   */
  public ServiceExportSync(
      Supplier<Mono<List<String>>> clusters, Function<String, Mono<KubeClient>> clients) {
    this.clusters = clusters;
    this.clients = clients;
  }

  record Member(String name, KubeClient client) {}

  record Export(
      String cluster, String namespace, String name, Service service, Endpoints endpoints) {}

  /** One pass; a member that does not answer is left out of it, and left as it is. */
  public Mono<Void> sync() {
    return clusters
        .get()
        .flatMapMany(Flux::fromIterable)
        .concatMap(
            name ->
                clients
                    .apply(name)
                    .flatMap(c -> ensureCrds(c).thenReturn(new Member(name, c)))
                    .onErrorResume(e -> skip(name, e)))
        .collectList()
        .flatMap(
            members ->
                Flux.fromIterable(members)
                    .concatMap(
                        m ->
                            exportsOf(m)
                                .collectList()
                                .map(l -> Map.entry(m, l))
                                .onErrorResume(e -> skip(m.name(), e)))
                    .collectList()
                    .flatMap(
                        listed -> {
                          Set<String> reachable =
                              listed.stream()
                                  .map(e -> e.getKey().name())
                                  .collect(Collectors.toSet());
                          List<Export> exports =
                              listed.stream().flatMap(e -> e.getValue().stream()).toList();
                          return Flux.fromIterable(listed)
                              .concatMap(
                                  e ->
                                      importInto(e.getKey(), exports, reachable)
                                          .onErrorResume(err -> skip(e.getKey().name(), err)))
                              .then();
                        }));
  }

  private static <T> Mono<T> skip(String cluster, Throwable e) {
    log.info("multi-cluster services: member {} left out of this pass: {}", cluster, e.toString());
    return Mono.empty();
  }

  private Flux<Export> exportsOf(Member m) {
    return m.client()
        .resource(KarmadaResources.SERVICE_EXPORTS, GenericKubernetesResource.class)
        .listAll(null, ListOptions.none())
        .flatMapMany(l -> Flux.fromIterable(l.items()))
        .concatMap(
            se -> {
              String ns = se.getMetadata().getNamespace();
              String name = se.getMetadata().getName();
              return m.client()
                  .resource(BuiltInResources.SERVICES, Service.class)
                  .get(ns, name)
                  .flatMap(
                      svc ->
                          m.client()
                              .resource(BuiltInResources.ENDPOINTS, Endpoints.class)
                              .get(ns, name)
                              .onErrorResume(NotFoundException.class, e -> Mono.empty())
                              .map(ep -> new Export(m.name(), ns, name, svc, ep))
                              .defaultIfEmpty(new Export(m.name(), ns, name, svc, null)))
                  .onErrorResume(NotFoundException.class, e -> Mono.empty());
            });
  }

  /** Brings member {@code b} to what the exports say, then removes what no export wants. */
  private Mono<Void> importInto(Member b, List<Export> exports, Set<String> reachable) {
    Map<String, List<Export>> byService = new LinkedHashMap<>();
    for (Export e : exports) {
      if (!e.cluster().equals(b.name())) {
        byService.computeIfAbsent(e.namespace() + "/" + e.name(), k -> new ArrayList<>()).add(e);
      }
    }
    Mono<Void> apply =
        Flux.fromIterable(byService.values()).concatMap(group -> importOne(b, group)).then();
    return apply.then(collectGarbage(b, byService.keySet(), reachable));
  }

  private Mono<Void> importOne(Member b, List<Export> group) {
    Export first = group.get(0);
    String ns = first.namespace();
    String derived = DERIVED_PREFIX + first.name();
    String provisionedBy =
        group.stream().map(Export::cluster).collect(Collectors.toCollection(TreeSet::new)).stream()
            .collect(Collectors.joining(","));
    List<ServicePort> ports =
        first.service().getSpec().getPorts() == null
            ? List.of()
            : first.service().getSpec().getPorts().stream()
                .map(
                    p ->
                        new ServicePortBuilder()
                            .withName(p.getName())
                            .withProtocol(p.getProtocol())
                            .withPort(p.getPort())
                            .withTargetPort(p.getTargetPort())
                            .build())
                .toList();
    List<EndpointSubset> subsets = new ArrayList<>();
    for (Export e : group) {
      if (e.endpoints() != null && e.endpoints().getSubsets() != null) {
        for (EndpointSubset s : e.endpoints().getSubsets()) {
          // Addresses only: the exporter's pods and nodes mean nothing in this member.
          subsets.add(
              new EndpointSubsetBuilder()
                  .withAddresses(
                      s.getAddresses() == null
                          ? List.of()
                          : s.getAddresses().stream()
                              .map(
                                  a ->
                                      new io.fabric8.kubernetes.api.model.EndpointAddressBuilder()
                                          .withIp(a.getIp())
                                          .build())
                              .toList())
                  .withPorts(s.getPorts() == null ? List.<EndpointPort>of() : s.getPorts())
                  .build());
        }
      }
    }
    KubeClient c = b.client();
    return ensureNamespace(c, ns)
        .then(upsertService(c, ns, derived, ports, provisionedBy))
        .flatMap(
            svc ->
                upsertEndpoints(c, ns, derived, subsets, provisionedBy)
                    .then(
                        upsertImport(
                            c,
                            ns,
                            first.name(),
                            ports,
                            svc.getSpec().getClusterIP(),
                            provisionedBy)));
  }

  private Mono<Void> ensureNamespace(KubeClient c, String ns) {
    Namespace n = new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build();
    return c.resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(n)
        .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
        .then();
  }

  private static ObjectMeta meta(String ns, String name, String provisionedBy) {
    ObjectMeta m = new ObjectMeta();
    m.setNamespace(ns);
    m.setName(name);
    m.setLabels(Map.of(MANAGED_LABEL, "true"));
    m.setAnnotations(Map.of(PROVISION_CLUSTER, provisionedBy));
    return m;
  }

  private Mono<Service> upsertService(
      KubeClient c, String ns, String name, List<ServicePort> ports, String provisionedBy) {
    var services = c.resource(BuiltInResources.SERVICES, Service.class);
    return services
        .get(ns, name)
        .flatMap(
            existing -> {
              if (!managed(existing.getMetadata())) {
                log.info(
                    "multi-cluster services: {}/{} exists and is not ours; left alone", ns, name);
                return Mono.just(existing);
              }
              if (Objects.equals(existing.getSpec().getPorts(), ports)
                  && provisionedBy.equals(provisionedBy(existing.getMetadata()))) {
                return Mono.just(existing);
              }
              Service updated =
                  new ServiceBuilder(existing)
                      .editMetadata()
                      .addToAnnotations(PROVISION_CLUSTER, provisionedBy)
                      .endMetadata()
                      .editSpec()
                      .withPorts(ports)
                      .endSpec()
                      .build();
              return services.update(updated);
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                services.create(
                    new ServiceBuilder()
                        .withMetadata(meta(ns, name, provisionedBy))
                        .withNewSpec()
                        .withType("ClusterIP")
                        .withPorts(ports)
                        .endSpec()
                        .build()));
  }

  private Mono<Void> upsertEndpoints(
      KubeClient c, String ns, String name, List<EndpointSubset> subsets, String provisionedBy) {
    var endpoints = c.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
    return endpoints
        .get(ns, name)
        .flatMap(
            existing -> {
              if (!managed(existing.getMetadata())
                  || (Objects.equals(existing.getSubsets(), subsets)
                      && provisionedBy.equals(provisionedBy(existing.getMetadata())))) {
                return Mono.just(existing);
              }
              return endpoints.update(
                  new EndpointsBuilder(existing)
                      .editMetadata()
                      .addToAnnotations(PROVISION_CLUSTER, provisionedBy)
                      .endMetadata()
                      .withSubsets(subsets)
                      .build());
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                endpoints.create(
                    new EndpointsBuilder()
                        .withMetadata(meta(ns, name, provisionedBy))
                        .withSubsets(subsets)
                        .build()))
        .then();
  }

  private Mono<Void> upsertImport(
      KubeClient c,
      String ns,
      String name,
      List<ServicePort> ports,
      String clusterIp,
      String provisionedBy) {
    var imports = c.resource(KarmadaResources.SERVICE_IMPORTS, GenericKubernetesResource.class);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("type", "ClusterSetIP");
    spec.put(
        "ports",
        ports.stream()
            .map(
                p -> {
                  Map<String, Object> port = new LinkedHashMap<>();
                  if (p.getName() != null) {
                    port.put("name", p.getName());
                  }
                  port.put("protocol", p.getProtocol() == null ? "TCP" : p.getProtocol());
                  port.put("port", p.getPort());
                  return port;
                })
            .toList());
    if (clusterIp != null && !clusterIp.isBlank() && !clusterIp.equals("None")) {
      spec.put("ips", List.of(clusterIp));
    }
    return imports
        .get(ns, name)
        .flatMap(
            existing -> {
              if (!managed(existing.getMetadata())
                  || (Objects.equals(existing.getAdditionalProperties().get("spec"), spec)
                      && provisionedBy.equals(provisionedBy(existing.getMetadata())))) {
                return Mono.just(existing);
              }
              existing.getMetadata().getAnnotations().put(PROVISION_CLUSTER, provisionedBy);
              existing.setAdditionalProperty("spec", spec);
              return imports.update(existing);
            })
        .onErrorResume(
            NotFoundException.class,
            e -> {
              GenericKubernetesResource si = new GenericKubernetesResource();
              si.setApiVersion(Karmada.SERVICE_IMPORT_API_VERSION);
              si.setKind(Karmada.KIND_SERVICE_IMPORT);
              si.setMetadata(meta(ns, name, provisionedBy));
              si.setAdditionalProperty("spec", spec);
              return imports.create(si);
            })
        .then();
  }

  /**
   * Removes the derived Services (with their Endpoints and ServiceImport) this member holds for
   * services no member exports now, if every member that provisioned them answered this pass.
   */
  private Mono<Void> collectGarbage(Member b, Set<String> wanted, Set<String> reachable) {
    var services = b.client().resource(BuiltInResources.SERVICES, Service.class);
    return services
        .listAll(null, ListOptions.labels(MANAGED_LABEL + "=true"))
        .flatMapMany(l -> Flux.fromIterable(l.items()))
        .filter(s -> s.getMetadata().getName().startsWith(DERIVED_PREFIX))
        .filter(
            s -> {
              String ns = s.getMetadata().getNamespace();
              String name = s.getMetadata().getName().substring(DERIVED_PREFIX.length());
              return !wanted.contains(ns + "/" + name)
                  && reachable.containsAll(
                      Arrays.asList(provisionedBy(s.getMetadata()).split(",")));
            })
        .concatMap(
            s -> {
              String ns = s.getMetadata().getNamespace();
              String derived = s.getMetadata().getName();
              String name = derived.substring(DERIVED_PREFIX.length());
              log.info(
                  "multi-cluster services: {}/{} is exported no longer; removing its import from {}",
                  ns,
                  name,
                  b.name());
              return b.client()
                  .resource(KarmadaResources.SERVICE_IMPORTS, GenericKubernetesResource.class)
                  .delete(ns, name)
                  .onErrorResume(NotFoundException.class, e -> Mono.empty())
                  .then(
                      b.client()
                          .resource(BuiltInResources.ENDPOINTS, Endpoints.class)
                          .delete(ns, derived)
                          .onErrorResume(NotFoundException.class, e -> Mono.empty()))
                  .then(
                      services
                          .delete(ns, derived)
                          .onErrorResume(NotFoundException.class, e -> Mono.empty()));
            })
        .then();
  }

  /** The members' own copies of the MCS CustomResourceDefinitions, installed once per client. */
  private Mono<Void> ensureCrds(KubeClient c) {
    if (withCrds.contains(c)) {
      return Mono.empty();
    }
    JsonMapper mapper = c.mapper();
    var crds =
        c.resource(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, GenericKubernetesResource.class);
    return Flux.fromIterable(KarmadaDefinitions.all())
        .filter(d -> Karmada.MCS_GROUP.equals(d.path("spec").path("group").asString("")))
        .concatMap(
            d ->
                crds.create(mapper.treeToValue(d, GenericKubernetesResource.class))
                    .onErrorResume(AlreadyExistsException.class, e -> Mono.empty()))
        .then(Mono.fromRunnable(() -> withCrds.add(c)));
  }

  private static boolean managed(ObjectMeta m) {
    return m.getLabels() != null && "true".equals(m.getLabels().get(MANAGED_LABEL));
  }

  private static String provisionedBy(ObjectMeta m) {
    return m.getAnnotations() == null ? "" : m.getAnnotations().getOrDefault(PROVISION_CLUSTER, "");
  }
}
