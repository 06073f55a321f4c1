package io.nauta.federation.mcs;

import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.apiserver.KarmadaDefinitions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Multi-cluster services (MCS API, Karmada's naming), level-based per service: each {@code
 * ServiceExport} {@code ns/name} in a member whose Service {@code ns/name} exists is imported into
 * every other member as a {@code ServiceImport} {@code ns/name} (type {@code ClusterSetIP}, the
 * Service's ports, {@code ips} the derived Service's cluster IP), a selector-less Service {@code
 * derived-<name>} with the same ports, and its Endpoints {@code derived-<name>} holding the
 * exporting members' endpoint addresses (every exporter but the member itself). What it made
 * carries {@code karmada.io/managed: "true"} and, in the annotation {@code
 * endpointslice.karmada.io/provision-cluster}, the exporting members.
 *
 * <p>What the members hold is read from their informers ({@link MemberView}): an exporter's state
 * is its informers' last-known state, so a member that is unreachable for a while keeps what it
 * exported imported elsewhere, and what it missed arrives as events once its watches resume. A
 * member whose informers have not synced yet (unreachable since the gateway started) is unknown:
 * imports it provisions are left as they are until it is known. Imports are removed when no known
 * member exports the service any longer, and a deleted Cluster exports nothing. Writes compare with
 * the member's current object first, so a pass that finds everything in place writes nothing. The
 * members' MCS CustomResourceDefinitions are installed when missing ({@link #ensureCrds}).
 */
public final class ServiceExportSync {

  static final String MANAGED_LABEL = "karmada.io/managed";
  static final String PROVISION_CLUSTER = "endpointslice.karmada.io/provision-cluster";
  static final String DERIVED_PREFIX = "derived-";

  private static final Logger log = LoggerFactory.getLogger(ServiceExportSync.class);

  private final Set<KubeClient> withCrds = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** One member as its informers show it. */
  record MemberView(
      String name,
      KubeClient client,
      SharedInformer<GenericKubernetesResource> exports,
      SharedInformer<Service> services,
      SharedInformer<Endpoints> endpoints,
      SharedInformer<GenericKubernetesResource> imports) {

    boolean synced() {
      return exports.hasSynced()
          && services.hasSynced()
          && endpoints.hasSynced()
          && imports.hasSynced();
    }

    /** The member's export of {@code ns/name} with its Service, if it exports it. */
    Optional<Export> export(String ns, String name) {
      if (exports.store().get(ns, name).isEmpty()) {
        return Optional.empty();
      }
      return services
          .store()
          .get(ns, name)
          .map(
              svc ->
                  new Export(
                      this.name, ns, name, svc, endpoints.store().get(ns, name).orElse(null)));
    }

    /** The derived Service this member holds for {@code ns/name}, if it is the gateway's. */
    Optional<Service> derived(String ns, String name) {
      return services.store().get(ns, DERIVED_PREFIX + name).filter(s -> managed(s.getMetadata()));
    }

    /** Every {@code ns/name} this member exports or holds an import of. */
    Set<String> serviceKeys() {
      Set<String> keys = new TreeSet<>(exports.store().keys());
      for (Service s : services.store().list()) {
        if (managed(s.getMetadata()) && s.getMetadata().getName().startsWith(DERIVED_PREFIX)) {
          keys.add(
              s.getMetadata().getNamespace()
                  + "/"
                  + s.getMetadata().getName().substring(DERIVED_PREFIX.length()));
        }
      }
      return keys;
    }
  }

  record Member(String name, KubeClient client) {}

  record Export(
      String cluster, String namespace, String name, Service service, Endpoints endpoints) {}

  /**
   * The work key an object of a member maps to: {@code ns/name} of the service it exports, is, or
   * was derived from.
   */
  static String serviceKey(HasMetadata o) {
    String name = o.getMetadata().getName();
    if (o instanceof Service || o instanceof Endpoints) {
      if (name.startsWith(DERIVED_PREFIX) && managed(o.getMetadata())) {
        name = name.substring(DERIVED_PREFIX.length());
      }
    }
    return o.getMetadata().getNamespace() + "/" + name;
  }

