package io.nauta.controllers.podgc;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' pod garbage collector (kube-controller-manager's {@code podgc}). Every sweep, from
 * the informers' caches, it force-deletes (grace period 0):
 *
 * <ul>
 *   <li>pods bound to a node that no longer exists — after the node has been missing from the cache
 *       for the quarantine (40 s, as upstream) and a live GET has confirmed it is gone, so a node
 *       created a moment ago, or a cache still listing, never costs a pod; such a pod is first made
 *       {@code Failed} with the condition {@code DisruptionTarget}/{@code DeletionByPodGC};
 *   <li>terminating pods that were never scheduled (no agent will ever finish their deletion);
 *   <li>terminating pods on a node that is not Ready and tainted {@code
 *       node.kubernetes.io/out-of-service} (the operator's word that its pods are gone);
 *   <li>the oldest terminated ({@code Succeeded}/{@code Failed}) pods beyond {@code
 *       terminated-pod-gc-threshold}, evicted pods first.
 * </ul>
 *
 * <p>The work is one sweep key, queued every {@code gc-check-period} and at once when a node is
 * deleted, so a lost lease or a crash mid-sweep only delays the next one: every delete carries the
 * pod's uid as a precondition and every status write its resourceVersion, so a pod recreated under
 * the same name, or changed meanwhile, is left alone until a later sweep sees it again.
 */
@Component
public class PodGcController implements ManagedController {

  static final String NAME = "pod-garbage-collector";
  static final String SWEEP = "sweep";
  static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";
  static final String REASON = "DeletionByPodGC";
  static final String NODE_GONE = "PodGC: node no longer exists";

  private static final Log log = LogFactory.getLog(PodGcController.class);

  private final InformerStore<Pod> pods;
  private final InformerStore<Node> nodes;
  private final ResourceClient<Pod> podApi;
  private final ResourceClient<Node> nodeApi;
  private final Clock clock;
  private final int terminatedThreshold;
  private final Duration period;
  private final Duration quarantine;

  /** Node name → when the cache was first seen without it; cleared when the node shows up. */
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

  private final Controller controller;

  @Autowired
  public PodGcController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters) {
    this(informers, client, props, meters, Clock.systemUTC());
  }

  PodGcController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      MeterRegistry meters,
      Clock clock) {
    SharedInformer<Pod> podInformer = informers.informer(BuiltInResources.PODS, Pod.class);
    SharedInformer<Node> nodeInformer = informers.informer(BuiltInResources.NODES, Node.class);
    this.pods = podInformer.store();
    this.nodes = nodeInformer.store();
    this.podApi = client.resource(BuiltInResources.PODS, Pod.class);
    this.nodeApi = client.resource(BuiltInResources.NODES, Node.class);
    this.clock = clock;
    this.terminatedThreshold = props.terminatedPodGcThreshold();
    this.period = props.podGcCheckPeriod();
    this.quarantine = props.podGcOrphanQuarantine();
    // One sweep covers every pod, as upstream's gc loop does. A pod's key only queues the sweep:
    // the initial keys start it, and a pod event queues it (deduplicated) when that pod needs the
    // collector, so e.g. a Job's finished pods beyond the threshold go without waiting a period.
    this.controller =
        Controller.builder(NAME)
            .primary(podInformer, e -> needsSweep(e.object()))
            .watch(nodeInformer, this::onNode)
            .reconcile(this::sync)
            .workers(1)
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Collection<String> onNode(InformerEvent<Node> e) {
    if (e.type() == InformerEvent.Type.DELETED) {
      return List.of(SWEEP);
    }
    missingSince.remove(e.object().getMetadata().getName());
    return List.of();
  }

  private boolean needsSweep(Pod pod) {
    String node = nodeName(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    return (terminating && node == null)
        || (node != null && nodes.get(node).isEmpty())
        || (terminatedThreshold > 0 && terminated(pod));
  }

  private Mono<Result> sync(String key) {
    if (!SWEEP.equals(key)) {
      controller.enqueue(SWEEP);
      return Mono.just(Result.done());
    }
    List<Pod> all = pods.list();
    List<Pod> collect = new ArrayList<>();
    collect.addAll(excessTerminated(all));
    collect.addAll(unscheduledTerminating(all));
    collect.addAll(terminatingOutOfService(all));
    return Flux.fromIterable(collect)
        .concatMap(p -> markFailedAndDelete(p, null))
        .then(orphans(all))
        .then(Mono.fromSupplier(this::next));
  }

  /** The next sweep: after the period, or when the first quarantine ends if that is sooner. */
  private Result next() {
    Duration wait = period;
    Instant now = clock.instant();
    for (Instant since : missingSince.values()) {
      Duration left = Duration.between(now, since.plus(quarantine));
      if (left.compareTo(wait) < 0) {
        wait = left.isNegative() ? Duration.ofMillis(100) : left.plusMillis(50);
      }
    }
    return Result.requeueAfter(wait);
  }

  /** The oldest terminated pods beyond the threshold, evicted ones first (upstream's order). */
  List<Pod> excessTerminated(List<Pod> all) {
    if (terminatedThreshold <= 0) {
      return List.of();
    }
    List<Pod> done = new ArrayList<>();
    for (Pod p : all) {
      if (terminated(p) && p.getMetadata().getDeletionTimestamp() == null) {
        done.add(p);
      }
    }
    int excess = done.size() - terminatedThreshold;
    if (excess <= 0) {
      return List.of();
    }
    done.sort(PodGcController::evictedThenOldest);
    log.info(NAME + ": deleting " + excess + " terminated pods beyond " + terminatedThreshold);
    return done.subList(0, excess);
  }

  static int evictedThenOldest(Pod a, Pod b) {
    boolean ea = evicted(a);
    boolean eb = evicted(b);
    if (ea != eb) {
      return ea ? -1 : 1;
    }
    int byTime = created(a).compareTo(created(b));
    return byTime != 0 ? byTime : a.getMetadata().getName().compareTo(b.getMetadata().getName());
  }

  private List<Pod> unscheduledTerminating(List<Pod> all) {
    return all.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() != null && nodeName(p) == null)
        .toList();
  }

  private List<Pod> terminatingOutOfService(List<Pod> all) {
    return all.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() != null && nodeName(p) != null)
        .filter(p -> nodes.get(nodeName(p)).map(PodGcController::outOfService).orElse(false))
        .toList();
  }

  /**
   * Pods on nodes missing from the cache. A node enters quarantine when first seen missing; after
   * it, the API server is asked: only a NotFound from it condemns the node's pods.
   */
  private Mono<Void> orphans(List<Pod> all) {
    Map<String, List<Pod>> byNode = new ConcurrentHashMap<>();
    for (Pod p : all) {
      String node = nodeName(p);
      if (node != null && nodes.get(node).isEmpty()) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(p);
      }
    }
    missingSince.keySet().retainAll(byNode.keySet());
    Instant now = clock.instant();
    return Flux.fromIterable(byNode.entrySet())
        .filter(
            e -> !missingSince.computeIfAbsent(e.getKey(), n -> now).plus(quarantine).isAfter(now))
        .concatMap(
            e ->
                nodeApi
                    .get(null, e.getKey())
                    .map(n -> true)
                    .onErrorResume(NotFoundException.class, x -> Mono.just(false))
                    .flatMapMany(
                        exists -> {
                          if (exists) {
                            // The cache is behind: the node is back (or never left).
                            missingSince.remove(e.getKey());
                            return Flux.empty();
                          }
                          log.info(
                              NAME
                                  + ": node "
                                  + e.getKey()
                                  + " no longer exists; deleting its "
                                  + e.getValue().size()
                                  + " pods");
                          return Flux.fromIterable(e.getValue())
                              .concatMap(p -> markFailedAndDelete(p, nodeGone()));
                        }))
        .then();
  }

  private PodCondition nodeGone() {
    return new PodConditionBuilder()
        .withType("DisruptionTarget")
        .withStatus("True")
        .withReason(REASON)
        .withMessage(NODE_GONE)
        .withLastTransitionTime(
            OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)
                .withNano(0)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .build();
  }

  /**
   * Upstream's markFailedAndDeletePod: a pod not yet terminal is first made {@code Failed} (with
   * {@code condition}, if any) so its controller and anyone watching learn why it went; then it is
   * deleted at once. A conflict or a pod already gone only ends this pod's turn.
   */
  private Mono<Void> markFailedAndDelete(Pod pod, PodCondition condition) {
    Mono<Void> fail = Mono.empty();
    if (!terminated(pod)) {
      Pod failed = failed(pod, condition);
      fail = podApi.updateStatus(failed).then();
    }
    DeleteOptions force =
        new DeleteOptionsBuilder()
            .withGracePeriodSeconds(0L)
            .withNewPreconditions()
            .withUid(pod.getMetadata().getUid())
            .endPreconditions()
            .build();
    return fail.then(
            podApi.delete(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), force))
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .onErrorResume(
            ConflictException.class,
            e -> {
              log.info(NAME + ": " + InformerStore.keyOf(pod) + " changed; next sweep: " + e);
              return Mono.empty();
            });
  }

  static Pod failed(Pod pod, PodCondition condition) {
    Pod copy =
        new io.fabric8.kubernetes.api.model.PodBuilder(pod)
            .editOrNewStatus()
            .withPhase("Failed")
            .endStatus()
            .build();
    if (condition != null) {
      PodStatus status = copy.getStatus();
      List<PodCondition> conditions =
          new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
      conditions.removeIf(c -> condition.getType().equals(c.getType()));
      conditions.add(condition);
      status.setConditions(conditions);
    }
    return copy;
  }

  static boolean terminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean evicted(Pod pod) {
    return pod.getStatus() != null
        && "Failed".equals(pod.getStatus().getPhase())
        && "Evicted".equals(pod.getStatus().getReason());
  }

  private static Instant created(Pod pod) {
    String ts = pod.getMetadata().getCreationTimestamp();
    return ts == null ? Instant.EPOCH : OffsetDateTime.parse(ts).toInstant();
  }

  private static String nodeName(Pod pod) {
    String n = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return n == null || n.isEmpty() ? null : n;
  }

  static boolean outOfService(Node node) {
    boolean tainted =
        node.getSpec() != null
            && node.getSpec().getTaints() != null
            && node.getSpec().getTaints().stream().anyMatch(t -> OUT_OF_SERVICE.equals(t.getKey()));
    boolean ready =
        node.getStatus() != null
            && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return tainted && !ready;
  }
}
