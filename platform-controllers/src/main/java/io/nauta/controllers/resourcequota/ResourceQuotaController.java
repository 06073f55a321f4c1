package io.nauta.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.quota.Evaluators;
import io.nauta.core.quota.Quantities;
import io.nauta.core.quota.QuotaReservations;
import io.nauta.core.quota.UsageEvaluator;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.CustomResourceTypes;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' resource quota controller: keeps each quota's {@code status.hard} equal to its spec
 * and recomputes {@code status.used} from scratch from the objects of its namespace, when the quota
 * is new or its {@code spec.hard} changed, when an object of a watched kind in the namespace
 * changes (pods, services, claims, config maps, secrets and the apps and batch kinds; a pod turning
 * Succeeded or Failed stops counting), and every {@code resourceQuotaSyncPeriod} (upstream's {@code
 * --resource-quota-sync-period}, 5 min). {@code count/<resource>.<group>} of a custom resource is
 * counted too, through its CustomResourceDefinition.
 *
 * <p>Informer events only say which quotas to look at. The count itself reads the quota first and
 * then lists the counted kinds from the API server (consistent lists: every acknowledged write is
 * in them), adds the in-flight charges admission recorded on the quota ({@link QuotaReservations})
 * whose objects the lists do not show yet, and writes {@code status} with the read quota's
 * resourceVersion as precondition; a charge made after the read makes that write conflict, and the
 * quota is counted again. So a recount never lowers {@code used} below a charge admission made for
 * an object still being written (see the API server's {@code QuotaAdmission}).
 */
@Component
public class ResourceQuotaController implements ManagedController {

  static final String NAME = "resourcequota-controller";

  /**
   * The kinds whose changes trigger a recount of their namespace's quotas: those with usage of
   * their own and the built-in kinds the controller manager follows anyway; others (custom
   * resources, named by {@code count/<resource>.<group>}) are recounted on quota changes and the
   * full resync.
   */
  private static final List<ResourceType> WATCHED =
      List.of(
          BuiltInResources.PODS,
          BuiltInResources.SERVICES,
          BuiltInResources.PERSISTENT_VOLUME_CLAIMS,
          BuiltInResources.CONFIGMAPS,
          BuiltInResources.SECRETS,
          BuiltInResources.REPLICASETS,
          BuiltInResources.DEPLOYMENTS,
          BuiltInResources.STATEFULSETS,
          BuiltInResources.DAEMONSETS,
          BuiltInResources.JOBS,
          BuiltInResources.CRONJOBS);

  private final InformerStore<ResourceQuota> quotas;
  private final KubeClient client;
  private final JsonMapper mapper = JsonMapper.builder().build();
  private final Evaluators evaluators;
  private final Clock clock;
  private final Duration resync;
  private final Controller controller;

  public ResourceQuotaController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    SharedInformer<ResourceQuota> informer =
        informers.informer(BuiltInResources.RESOURCE_QUOTAS, ResourceQuota.class);
    this.quotas = informer.store();
    this.client = client;
    this.clock = Clock.systemUTC();
    this.evaluators = new Evaluators(clock);
    this.resync = props.resourceQuotaSyncPeriod();
    Controller.Builder builder =
        Controller.builder(NAME)
            // As upstream: a quota's own status writes (this controller's, admission's charges)
            // need no recount; a new quota or a changed spec.hard does.
            .primary(
                informer,
                e -> e.previous() == null || !specHard(e.previous()).equals(specHard(e.object())))
            .reconcile(this::sync)
            .workers(props.workers())
            .meterRegistry(meters);
    for (ResourceType t : WATCHED) {
      watch(builder, informers.informer(t, model(t)));
    }
    this.controller = builder.build();
  }

  @SuppressWarnings("unchecked")
  private static Class<HasMetadata> model(ResourceType t) {
    return (Class<HasMetadata>) t.modelClass();
  }

  private <T extends HasMetadata> void watch(
      Controller.Builder builder, SharedInformer<T> informer) {
    builder.watch(informer, this::quotasOf);
  }

  @Override
  public Controller controller() {
    return controller;
  }

  /** The quotas of an object's namespace. */
  private <T extends HasMetadata> Collection<String> quotasOf(InformerEvent<T> e) {
    String ns = e.object().getMetadata().getNamespace();
    return quotas.byIndex(InformerStore.BY_NAMESPACE, ns).stream()
        .map(InformerStore::keyOf)
        .toList();
  }

  private Mono<Result> sync(String key) {
    Optional<ResourceQuota> cached = quotas.get(key);
    if (cached.isEmpty()) {
      return Mono.just(Result.done());
    }
    ResourceQuota quota = cached.get();
    JsonNode quotaNode = mapper.valueToTree(quota);
    Map<String, BigDecimal> hard = new TreeMap<>();
    Map<String, Quantity> specHard =
        quota.getSpec() == null || quota.getSpec().getHard() == null
            ? Map.of()
            : quota.getSpec().getHard();
    specHard.forEach((k, q) -> hard.put(k, Quantities.amount(q.toString())));
    String ns = quota.getMetadata().getNamespace();
    return used(ns, quotaNode, hard)
        .flatMap(used -> write(quota, hard, used))
        .then(Mono.fromSupplier(() -> Result.requeueAfter(nextSync(quotaNode))))
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()))
        .onErrorResume(
            ConflictException.class, e -> Mono.just(Result.requeueAfter(Duration.ofMillis(50))));
  }

  private static Map<String, Quantity> specHard(ResourceQuota q) {
    return q.getSpec() == null || q.getSpec().getHard() == null ? Map.of() : q.getSpec().getHard();
  }

  /**
   * The full resync, or sooner when a reservation expires before it (one an API server left when it
   * died mid-write stops counting then).
   */
  private Duration nextSync(JsonNode quota) {
    JsonNode annotation =
        quota.path("metadata").path("annotations").get(QuotaReservations.ANNOTATION);
    long now = clock.millis();
    Duration next = resync;
    for (QuotaReservations.Entry e :
        QuotaReservations.parse(annotation == null ? null : annotation.asString(""))
            .entries()
            .values()) {
      Duration left =
          Duration.ofMillis(Math.max(0, e.at() + QuotaReservations.TTL.toMillis() - now) + 1);
      if (left.compareTo(next) < 0) {
        next = left;
      }
    }
    return next;
  }

  /** The quota's usage: every object of the namespace it applies to, and in-flight charges. */
  Mono<Map<String, BigDecimal>> used(String ns, JsonNode quota, Map<String, BigDecimal> hard) {
    Map<String, ResourceType> kinds = new LinkedHashMap<>();
    List<String> custom = new ArrayList<>();
    for (String name : hard.keySet()) {
      for (ResourceType t : WATCHED) {
        if (evaluators.of(t.group(), t.plural()).matches(name)) {
          kinds.put(t.groupResource(), t);
        }
      }
      if (name.startsWith("count/")) {
        Optional<ResourceType> builtIn = builtIn(name);
        if (builtIn.isPresent()) {
          kinds.put(builtIn.get().groupResource(), builtIn.get());
        } else {
          custom.add(name.substring("count/".length()));
        }
      }
    }
    return Flux.fromIterable(custom)
        .concatMap(this::customKind)
        .doOnNext(t -> kinds.put(t.groupResource(), t))
        .then(Mono.defer(() -> count(ns, quota, hard, kinds.values())));
  }

  /** The kind a CustomResourceDefinition named {@code <resource>.<group>} defines, if any. */
  private Mono<ResourceType> customKind(String groupResource) {
    return client
        .resource(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS, CustomResourceDefinition.class)
        .get(null, groupResource)
        .mapNotNull(CustomResourceTypes::storageType)
        .filter(ResourceType::namespaced)
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  private Mono<Map<String, BigDecimal>> count(
      String ns, JsonNode quota, Map<String, BigDecimal> hard, Collection<ResourceType> kinds) {
    Map<String, BigDecimal> used = new TreeMap<>();
    hard.keySet().forEach(k -> used.put(k, BigDecimal.ZERO));
    // uid -> resourceVersion of every listed object, to tell which reservations a list shows
    Map<String, Long> listed = new HashMap<>();
    return Flux.fromIterable(kinds)
        .concatMap(
            t ->
                client
                    .resource(t, GenericKubernetesResource.class)
                    .listAll(ns, ListOptions.none())
                    .doOnNext(
                        list -> {
                          UsageEvaluator ev = evaluators.of(t.group(), t.plural());
                          for (GenericKubernetesResource o : list.items()) {
                            JsonNode node = mapper.valueToTree(o);
                            listed.put(
                                o.getMetadata().getUid(),
                                parseRv(o.getMetadata().getResourceVersion()));
                            if (ev.applies(quota, hard, node)) {
                              add(used, ev.usage(node), hard);
                            }
                          }
                        }))
        .then(
            Mono.fromSupplier(
                () -> {
                  long now = clock.millis();
                  JsonNode annotation =
                      quota.path("metadata").path("annotations").get(QuotaReservations.ANNOTATION);
                  QuotaReservations.parse(annotation == null ? null : annotation.asString(""))
                      .entries()
                      .forEach(
                          (uid, e) -> {
                            if (QuotaReservations.live(e, now) && !e.coveredBy(listed.get(uid))) {
                              add(used, e.usage(), hard);
                            }
                          });
                  return used;
                }));
  }

  /** The built-in kind a {@code count/<resource>.<group>} name counts, if it is one. */
  private static Optional<ResourceType> builtIn(String name) {
    String gr = name.substring(6);
    int dot = gr.indexOf('.');
    String resource = dot < 0 ? gr : gr.substring(0, dot);
    String group = dot < 0 ? "" : gr.substring(dot + 1);
    return BuiltInResources.registry().all().stream()
        .filter(t -> t.namespaced() && t.plural().equals(resource) && t.group().equals(group))
        .findFirst();
  }

  private static void add(
      Map<String, BigDecimal> used, Map<String, BigDecimal> usage, Map<String, BigDecimal> hard) {
    usage.forEach(
        (k, v) -> {
          if (hard.containsKey(k)) {
            used.merge(k, v, BigDecimal::add);
          }
        });
  }

  private static long parseRv(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  private Mono<ResourceQuota> write(
      ResourceQuota quota, Map<String, BigDecimal> hard, Map<String, BigDecimal> used) {
    Map<String, Quantity> hardOut = new TreeMap<>();
    hard.forEach((k, v) -> hardOut.put(k, new Quantity(Quantities.format(k, v))));
    Map<String, Quantity> usedOut = new TreeMap<>();
    used.forEach((k, v) -> usedOut.put(k, new Quantity(Quantities.format(k, v))));
    if (quota.getStatus() != null
        && same(quota.getStatus().getHard(), hardOut)
        && same(quota.getStatus().getUsed(), usedOut)) {
      return Mono.empty();
    }
    ResourceQuota updated =
        new ResourceQuotaBuilder(quota)
            .withNewStatus()
            .withHard(hardOut)
            .withUsed(usedOut)
            .endStatus()
            .build();
    return client
        .resource(BuiltInResources.RESOURCE_QUOTAS, ResourceQuota.class)
        .updateStatus(updated);
  }

  private static boolean same(Map<String, Quantity> a, Map<String, Quantity> b) {
    if (a == null) {
      return b.isEmpty();
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Quantity> e : b.entrySet()) {
      Quantity q = a.get(e.getKey());
      if (q == null || !q.toString().equals(e.getValue().toString())) {
        return false;
      }
    }
    return true;
  }
}
