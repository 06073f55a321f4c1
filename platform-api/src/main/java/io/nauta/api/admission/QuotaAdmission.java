package io.nauta.api.admission;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.quota.Evaluators;
import io.nauta.core.quota.Quantities;
import io.nauta.core.quota.QuotaReservations;
import io.nauta.core.quota.UsageEvaluator;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code ResourceQuota} admission plugin ({@code plugin/pkg/admission/resourcequota}):
 * a create (or an update that changes usage: a claim that grows, a service that turns NodePort) is
 * charged to every quota of its namespace that tracks what it uses and whose scopes it falls in,
 * and refused with 403 when it would take a quota past {@code status.hard} ({@code exceeded quota:
 * q, requested: …, used: …, limited: …}), when it does not state a compute resource a quota tracks
 * ({@code failed quota: q: must specify …}), or when a quota's usage is not known yet.
 *
 * <p><b>No race.</b> As upstream, the charge is a compare-and-swap on the quota object: {@code
 * status.used} is raised with the quota's resourceVersion as precondition, before the object is
 * written; a concurrent charge makes it conflict, and the whole check runs again on the quota as it
 * now is. Two creates can therefore never both fit in room for one. A write that fails afterwards
 * gives its charge back ({@link io.nauta.api.admission.StoreHooks.Finish} with false).
 *
 * <p><b>The controller's window.</b> The quota controller recomputes {@code used} from a list of
 * the namespace's objects; a pod whose charge is on the quota but whose own write is still in
 * flight is in no list, and a recount in that window would lower {@code used} and let another pod
 * in. So each charge also records a reservation in the quota's annotation {@value #RESERVATIONS}
 * (the object's uid, its kind and name, the resourceVersion an update started from, the time and
 * the usage charged; see {@link QuotaReservations}), in the same compare-and-swap. Once the object
 * is written the reservation is removed (another compare-and-swap): from then on any list shows the
 * object. The controller reads the quota before it lists and writes {@code used} with the read
 * quota's resourceVersion as precondition, adding every reservation whose object its list does not
 * show: the in-flight charges stay counted, and a charge that lands after its read makes its write
 * conflict. A reservation left by an API server that died mid-write counts for {@link
 * QuotaReservations#TTL} at most.
 */
@Component
public class QuotaAdmission {

  public static final String RESERVATIONS = QuotaReservations.ANNOTATION;

  private static final int MAX_ATTEMPTS = 64;
  private static final Set<ResourceType> IGNORED =
      Set.of(BuiltInResources.EVENTS, BuiltInResources.LEASES);

  private final RedisObjectStore store;
  private final NamespaceObjects objects;
  private final ObjectCodec codec;
  private final Evaluators evaluators;
  private final Clock clock;
  private final boolean enabled;

  /** Upstream's {@code liveLookupCache} of quotas: 100 namespaces. */
  private final LiveLookupCache liveLookups = new LiveLookupCache(100);

  public QuotaAdmission(
      RedisObjectStore store,
      NamespaceObjects objects,
      ObjectCodec codec,
      @Value("${nauta.admission.resource-quota.enabled:true}") boolean enabled) {
    this.store = store;
    this.objects = objects;
    this.codec = codec;
    this.clock = Clock.systemUTC();
    this.evaluators = new Evaluators(clock);
    this.enabled = enabled;
  }

  /**
   * Charges {@code obj} (a create when {@code old} is null, else an update of {@code old} stored at
   * {@code oldResourceVersion}) to the quotas of its namespace; the returned {@code Finish} keeps
   * the charge on success and gives it back on failure.
   */
  public Mono<StoreHooks.Finish> reserve(
      ResourceType type, ObjectNode obj, ObjectNode old, long oldResourceVersion) {
    if (!enabled || !type.namespaced() || IGNORED.contains(type)) {
      return StoreHooks.Finish.NOTHING;
    }
    UsageEvaluator evaluator = evaluators.of(type.group(), type.plural());
    if (old != null && (!evaluator.chargesUpdates() || Meta.isDeleting(old))) {
      return StoreHooks.Finish.NOTHING;
    }
    String namespace = Meta.namespace(obj);
    AtomicBoolean conflicted = new AtomicBoolean();
    return Mono.defer(
            () -> attempt(type, evaluator, namespace, obj, old, oldResourceVersion, conflicted))
        .doOnError(ConflictException.class, e -> conflicted.set(true))
        .retryWhen(
            Retry.backoff(MAX_ATTEMPTS, Duration.ofMillis(2))
                .maxBackoff(Duration.ofMillis(50))
                .jitter(0.9)
                .filter(ConflictException.class::isInstance)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  private Mono<StoreHooks.Finish> attempt(
      ResourceType type,
      UsageEvaluator evaluator,
      String namespace,
      ObjectNode obj,
      ObjectNode old,
      long oldResourceVersion,
      AtomicBoolean conflicted) {
    return quotas(namespace, conflicted.get())
        .flatMap(
            quotas -> {
              if (quotas.isEmpty()) {
                return StoreHooks.Finish.NOTHING;
              }
              List<Charge> charges = charges(type, evaluator, quotas, obj, old, oldResourceVersion);
              if (charges.isEmpty()) {
                return StoreHooks.Finish.NOTHING;
              }
              return write(charges, 0, new ArrayList<>())
                  .map(written -> (StoreHooks.Finish) success -> settle(written, !success));
            });
  }

  /**
   * The namespace's quotas. First from this server's watch cache, as upstream's {@code
   * quotaAccessor.GetQuotas} takes them from its informer (no Redis read on a create): it has
   * applied every write made through this server, but may lag behind one made through another, or
   * still show a quota Redis lost until its rebuild after the rewind. That is safe because every
   * charge is a compare-and-swap on the quota's resourceVersion: a stale quota's charge conflicts
   * (or finds it gone) and the check runs again, then on a consistent read ({@code fresh}) that has
   * applied what the write conflicted with. A quota the cache does not hold yet is what the live
   * lookup on an empty cache is for, remembered per namespace for 30 s as upstream does: the window
   * in which a create can pass a quota created through another server is the cache's lag, as
   * upstream's is its informer's.
   */
  private Mono<List<CachedObject>> quotas(String namespace, boolean fresh) {
    return fresh
        ? objects.list(BuiltInResources.RESOURCE_QUOTAS, namespace)
        : objects.cachedElseLive(BuiltInResources.RESOURCE_QUOTAS, namespace, liveLookups);
  }

  /** One quota's new state: its stored version and what this request adds to it. */
  private record Charge(
      CachedObject quota, String uid, Map<String, BigDecimal> requested, ObjectNode updated) {}

  /** What each pertinent quota is charged, or a 403 ({@code checkRequest}). */
  private List<Charge> charges(
      ResourceType type,
      UsageEvaluator evaluator,
      List<CachedObject> quotas,
      ObjectNode obj,
      ObjectNode old,
      long oldResourceVersion) {
    List<CachedObject> interesting = new ArrayList<>();
    List<CachedObject> sorted = new ArrayList<>(quotas);
    sorted.sort(Comparator.comparing(CachedObject::name));
    for (CachedObject q : sorted) {
      Map<String, BigDecimal> hard = list(q.node().path("status").path("hard"));
      if (!evaluator.applies(q.node(), hard, obj)) {
        continue;
      }
      Set<String> restricted = new TreeSet<>();
      hard.keySet().stream().filter(evaluator::matches).forEach(restricted::add);
      var failed = evaluator.constraints(restricted, obj);
      if (failed.isPresent()) {
        throw forbidden(type, obj, "failed quota: " + q.name() + ": " + failed.get());
      }
      JsonNode used = q.node().path("status").path("used");
      List<String> unknown = restricted.stream().filter(r -> !used.has(r)).toList();
      if (!unknown.isEmpty()) {
        throw forbidden(
            type,
            obj,
            "status unknown for quota: "
                + q.name()
                + ", resources: "
                + String.join(",", restricted));
      }
      interesting.add(q);
    }
    if (interesting.isEmpty()) {
      return List.of();
    }
    Map<String, BigDecimal> delta = new TreeMap<>(evaluator.usage(obj));
    if (old != null) {
      Map<String, BigDecimal> before = evaluator.usage(old);
      delta.replaceAll(
          (k, v) -> v.subtract(before.getOrDefault(k, BigDecimal.ZERO)).max(BigDecimal.ZERO));
    }
    delta.values().removeIf(v -> v.signum() == 0);
    if (delta.isEmpty()) {
      return List.of();
    }
    List<Charge> charges = new ArrayList<>();
    long now = clock.millis();
    for (CachedObject q : interesting) {
      Map<String, BigDecimal> hard = list(q.node().path("status").path("hard"));
      Map<String, BigDecimal> used = list(q.node().path("status").path("used"));
      Map<String, BigDecimal> requested = new TreeMap<>(delta);
      requested.keySet().retainAll(hard.keySet());
      if (requested.isEmpty()) {
        continue;
      }
      List<String> exceeded = new ArrayList<>();
      Map<String, BigDecimal> newUsed = new TreeMap<>(used);
      requested.forEach(
          (k, v) -> {
            BigDecimal total = used.getOrDefault(k, BigDecimal.ZERO).add(v);
            newUsed.put(k, total);
            if (total.compareTo(hard.get(k)) > 0) {
              exceeded.add(k);
            }
          });
      if (!exceeded.isEmpty()) {
        throw forbidden(
            type,
            obj,
            "exceeded quota: "
                + q.name()
                + ", requested: "
                + Quantities.pretty(mask(requested, exceeded))
                + ", used: "
                + Quantities.pretty(mask(used, exceeded))
                + ", limited: "
                + Quantities.pretty(mask(hard, exceeded)));
      }
      ObjectNode updated = q.node().deepCopy();
      ObjectNode usedNode = Defaults.object(Defaults.object(updated, "status"), "used");
      newUsed.forEach((k, v) -> usedNode.put(k, Quantities.format(k, v)));
      QuotaReservations reservations = QuotaReservations.of(updated).pruned(now);
      reservations
          .with(
              Meta.uid(obj),
              new QuotaReservations.Entry(
                  type.group() + "/" + type.plural(),
                  Meta.name(obj),
                  old == null ? 0 : oldResourceVersion,
                  now,
                  requested))
          .writeTo(updated);
      charges.add(new Charge(q, Meta.uid(obj), requested, updated));
    }
    return charges;
  }

  /**
   * Writes the charges one quota at a time, each with its read resourceVersion as precondition; on
   * a conflict (or any failure), gives back what this attempt already wrote and lets the caller
   * start over (or fail).
   */
  private Mono<List<Charge>> write(List<Charge> charges, int i, List<Charge> written) {
    if (i == charges.size()) {
      return Mono.just(written);
    }
    Charge c = charges.get(i);
    return store
        .update(
            BuiltInResources.RESOURCE_QUOTAS,
            c.quota().namespace(),
            c.quota().name(),
            codec.toStorage(c.updated()),
            c.quota().resourceVersion())
        // a quota deleted since it was read (a stale cache's, or a race) is checked again like a
        // quota changed since: the next attempt's consistent read no longer holds it
        .onErrorMap(
            NotFoundException.class,
            e ->
                ConflictException.staleResourceVersion(
                    new ResourceRef(
                        BuiltInResources.RESOURCE_QUOTAS.group(),
                        BuiltInResources.RESOURCE_QUOTAS.plural(),
                        c.quota().name())))
        .then(
            Mono.defer(
                () -> {
                  written.add(c);
                  return write(charges, i + 1, written);
                }))
        // a conflict starts over; any other failure refuses the request: either way, what this
        // attempt already charged goes back
        .onErrorResume(e -> settle(written, true).then(Mono.error(e)));
  }

  /**
   * After the object's write: removes the reservations, and when the write failed ({@code
   * giveBack}) the charges too. Each quota is read and written again until its compare-and-swap
   * holds.
   */
  private Mono<Void> settle(List<Charge> written, boolean giveBack) {
    return reactor.core.publisher.Flux.fromIterable(written)
        .concatMap(c -> settleOne(c, giveBack))
        .then();
  }

  private Mono<Void> settleOne(Charge c, boolean giveBack) {
    String ns = c.quota().namespace();
    String name = c.quota().name();
    String uid = c.uid();
    return Mono.defer(
            () ->
                store
                    .get(BuiltInResources.RESOURCE_QUOTAS, ns, name)
                    .flatMap(
                        stored -> {
                          ObjectNode quota = codec.parseStored(stored.json());
                          QuotaReservations r = QuotaReservations.of(quota);
                          if (!r.has(uid)) {
                            return Mono.empty(); // recreated, or pruned: nothing of ours is left
                          }
                          r.without(uid).pruned(clock.millis()).writeTo(quota);
                          if (giveBack) {
                            ObjectNode used =
                                Defaults.object(Defaults.object(quota, "status"), "used");
                            c.requested()
                                .forEach(
                                    (k, v) -> {
                                      if (used.has(k)) {
                                        BigDecimal left =
                                            Quantities.amount(used.path(k).asString(""))
                                                .subtract(v)
                                                .max(BigDecimal.ZERO);
                                        used.put(k, Quantities.format(k, left));
                                      }
                                    });
                          }
                          return store.update(
                              BuiltInResources.RESOURCE_QUOTAS,
                              ns,
                              name,
                              codec.toStorage(quota),
                              stored.resourceVersion());
                        }))
        .retryWhen(
            Retry.backoff(MAX_ATTEMPTS, Duration.ofMillis(2))
                .maxBackoff(Duration.ofMillis(50))
                .jitter(0.9)
                .filter(ConflictException.class::isInstance))
        .onErrorResume(e -> Mono.empty()) // the controller's recount and the TTL repair the rest
        .then();
  }

  private static Map<String, BigDecimal> mask(Map<String, BigDecimal> list, List<String> names) {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (String n : names) {
      out.put(n, list.getOrDefault(n, BigDecimal.ZERO));
    }
    return out;
  }

  static Map<String, BigDecimal> list(JsonNode node) {
    Map<String, BigDecimal> out = new TreeMap<>();
    node.properties()
        .forEach(e -> out.put(e.getKey(), Quantities.amount(e.getValue().asString(""))));
    return out;
  }

  private static ForbiddenException forbidden(ResourceType type, ObjectNode obj, String why) {
    return LimitRanger.forbidden(type, obj, List.of(why));
  }
}
