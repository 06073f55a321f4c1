package io.nauta.api.security.bootstrap;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.validation.LabelSelectorValidation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' ClusterRole aggregation controller, run inside the API server (it needs nothing but
 * the ClusterRoles it already caches): a ClusterRole with an {@code aggregationRule} gets as its
 * rules the union of the rules of every ClusterRole its selectors match, in name order, each rule
 * once. Level-triggered: whenever the ClusterRole cache moved, every aggregated role is recomputed
 * and written only if it differs, so several API servers converge on the same rules.
 */
@Component
public class ClusterRoleAggregation implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ClusterRoleAggregation.class);

  private final WatchCache clusterRoles;
  private final ResourceService service;
  private final JsonMapper mapper;
  private volatile long seenVersion = -1;
  private Disposable loop;

  public ClusterRoleAggregation(WatchCaches caches, ResourceService service, JsonMapper mapper) {
    this.clusterRoles = caches.get(BuiltInResources.CLUSTER_ROLES);
    this.service = service;
    this.mapper = mapper;
  }

  @Override
  public void start() {
    loop =
        Flux.interval(Duration.ofMillis(500))
            .onBackpressureDrop()
            .filter(t -> clusterRoles.isSynced())
            .concatMap(
                t -> {
                  long version = clusterRoles.appliedResourceVersion();
                  if (version == seenVersion) {
                    return Mono.empty();
                  }
                  return aggregateAll()
                      .doOnSuccess(v -> seenVersion = version)
                      .onErrorResume(
                          e -> {
                            log.debug(
                                "cluster role aggregation failed, retrying: {}", e.toString());
                            return Mono.empty();
                          });
                })
            .subscribe();
  }

  Mono<Void> aggregateAll() {
    List<CachedObject> all = clusterRoles.list(ObjectFilter.all(), 0, null).items();
    return Flux.fromIterable(all)
        .filter(o -> o.node().has("aggregationRule"))
        .concatMap(o -> aggregate(o, all))
        .then();
  }

  private Mono<Void> aggregate(CachedObject target, List<CachedObject> all) {
    List<LabelSelector> selectors = new ArrayList<>();
    for (JsonNode s : target.node().path("aggregationRule").path("clusterRoleSelectors")) {
      selectors.add(mapper.treeToValue(s, LabelSelector.class));
    }
    ArrayNode rules = mapper.createArrayNode();
    all.stream()
        .filter(o -> !o.name().equals(target.name()))
        .filter(
            o -> selectors.stream().anyMatch(s -> LabelSelectorValidation.matches(s, o.labels())))
        .sorted(Comparator.comparing(CachedObject::name))
        .forEach(
            o -> {
              for (JsonNode rule : o.node().path("rules")) {
                if (!contains(rules, rule)) {
                  rules.add(rule.deepCopy());
                }
              }
            });
    if (rules.equals(target.node().path("rules"))) {
      return Mono.empty();
    }
    return service
        .guaranteedUpdate(
            BuiltInResources.CLUSTER_ROLES,
            null,
            target.name(),
            null,
            false,
            current -> {
              ObjectNode updated = current;
              updated.set("rules", rules.deepCopy());
              return updated;
            })
        .then();
  }

  private static boolean contains(ArrayNode rules, JsonNode rule) {
    for (JsonNode r : rules) {
      if (r.equals(rule)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void stop() {
    if (loop != null) {
      loop.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return loop != null && !loop.isDisposed();
  }
}