  /**
   * Brings every known member to what the exports of {@code ns/name} say.
   *
   * @param registered the names of the Clusters the gateway has now
   * @param views the members whose informers run (synced or not)
   * @return an error when a member could not be written (the key is retried), after the others
   */
  public Mono<Void> sync(String ns, String name, Set<String> registered, List<MemberView> views) {
    List<MemberView> known = views.stream().filter(MemberView::synced).toList();
    Set<String> knownNames = known.stream().map(MemberView::name).collect(Collectors.toSet());
    List<Export> exports = known.stream().flatMap(v -> v.export(ns, name).stream()).toList();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    return Flux.fromIterable(known)
        .concatMap(
            b ->
                syncMember(b, ns, name, exports, registered, knownNames)
                    .onErrorResume(
                        e -> {
                          log.info(
                              "multi-cluster services: {}/{} in member {} failed, will retry: {}",
                              ns,
                              name,
                              b.name(),
                              e.toString());
                          failures.add(e);
                          return Mono.empty();
                        }))
        .then(
            Mono.defer(
                () -> failures.isEmpty() ? Mono.<Void>empty() : Mono.error(failures.get(0))));
  }

  private Mono<Void> syncMember(
      MemberView b,
      String ns,
      String name,
      List<Export> exports,
      Set<String> registered,
      Set<String> knownNames) {
    List<Export> group = exports.stream().filter(e -> !e.cluster().equals(b.name())).toList();
    Optional<Service> derived = b.derived(ns, name);
    // A provisioner named on what the member holds whose state is not known (a registered
    // member whose informers have not synced): its part is not known either, so leave it.
    if (derived.isPresent()) {
      for (String p : provisionedBy(derived.get().getMetadata()).split(",")) {
        if (!p.isEmpty() && registered.contains(p) && !knownNames.contains(p)) {
          return Mono.empty();
        }
      }
    }
    Member m = new Member(b.name(), b.client());
    if (!group.isEmpty()) {
      return importOne(m, group);
    }
    if (derived.isEmpty() && b.imports().store().get(ns, name).isEmpty()) {
      return Mono.empty();
    }
    return remove(m, ns, name);
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

  /** Removes the ServiceImport, derived Service and Endpoints of {@code ns/name} from member b. */
  private Mono<Void> remove(Member b, String ns, String name) {
    String derived = DERIVED_PREFIX + name;
    KubeClient c = b.client();
    return deleteIfManaged(
            c.resource(KarmadaResources.SERVICE_IMPORTS, GenericKubernetesResource.class), ns, name)
        .then(deleteIfManaged(c.resource(BuiltInResources.ENDPOINTS, Endpoints.class), ns, derived))
        .then(deleteIfManaged(c.resource(BuiltInResources.SERVICES, Service.class), ns, derived))
        .filter(Boolean::booleanValue)
        .doOnNext(
            deleted ->
                log.info(
                    "multi-cluster services: {}/{} is exported no longer; removed its import from"
                        + " {}",
                    ns,
                    name,
                    b.name()))
        .then();
  }

  /** Deletes {@code ns/name} if the gateway made it; true when it did. */
  private static <T extends HasMetadata> Mono<Boolean> deleteIfManaged(
      ResourceClient<T> objects, String ns, String name) {
    return objects
        .get(ns, name)
        .filter(o -> managed(o.getMetadata()))
        .flatMap(o -> objects.delete(ns, name).thenReturn(true))
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .defaultIfEmpty(false);
  }

  /** Whether {@link #ensureCrds} succeeded through {@code c}. */
  boolean crdsInstalled(KubeClient c) {
    return withCrds.contains(c);
  }

  /** The members' own copies of the MCS CustomResourceDefinitions, installed once per client. */
  Mono<Void> ensureCrds(KubeClient c) {
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
