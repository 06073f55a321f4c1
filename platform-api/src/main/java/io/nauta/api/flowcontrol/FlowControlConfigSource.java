package io.nauta.api.flowcontrol;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.core.flowcontrol.FlowControlBootstrap;
import io.nauta.core.registry.BuiltInResources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The flow control configuration in force, read from this API server's own watch caches of
 * FlowSchemas and PriorityLevelConfigurations (no Redis read per request) and rebuilt only when one
 * of them applied an event, so a change takes effect on the next request, as Kubernetes' APF
 * controller digests its informers' objects.
 *
 * <p>As that controller does, the configuration always holds the mandatory objects: a missing one
 * (caches not synced yet, Redis emptied or gone back in time, an object just deleted and not yet
 * restored by {@link FlowControlBootstrapReconciler}) is stood in for by its built-in copy. So
 * {@code system:masters} stays exempt and everyone else falls to {@code catch-all} (a small share,
 * rejecting rather than queuing) until the suggested objects are back. A FlowSchema whose priority
 * level does not exist is left out, as Kubernetes ignores a dangling schema.
 */
public final class FlowControlConfigSource {

  private final List<WatchCache> caches;
  private final FlowControlProperties properties;
  private final Scheduler timer;
  private final FlowControlMetrics metrics;
  private final Map<String, QueueSet> queueSets = new ConcurrentHashMap<>();
  private volatile Snapshot current = new Snapshot(new long[] {-1}, List.of(), Map.of());

  record Snapshot(
      long[] versions, List<FlowSchemaRules> flowSchemas, Map<String, PriorityLevel> levels) {}

  public FlowControlConfigSource(
      WatchCaches watchCaches,
      FlowControlProperties properties,
      Scheduler timer,
      FlowControlMetrics metrics) {
    this.caches =
        List.of(
            watchCaches.get(BuiltInResources.FLOW_SCHEMAS),
            watchCaches.get(BuiltInResources.PRIORITY_LEVEL_CONFIGURATIONS));
    this.properties = properties;
    this.timer = timer;
    this.metrics = metrics;
  }

  /** The schema, level and flow of a request: the first schema matching it, else catch-all. */
  Classification classify(AuthorizationAttributes request) {
    Snapshot s = snapshot();
    for (FlowSchemaRules fs : s.flowSchemas()) {
      if (fs.matches(request)) {
        return new Classification(
            fs, s.levels().get(fs.priorityLevel()), fs.distinguisher(request));
      }
    }
    // Only a request the mandatory catch-all does not cover (none has no user) gets here.
    FlowSchemaRules catchAll =
        s.flowSchemas().stream()
            .filter(f -> f.name().equals(FlowControlBootstrap.CATCH_ALL))
            .findFirst()
            .orElseThrow();
    return new Classification(
        catchAll, s.levels().get(catchAll.priorityLevel()), catchAll.distinguisher(request));
  }

  Snapshot snapshot() {
    long[] versions = versions();
    Snapshot s = current;
    if (Arrays.equals(s.versions(), versions)) {
      return s;
    }
    synchronized (this) {
      s = current;
      if (Arrays.equals(s.versions(), versions)) {
        return s;
      }
      Snapshot built = build(versions, objects(caches.get(0)), objects(caches.get(1)));
      current = built;
      return built;
    }
  }

  private Snapshot build(long[] versions, List<ObjectNode> flowSchemas, List<ObjectNode> levels) {
    Map<String, ObjectNode> byName = new LinkedHashMap<>();
    levels.forEach(pl -> byName.put(pl.path("metadata").path("name").asString(""), pl));
    for (ObjectNode mandatory : FlowControlBootstrap.mandatoryPriorityLevels()) {
      byName.putIfAbsent(mandatory.path("metadata").path("name").asString(), mandatory);
    }
    int sharesSum = 0;
    for (ObjectNode pl : byName.values()) {
      sharesSum += shares(pl);
    }
    Map<String, PriorityLevel> digested = new LinkedHashMap<>();
    for (Map.Entry<String, ObjectNode> e : byName.entrySet()) {
      digested.put(e.getKey(), digest(e.getKey(), e.getValue(), sharesSum));
    }
    queueSets.keySet().retainAll(digested.keySet());

    List<FlowSchemaRules> schemas = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ObjectNode fs : flowSchemas) {
      FlowSchemaRules rules = FlowSchemaRules.of(fs);
      names.add(rules.name());
      if (digested.containsKey(rules.priorityLevel())) {
        schemas.add(rules);
      }
    }
    for (ObjectNode mandatory : FlowControlBootstrap.mandatoryFlowSchemas()) {
      if (!names.contains(mandatory.path("metadata").path("name").asString())) {
        schemas.add(FlowSchemaRules.of(mandatory));
      }
    }
    schemas.sort(
        Comparator.comparingInt(FlowSchemaRules::matchingPrecedence)
            .thenComparing(FlowSchemaRules::name));
    return new Snapshot(versions, List.copyOf(schemas), Map.copyOf(digested));
  }

  private PriorityLevel digest(String name, JsonNode pl, int sharesSum) {
    String uid = pl.path("metadata").path("uid").asString("");
    JsonNode spec = pl.path("spec");
    if ("Exempt".equals(spec.path("type").asString(""))) {
      return new PriorityLevel(name, uid, true, null);
    }
    JsonNode limited = spec.path("limited");
    int limit = nominalConcurrencyLimit(properties.serverConcurrencyLimit(), shares(pl), sharesSum);
    JsonNode queuing = limited.path("limitResponse").path("queuing");
    QueueSet.Queuing q =
        "Queue".equals(limited.path("limitResponse").path("type").asString(""))
            ? new QueueSet.Queuing(
                queuing.path("queues").asInt(64),
                queuing.path("handSize").asInt(8),
                queuing.path("queueLengthLimit").asInt(50))
            : null;
    QueueSet set =
        queueSets.compute(
            name,
            (k, existing) -> {
              if (existing == null) {
                return new QueueSet(
                    name, limit, q, properties.requestWaitLimit(), timer, metrics.listener(name));
              }
              existing.configure(limit, q);
              return existing;
            });
    return new PriorityLevel(name, uid, false, set);
  }

  /** Kubernetes' nominal concurrency limit: {@code ceil(serverCL × shares / Σshares)}. */
  static int nominalConcurrencyLimit(int serverLimit, int shares, int sharesSum) {
    if (sharesSum <= 0) {
      return 0;
    }
    return (int) Math.ceil((double) serverLimit * shares / sharesSum);
  }

  private static int shares(JsonNode pl) {
    JsonNode spec = pl.path("spec");
    if ("Exempt".equals(spec.path("type").asString(""))) {
      return spec.path("exempt").path("nominalConcurrencyShares").asInt(0);
    }
    return spec.path("limited").path("nominalConcurrencyShares").asInt(30);
  }

  private long[] versions() {
    long[] v = new long[caches.size() * 2];
    for (int i = 0; i < caches.size(); i++) {
      WatchCache.ReadPoint point = caches.get(i).readPoint();
      v[2 * i] = point.appliedRv();
      v[2 * i + 1] = point.rewinds();
    }
    return v;
  }

  static List<ObjectNode> objects(WatchCache cache) {
    return cache.list(ObjectFilter.all(), 0, null).items().stream()
        .map(CachedObject::node)
        .toList();
  }
}
