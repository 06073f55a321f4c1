package io.nauta.federation.cluster;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ApiException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.ClusterStatus;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.NodeSummary;
import io.nauta.federation.api.ResourceSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Karmada's cluster status controller for Push members: probes each member's {@code /readyz} every
 * {@code probeInterval} and keeps its {@code Ready} condition, version and summaries.
 *
 * <ul>
 *   <li>A probe answered {@code ok}: {@code Ready=True}, reason {@code ClusterReady}, at once.
 *   <li>{@code failureThreshold} probes in a row failed: {@code Ready=False}, reason {@code
 *       ClusterNotReady}, when the member answered but not {@code ok}; {@code Ready=Unknown},
 *       reason {@code ClusterNotReachable}, when it did not answer in {@code probeTimeout} (or its
 *       endpoint and credentials are unusable). Fewer failures change nothing.
 *   <li>As Karmada's cluster controller taints by condition: {@code Ready=False} gets the taint
 *       {@code cluster.karmada.io/not-ready}, {@code Ready=Unknown} {@code
 *       cluster.karmada.io/unreachable}, both {@code NoSchedule}; {@code Ready=True} neither. Other
 *       taints (the user's, a {@code NoExecute} one) are left alone.
 *   <li>While ready: {@code status.kubernetesVersion} from {@code /version}; {@code nodeSummary}
 *       and {@code resourceSummary} from the member's nodes and pods, listed from its watch cache
 *       at most every {@code summaryInterval}.
 * </ul>
 *
 * {@code lastTransitionTime} moves only when the status does. Status is written only when it
 * changed.
 */
public final class ClusterStatusController {

  private static final Log log = LogFactory.getLog(ClusterStatusController.class);

  /** A probe's outcome. */
  enum Health {
    READY,
    NOT_READY,
    UNREACHABLE
  }

  record Probe(Health health, String detail, KubeClient client) {}

  /** What this leader remembers of a member between probes. */
  private static final class Memory {
    int failures;
    Instant lastSummary = Instant.EPOCH;
  }

  private final MemberClusters members;
  private final ResourceClient<Cluster> clusters;
  private final ClusterProperties props;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, Memory> memory = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Map<String, AtomicInteger> readyGauges = new ConcurrentHashMap<>();
  private final Controller controller;

  public ClusterStatusController(
      MemberClusters members,
      KubeClient gateway,
      ClusterProperties props,
      int workers,
      Clock clock,
      MeterRegistry meters) {
    this.members = members;
    this.meters = meters;
    this.clusters = gateway.resource(KarmadaResources.CLUSTERS, Cluster.class);
    this.props = props;
    this.clock = clock;
    this.controller =
        Controller.builder("cluster-status-controller")
            .primary(members.clusterInformer(), ClusterStatusController::specChanged)
            .watch(members.secretInformer(), e -> clustersUsing(e.object()))
            .reconcile(this::reconcile)
            .workers(workers)
            .build();
  }

  public Controller controller() {
    return controller;
  }

  /** Its own status writes do not make it probe again before its interval. */
  private static boolean specChanged(InformerEvent<Cluster> e) {
    return e.type() != InformerEvent.Type.UPDATED
        || !Objects.equals(
            e.previous().getMetadata().getGeneration(), e.object().getMetadata().getGeneration());
  }

  private List<String> clustersUsing(io.fabric8.kubernetes.api.model.Secret secret) {
    String ns = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    return members.clusters().stream()
        .filter(
            c ->
                c.spec() != null
                    && c.spec().secretRef() != null
                    && ns.equals(c.spec().secretRef().namespace())
                    && name.equals(c.spec().secretRef().name()))
        .map(c -> c.getMetadata().getName())
        .toList();
  }

  Mono<Result> reconcile(String name) {
    Optional<Cluster> found = members.cluster(name);
    if (found.isEmpty()) {
      memory.remove(name);
      AtomicInteger gauge = readyGauges.remove(name);
      if (gauge != null) {
        meters.remove(
            new Meter.Id(READY_METRIC, Tags.of("cluster", name), null, null, Meter.Type.GAUGE));
      }
      return Mono.just(Result.done());
    }
    Cluster cluster = found.get();
    Memory mem = memory.computeIfAbsent(name, k -> new Memory());
    return probe(cluster)
        .flatMap(p -> observe(cluster, mem, p))
        .flatMap(status -> write(cluster, status))
        .thenReturn(Result.requeueAfter(props.probeInterval()));
  }

  private Mono<Probe> probe(Cluster cluster) {
    MemberClusters.Connection c = members.connect(cluster);
    if (c.client() == null) {
      return Mono.just(new Probe(Health.UNREACHABLE, c.problem(), null));
    }
    KubeClient client = c.client();
    return client
        .getPath("/readyz")
        .timeout(props.probeTimeout())
        .map(body -> new Probe(Health.READY, null, client))
        .onErrorResume(
            ApiException.class, e -> Mono.just(new Probe(Health.NOT_READY, e.getMessage(), client)))
        .onErrorResume(e -> Mono.just(new Probe(Health.UNREACHABLE, e.toString(), client)));
  }

  /** The status this probe makes of the cluster's. */
  private Mono<ClusterStatus> observe(Cluster cluster, Memory mem, Probe probe) {
    ClusterStatus old =
        cluster.status() != null
            ? cluster.status()
            : new ClusterStatus(null, null, null, null, null, null);
    Condition current = readyCondition(old);
    Condition desired;
    if (probe.health() == Health.READY) {
      mem.failures = 0;
      desired =
          condition(
              current,
              "True",
              Karmada.REASON_CLUSTER_READY,
              Karmada.MESSAGE_CLUSTER_HEALTHY,
              cluster);
    } else {
      mem.failures++;
      if (mem.failures == 1) {
        log.info(
            "cluster " + cluster.getMetadata().getName() + ": probe failed: " + probe.detail());
      }
      if (mem.failures < props.failureThreshold()) {
        return Mono.just(old);
      }
      desired =
          probe.health() == Health.NOT_READY
              ? condition(
                  current,
                  "False",
                  Karmada.REASON_CLUSTER_NOT_READY,
                  Karmada.MESSAGE_CLUSTER_UNHEALTHY,
                  cluster)
              : condition(
                  current,
                  "Unknown",
                  Karmada.REASON_CLUSTER_NOT_REACHABLE,
                  probe.client() != null
                      ? Karmada.MESSAGE_CLUSTER_NOT_REACHABLE
                      : Karmada.MESSAGE_CLUSTER_NOT_REACHABLE + ": " + probe.detail(),
                  cluster);
    }
    List<Condition> conditions = new ArrayList<>();
    if (old.conditions() != null) {
      old.conditions().stream()
          .filter(c -> !Karmada.CLUSTER_CONDITION_READY.equals(c.getType()))
          .forEach(conditions::add);
    }
    conditions.add(desired);
    if (probe.health() != Health.READY) {
      return Mono.just(
          new ClusterStatus(
              old.kubernetesVersion(),
              old.apiEnablements(),
              conditions,
              old.nodeSummary(),
              old.resourceSummary(),
              old.remedyActions()));
    }
    KubeClient client = probe.client();
    Mono<String> version =
        client
            .getPath("/version")
            .map(body -> json.readTree(body).path("gitVersion").asString(""))
            .timeout(props.probeTimeout())
            .onErrorResume(e -> Mono.justOrEmpty(old.kubernetesVersion()));
    Instant now = clock.instant();
    boolean summaryDue =
        old.resourceSummary() == null
            || !now.isBefore(mem.lastSummary.plus(props.summaryInterval()));
    Mono<Optional<Summaries>> summaries =
        summaryDue
            ? summaries(client)
                .map(Optional::of)
                .doOnNext(s -> mem.lastSummary = now)
                .onErrorResume(
                    e -> {
                      log.warn(
                          "cluster "
                              + cluster.getMetadata().getName()
                              + ": could not list nodes and pods: "
                              + e);
                      return Mono.just(Optional.empty());
                    })
            : Mono.just(Optional.empty());
    return Mono.zip(version.defaultIfEmpty(""), summaries)
        .map(
            t ->
                new ClusterStatus(
                    t.getT1().isEmpty() ? old.kubernetesVersion() : t.getT1(),
                    old.apiEnablements(),
                    conditions,
                    t.getT2().map(Summaries::nodes).orElse(old.nodeSummary()),
                    t.getT2().map(Summaries::resources).orElse(old.resourceSummary()),
                    old.remedyActions()));
  }

  private record Summaries(NodeSummary nodes, ResourceSummary resources) {}

  private Mono<Summaries> summaries(KubeClient client) {
    ListOptions fromCache = ListOptions.none().withResourceVersion("0");
    Mono<List<Node>> nodes =
        client
            .resource(BuiltInResources.NODES, Node.class)
            .listAll(null, fromCache)
            .map(l -> l.items());
    Mono<List<Pod>> pods =
        client
            .resource(BuiltInResources.PODS, Pod.class)
            .listAll(null, fromCache)
            .map(l -> l.items());
    return Mono.zip(nodes, pods)
        .timeout(props.probeTimeout().multipliedBy(2))
        .map(
            t ->
                new Summaries(
                    ResourceSummaries.nodeSummary(t.getT1()),
                    ResourceSummaries.resourceSummary(t.getT1(), t.getT2())));
  }

  /** {@value}: 1 while a member is Ready, 0 otherwise, by {@code cluster}. */
  static final String READY_METRIC = "nauta.federation.cluster.ready";

  private void recordReady(String name, Condition ready) {
    readyGauges
        .computeIfAbsent(
            name,
            n -> {
              AtomicInteger v = new AtomicInteger();
              Gauge.builder(READY_METRIC, v, AtomicInteger::get)
                  .tag("cluster", n)
                  .description("Whether the member cluster is Ready (1) or not (0)")
                  .register(meters);
              return v;
            })
        .set(ready != null && "True".equals(ready.getStatus()) ? 1 : 0);
  }

  /** Writes the status if it changed, then the taints its Ready condition calls for. */
  private Mono<Void> write(Cluster cluster, ClusterStatus status) {
    recordReady(cluster.getMetadata().getName(), readyCondition(status));
    Mono<Cluster> written =
        json.valueToTree(status).equals(json.valueToTree(nullToEmpty(cluster.status())))
            ? Mono.just(cluster)
            : clusters.updateStatus(cluster.withStatus(status));
    return written.flatMap(this::taint).then();
  }

  private static ClusterStatus nullToEmpty(ClusterStatus s) {
    return s != null ? s : new ClusterStatus(null, null, null, null, null, null);
  }

  private Mono<Cluster> taint(Cluster cluster) {
    ClusterSpec spec = cluster.spec();
    List<Taint> current = spec.taints() == null ? List.of() : spec.taints();
    Condition ready = readyCondition(nullToEmpty(cluster.status()));
    String wanted =
        ready == null
            ? null
            : switch (ready.getStatus()) {
              case "False" -> Karmada.TAINT_CLUSTER_NOT_READY;
              case "Unknown" -> Karmada.TAINT_CLUSTER_UNREACHABLE;
              default -> null;
            };
    List<Taint> next = new ArrayList<>();
    boolean has = false;
    for (Taint t : current) {
      boolean ours =
          Karmada.TAINT_EFFECT_NO_SCHEDULE.equals(t.getEffect())
              && (Karmada.TAINT_CLUSTER_NOT_READY.equals(t.getKey())
                  || Karmada.TAINT_CLUSTER_UNREACHABLE.equals(t.getKey()));
      if (!ours) {
        next.add(t);
      } else if (t.getKey().equals(wanted)) {
        next.add(t);
        has = true;
      }
    }
    if (wanted != null && !has) {
      next.add(
          new TaintBuilder()
              .withKey(wanted)
              .withEffect(Karmada.TAINT_EFFECT_NO_SCHEDULE)
              .withTimeAdded(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
              .build());
    }
    if (next.equals(current)) {
      return Mono.just(cluster);
    }
    log.info(
        "cluster "
            + cluster.getMetadata().getName()
            + ": Ready="
            + ready.getStatus()
            + ", taints "
            + next.stream().map(Taint::getKey).toList());
    return clusters.update(cluster.withSpec(spec.withTaints(next.isEmpty() ? null : next)));
  }

  static Condition readyCondition(ClusterStatus status) {
    if (status.conditions() == null) {
      return null;
    }
    return status.conditions().stream()
        .filter(c -> Karmada.CLUSTER_CONDITION_READY.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private Condition condition(
      Condition current, String status, String reason, String message, Cluster cluster) {
    String since =
        current != null && status.equals(current.getStatus())
            ? current.getLastTransitionTime()
            : clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    return new ConditionBuilder()
        .withType(Karmada.CLUSTER_CONDITION_READY)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .withObservedGeneration(cluster.getMetadata().getGeneration())
        .build();
  }
}
