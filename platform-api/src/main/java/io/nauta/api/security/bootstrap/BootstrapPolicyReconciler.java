package io.nauta.api.security.bootstrap;

import io.nauta.api.cache.RepairLoop;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates the {@link BootstrapPolicy} at start and reconciles it as Kubernetes' {@code
 * rbac/bootstrap-roles} post-start hook does: a missing default is created; a changed one gets back
 * the rules, aggregation rule and subjects it lacks (extra ones a user added stay, retired defaults
 * go: see {@link BootstrapPolicy#retiredSubjects()}), unless it is annotated {@code
 * rbac.authorization.kubernetes.io/autoupdate: "false"}. The server reports ready only after this,
 * so nobody is refused for want of a default binding. With security on it also publishes the client
 * CA and kubeadm's {@code cluster-info} ({@link PublishedConfigMap}), kept by the same recheck.
 *
 * <p>It also checks at once when an RBAC watch cache was rebuilt because Redis lost or rewound its
 * data: until then every component is refused, and a leader refused past its renew deadline loses
 * its lease while its informers, refused too, keep what Redis no longer has.
 */
@Component
public class BootstrapPolicyReconciler implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(BootstrapPolicyReconciler.class);

  private final ResourceService service;
  private final List<PublishedConfigMap> published;
  private final Duration recheckPeriod;
  private final WatchCaches caches;
  private final ObjectProvider<BootstrapPolicyContribution> contributions;
  private volatile boolean done;
  private volatile Disposable recheck;

  /**
   * @param recheckPeriod how often the policy is checked again after start: Kubernetes does it only
   *     at start, but Redis can lose everything under a running server (FLUSHALL, a failover to an
   *     empty replica), and then every component would stay refused until a restart
   */
  public BootstrapPolicyReconciler(
      ResourceService service,
      ObjectProvider<ClusterPki> pki,
      WatchCaches caches,
      @Value("${nauta.rbac.bootstrap-recheck-period:1m}") Duration recheckPeriod,
      ObjectProvider<BootstrapPolicyContribution> contributions,
      Environment env) {
    this.service = service;
    this.caches = caches;
    this.contributions = contributions;
    this.published = published(service, pki.getIfAvailable(), env);
    this.recheckPeriod = recheckPeriod;
  }

  public boolean isDone() {
    return done;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void reconcileAtStart() {
    Flux<ResourceType> rewinds =
        caches
            .rebuiltAfterRewind(
                List.of(
                    BuiltInResources.CLUSTER_ROLES,
                    BuiltInResources.CLUSTER_ROLE_BINDINGS,
                    BuiltInResources.ROLES,
                    BuiltInResources.ROLE_BINDINGS,
                    BuiltInResources.CONFIGMAPS))
            .doOnNext(
                t ->
                    log.info(
                        "{} went back in time; checking the bootstrap RBAC policy now",
                        t.groupResource()));
    recheck =
        RepairLoop.start(
            this::reconcile,
            recheckPeriod,
            rewinds,
            () -> done = true,
            log,
            "check the bootstrap RBAC policy");
  }

  @Override
  public void destroy() {
    Disposable r = recheck;
    if (r != null) {
      r.dispose();
    }
  }

  public Mono<Void> reconcile() {
    List<BootstrapPolicyContribution> added = contributions.orderedStream().toList();
    return Flux.fromIterable(BootstrapPolicy.clusterRoles())
        .concatWith(Flux.fromIterable(added).flatMapIterable(c -> c.clusterRoles()))
        .concatMap(r -> ensure(BuiltInResources.CLUSTER_ROLES, r))
        .thenMany(
            Flux.fromIterable(BootstrapPolicy.clusterRoleBindings())
                .concatWith(Flux.fromIterable(added).flatMapIterable(c -> c.clusterRoleBindings()))
                .concatMap(b -> ensure(BuiltInResources.CLUSTER_ROLE_BINDINGS, b)))
        .thenMany(Flux.fromIterable(namespacesUsed()).concatMap(this::ensureNamespace))
        .thenMany(
            Flux.fromIterable(BootstrapPolicy.roles())
                .concatMap(r -> ensure(BuiltInResources.ROLES, r)))
        .thenMany(
            Flux.fromIterable(BootstrapPolicy.roleBindings())
                .concatMap(b -> ensure(BuiltInResources.ROLE_BINDINGS, b)))
        .thenMany(Flux.fromIterable(published).concatMap(PublishedConfigMap::ensure))
        .then();
  }

  /**
   * With security on: the client CA (kube-apiserver's {@code
   * kube-system/extension-apiserver-authentication}, {@code client-ca-file}) and the cluster's
   * address and server CA (kubeadm's {@code kube-public/cluster-info}).
   */
  private static List<PublishedConfigMap> published(
      ResourceService service, ClusterPki pki, Environment env) {
    if (pki == null) {
      return List.of(); // security off: no CAs to publish
    }
    return List.of(
        new PublishedConfigMap(
            service,
            BootstrapPolicy.SYSTEM_NAMESPACE,
            BootstrapPolicy.AUTHENTICATION_CONFIG_MAP,
            "client-ca-file",
            () -> Pem.read(pki.clientCaCertificate())),
        new PublishedConfigMap(
            service,
            ClusterInfo.NAMESPACE,
            ClusterInfo.NAME,
            ClusterInfo.KEY,
            () ->
                ClusterInfo.kubeconfig(
                    ClusterInfo.serverUrl(env), Pem.read(pki.serverCaCertificate()))));
  }

  /** The namespaces the default roles, bindings and the published ConfigMaps live in. */
  private static Set<String> namespacesUsed() {
    Set<String> names = new TreeSet<>();
    names.add(BootstrapPolicy.SYSTEM_NAMESPACE);
    names.add(ClusterInfo.NAMESPACE);
    for (ObjectNode o : BootstrapPolicy.roles()) {
      names.add(o.path("metadata").path("namespace").asString());
    }
    for (ObjectNode o : BootstrapPolicy.roleBindings()) {
      names.add(o.path("metadata").path("namespace").asString());
    }
    return names;
  }

  /**
   * Creates a namespace the policy needs when it is missing (after Redis lost its data it may not
   * be back yet), as the bootstrap hook's {@code tryEnsureNamespace} does.
   */
  private Mono<Void> ensureNamespace(String name) {
    return service
        .get(BuiltInResources.NAMESPACES, null, name)
        .then()
        .onErrorResume(
            NotFoundException.class,
            e -> {
              ObjectNode ns = JsonNodeFactory.instance.objectNode();
              ns.put("apiVersion", "v1").put("kind", "Namespace");
              ns.putObject("metadata").put("name", name);
              log.info("creating namespace {} for the bootstrap RBAC policy", name);
              return service
                  .create(BuiltInResources.NAMESPACES, null, ns, false)
                  .then()
                  .onErrorResume(AlreadyExistsException.class, x -> Mono.empty());
            });
  }

  private Mono<Void> ensure(ResourceType type, ObjectNode desired) {
    String name = desired.path("metadata").path("name").asString();
    String namespace = desired.path("metadata").path("namespace").asString(null);
    return service
        .get(type, namespace, name)
        .flatMap(
            current -> {
              if (!needsRepair(current, desired)) {
                return Mono.empty();
              }
              log.info("restoring the default {} {}", type.kind(), name);
              return service
                  .guaranteedUpdate(
                      type, namespace, name, null, false, cur -> repaired(cur, desired))
                  .then();
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                service
                    .create(type, namespace, desired, false)
                    .then()
                    .onErrorResume(AlreadyExistsException.class, x -> Mono.empty()));
  }

  private static boolean needsRepair(JsonNode current, ObjectNode desired) {
    if (autoupdateOff(current)) {
      return false;
    }
    return !repaired(((ObjectNode) current).deepCopy(), desired).equals(current);
  }

  private static boolean autoupdateOff(JsonNode obj) {
    return "false"
        .equals(
            obj.path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE).asString(""));
  }

  /** {@code current} with what the default has and it lacks added back. */
  private static ObjectNode repaired(ObjectNode current, ObjectNode desired) {
    if (autoupdateOff(current)) {
      return current;
    }
    ObjectNode meta = (ObjectNode) current.path("metadata");
    mergeMap(meta, desired.path("metadata"), "labels");
    mergeMap(meta, desired.path("metadata"), "annotations");
    if (desired.has("aggregationRule")) {
      // The aggregation controller owns an aggregated role's rules.
      current.set("aggregationRule", desired.get("aggregationRule").deepCopy());
    } else if (desired.has("rules")) {
      addMissing(current, desired, "rules");
    }
    if (desired.has("subjects")) {
      addMissing(current, desired, "subjects");
      String name = desired.path("metadata").path("name").asString("");
      if (current.get("subjects") instanceof ArrayNode subjects) {
        List<ObjectNode> retired = BootstrapPolicy.retiredSubjects().getOrDefault(name, List.of());
        for (int i = subjects.size() - 1; i >= 0; i--) {
          if (retired.contains(subjects.get(i))) {
            subjects.remove(i);
          }
        }
      }
    }
    return current;
  }

  private static void mergeMap(ObjectNode meta, JsonNode desiredMeta, String field) {
    JsonNode wanted = desiredMeta.path(field);
    if (wanted.isEmpty()) {
      return;
    }
    ObjectNode map = meta.get(field) instanceof ObjectNode o ? o : meta.putObject(field);
    wanted
        .properties()
        .forEach(
            e -> {
              if (!map.has(e.getKey())) {
                map.set(e.getKey(), e.getValue().deepCopy());
              }
            });
  }

  private static void addMissing(ObjectNode current, ObjectNode desired, String field) {
    ArrayNode have = current.get(field) instanceof ArrayNode a ? a : current.putArray(field);
    List<JsonNode> existing = new java.util.ArrayList<>();
    have.forEach(existing::add);
    for (JsonNode want : desired.path(field)) {
      if (!existing.contains(want)) {
        have.add(want.deepCopy());
      }
    }
  }
}
