package io.nauta.api.flowcontrol;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.RepairLoop;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.flowcontrol.FlowControlBootstrap;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code priority-and-fairness-config-producer} post-start hook and its status
 * controller: the {@link FlowControlBootstrap} objects are written at start (a mandatory one is
 * always put back as it must be; a suggested one is created when missing and kept up to date while
 * its {@value FlowControlBootstrap#AUTOUPDATE} annotation is true, or absent on an object no one
 * has changed), and each FlowSchema's {@code Dangling} condition says whether its priority level
 * exists (kubectl's MISSINGPL column).
 *
 * <p>Like the RBAC bootstrap it checks again periodically and at once when a flowcontrol watch
 * cache was rebuilt because Redis went back in time: until then the filter falls back as {@link
 * FlowControlConfigSource} describes.
 */
@Component
public class FlowControlBootstrapReconciler implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(FlowControlBootstrapReconciler.class);
  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  private final ResourceService service;
  private final WatchCaches caches;
  private final Duration recheckPeriod;
  private volatile Disposable recheck;

  public FlowControlBootstrapReconciler(
      ResourceService service,
      WatchCaches caches,
      @Value("${nauta.flowcontrol.bootstrap-recheck-period:1m}") Duration recheckPeriod) {
    this.service = service;
    this.caches = caches;
    this.recheckPeriod = recheckPeriod;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void reconcileAtStart() {
    Flux<ResourceType> rewinds =
        caches
            .rebuiltAfterRewind(
                List.of(
                    BuiltInResources.FLOW_SCHEMAS, BuiltInResources.PRIORITY_LEVEL_CONFIGURATIONS))
            .doOnNext(
                t ->
                    log.info(
                        "{} went back in time; checking the flow control configuration",
                        t.groupResource()));
    recheck =
        RepairLoop.start(
            this::reconcile,
            recheckPeriod,
            rewinds,
            () -> {},
            log,
            "check the flow control bootstrap configuration");
  }

  @Override
  public void destroy() {
    Disposable r = recheck;
    if (r != null) {
      r.dispose();
    }
  }

  public Mono<Void> reconcile() {
    ResourceType pls = BuiltInResources.PRIORITY_LEVEL_CONFIGURATIONS;
    ResourceType fss = BuiltInResources.FLOW_SCHEMAS;
    return Flux.fromIterable(FlowControlBootstrap.mandatoryPriorityLevels())
        .concatMap(o -> ensure(pls, o, true))
        .thenMany(
            Flux.fromIterable(FlowControlBootstrap.suggestedPriorityLevels())
                .concatMap(o -> ensure(pls, o, false)))
        .thenMany(
            Flux.fromIterable(FlowControlBootstrap.mandatoryFlowSchemas())
                .concatMap(o -> ensure(fss, o, true)))
        .thenMany(
            Flux.fromIterable(FlowControlBootstrap.suggestedFlowSchemas())
                .concatMap(o -> ensure(fss, o, false)))
        .then(updateDanglingConditions());
  }

  private Mono<Void> ensure(ResourceType type, ObjectNode bootstrap, boolean mandatory) {
    String name = Meta.name(bootstrap);
    return service
        .get(type, null, name)
        .flatMap(
            current -> {
              ObjectNode revised = revised(current, bootstrap, mandatory);
              if (revised == null) {
                return Mono.empty();
              }
              log.info(
                  "updating the {} {} {}",
                  mandatory ? "mandatory" : "suggested",
                  type.kind(),
                  name);
              return service
                  .guaranteedUpdate(
                      type,
                      null,
                      name,
                      null,
                      false,
                      cur -> {
                        ObjectNode r = revised(cur, bootstrap, mandatory);
                        return r == null ? cur : r;
                      })
                  .then();
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                service
                    .create(type, null, bootstrap.deepCopy(), false)
                    .then()
                    .onErrorResume(AlreadyExistsException.class, x -> Mono.empty()));
  }

  /**
   * What {@code current} must become, or null when it stays: Kubernetes' ensurer {@code
   * ReviseIfNeeded}. The annotation records whether the spec is kept up to date; a mandatory object
   * always is, except the {@code exempt} field of the {@code exempt} level, which is the
   * administrator's.
   */
  static ObjectNode revised(ObjectNode current, ObjectNode bootstrap, boolean mandatory) {
    boolean autoUpdate = mandatory || shouldUpdateSpec(current);
    String annotation =
        current
            .path("metadata")
            .path("annotations")
            .path(FlowControlBootstrap.AUTOUPDATE)
            .asString(null);
    boolean annotationRight =
        annotation != null && (autoUpdate ? TRUE : FALSE).contains(annotation);
    if (!autoUpdate && annotationRight) {
      return null;
    }
    ObjectNode next = current.deepCopy();
    ((ObjectNode) next.path("metadata"))
        .withObject("/annotations")
        .put(FlowControlBootstrap.AUTOUPDATE, Boolean.toString(autoUpdate));
    if (autoUpdate) {
      ObjectNode spec = ((ObjectNode) bootstrap.get("spec")).deepCopy();
      if (mandatory
          && FlowControlBootstrap.EXEMPT.equals(Meta.name(bootstrap))
          && "PriorityLevelConfiguration".equals(bootstrap.path("kind").asString(""))
          && current.path("spec").get("exempt") != null) {
        spec.set("exempt", current.path("spec").get("exempt").deepCopy());
      }
      next.set("spec", spec);
    }
    return next.equals(current) ? null : next;
  }

  /**
   * Kubernetes' {@code shouldUpdateSpec}: the annotation when it is a boolean; otherwise only an
   * object no one has changed since it was created (generation 1) is taken over.
   */
  private static boolean shouldUpdateSpec(JsonNode current) {
    String value =
        current
            .path("metadata")
            .path("annotations")
            .path(FlowControlBootstrap.AUTOUPDATE)
            .asString(null);
    if (value != null && TRUE.contains(value)) {
      return true;
    }
    if (value != null && FALSE.contains(value)) {
      return false;
    }
    return current.path("metadata").path("generation").asLong(0) == 1;
  }

  /** Sets each FlowSchema's {@code Dangling} condition, as Kubernetes' APF controller does. */
  private Mono<Void> updateDanglingConditions() {
    return Mono.defer(
        () -> {
          Set<String> levels = names(caches.get(BuiltInResources.PRIORITY_LEVEL_CONFIGURATIONS));
          return Flux.fromIterable(objects(caches.get(BuiltInResources.FLOW_SCHEMAS)))
              .concatMap(
                  fs -> {
                    String level =
                        fs.path("spec")
                            .path("priorityLevelConfiguration")
                            .path("name")
                            .asString("");
                    boolean dangling = !levels.contains(level);
                    if (danglingStatus(fs).equals(dangling ? "True" : "False")) {
                      return Mono.empty();
                    }
                    return service
                        .guaranteedUpdate(
                            BuiltInResources.FLOW_SCHEMAS,
                            null,
                            Meta.name(fs),
                            "status",
                            false,
                            cur -> withDangling(cur, level, dangling, Instant.now()))
                        .then()
                        .onErrorResume(NotFoundException.class, e -> Mono.empty());
                  })
              .then();
        });
  }

  private static List<ObjectNode> objects(WatchCache cache) {
    return cache.list(ObjectFilter.all(), 0, null).items().stream()
        .map(CachedObject::node)
        .toList();
  }

  private static Set<String> names(WatchCache cache) {
    Set<String> names = new java.util.HashSet<>();
    for (ObjectNode o : objects(cache)) {
      names.add(Meta.name(o));
    }
    return names;
  }

  static String danglingStatus(JsonNode fs) {
    for (JsonNode c : fs.path("status").path("conditions")) {
      if ("Dangling".equals(c.path("type").asString(""))) {
        return c.path("status").asString("");
      }
    }
    return "";
  }

  static ObjectNode withDangling(ObjectNode fs, String level, boolean dangling, Instant now) {
    ObjectNode next = fs.deepCopy();
    ArrayNode conditions = next.withObject("/status").withArray("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if ("Dangling".equals(conditions.get(i).path("type").asString(""))) {
        conditions.remove(i);
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", "Dangling");
    c.put("status", dangling ? "True" : "False");
    c.put("lastTransitionTime", Meta.timestamp(now));
    c.put("reason", dangling ? "NotFound" : "Found");
    c.put(
        "message",
        dangling
            ? "This FlowSchema references the PriorityLevelConfiguration object named \""
                + level
                + "\" but there is no such object"
            : "This FlowSchema references the PriorityLevelConfiguration object named \""
                + level
                + "\" and it exists");
    return next;
  }
}
