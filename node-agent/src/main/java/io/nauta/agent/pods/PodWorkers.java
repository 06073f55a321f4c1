package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.RuntimePod;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The kubelet's pod workers: one informer on the pods bound to this process's nodes (one watch
 * however many nodes it runs), and a work queue that syncs one pod at a time per key. A sync drives
 * the pod's node's runtime towards the spec and writes the pod's status when it changed; a pod
 * being deleted is stopped (honouring its grace period) and then removed with a zero grace period
 * and a uid precondition, as the kubelet does.
 */
public final class PodWorkers implements AutoCloseable {

  private static final Log log = LogFactory.getLog(PodWorkers.class);

  private final PodWriter writer;
  private final PodAdmission admission;
  private final Function<String, PodEvents> events;
  private final SharedInformer<Pod> informer;
  private final Map<String, AgentNode> nodes;
  private final Clock clock;
  private final Controller controller;

  /** Which node and pod uid runs under each key, to stop it once the pod object is gone. */
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private final Disposable.Composite subscriptions = Disposables.composite();

  private final BackgroundKills kills = new BackgroundKills();

  /** The echoes of this agent's own status writes, which need no sync. */
  private final OwnStatusEchoes echoes = new OwnStatusEchoes();

  /** How often a pod with projected tokens is synced again (the kubelet's syncFrequency). */
  static final Duration RESYNC = Duration.ofMinutes(1);

  private record Running(String node, String uid) {}

  /** Workers that admit every pod. */
  public PodWorkers(
      PodWriter writer,
      SharedInformer<Pod> informer,
      Iterable<AgentNode> nodes,
      int workers,
      MeterRegistry meters,
      Clock clock) {
    this(writer, informer, nodes, workers, meters, clock, PodAdmission.ALL, node -> PodEvents.NONE);
  }

  /**
   * @param admission what a pod must pass before it runs (the kubelet's admit handlers)
   * @param events where a node's kubelet records a rejection, by node name
   */
  public PodWorkers(
      PodWriter writer,
      SharedInformer<Pod> informer,
      Iterable<AgentNode> nodes,
      int workers,
      MeterRegistry meters,
      Clock clock,
      PodAdmission admission,
      Function<String, PodEvents> events) {
    this.admission = admission;
    this.events = events;
    this.writer = writer;
    this.informer = informer;
    this.nodes = new ConcurrentHashMap<>();
    nodes.forEach(n -> this.nodes.put(n.name(), n));
    this.clock = clock;
    this.controller =
        Controller.builder("pod-workers")
            .primary(informer, this::needsSync)
            .reconcile(this::sync)
            .workers(workers)
            .meterRegistry(meters)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(30))
            .build();
  }

  /** The field selector for the pods of {@code nodeNames}: one node exactly, or every bound pod. */
  public static String fieldSelector(java.util.Collection<String> nodeNames) {
    return nodeNames.size() == 1
        ? "spec.nodeName=" + nodeNames.iterator().next()
        : "spec.nodeName!=";
  }

  /** Starts the workers (the informer must have synced) and follows the runtimes' changes. */
  public void start() {
    for (AgentNode node : nodes.values()) {
      subscriptions.add(
          node.runtime()
              .changes()
              .subscribe(p -> controller.enqueue(InformerStore.key(p.namespace(), p.name()))));
    }
    controller.start();
    subscriptions.add(removeOrphans().subscribe());
  }

  /**
   * Stops what a runtime still runs for pods that no longer exist (deleted while the agent was
   * down): the informer has synced, so a uid it does not know is gone.
   */
  Mono<Void> removeOrphans() {
    return Flux.fromIterable(nodes.values())
        .flatMap(
            node ->
                node.runtime()
                    .pods()
                    // Read the store per pod: one created meanwhile is never taken for an orphan.
                    .filter(
                        p ->
                            informer
                                .store()
                                .get(InformerStore.key(p.namespace(), p.name()))
                                .map(pod -> !p.uid().equals(pod.getMetadata().getUid()))
                                .orElse(true))
                    .flatMap(
                        p -> {
                          log.info(
                              "removing pod "
                                  + p.namespace()
                                  + "/"
                                  + p.name()
                                  + " ("
                                  + p.uid()
                                  + ") from node "
                                  + node.name()
                                  + ": it no longer exists");
                          return node.runtime().killPod(p.uid(), Duration.ZERO);
                        })
                    .onErrorResume(
                        e -> {
                          log.warn(
                              "removing orphaned pods of node " + node.name() + " failed: " + e);
                          return Mono.empty();
                        }))
        .then();
  }

  /** Whether an event of the pod informer syncs its pod (the echo of an own status write not). */
  boolean needsSync(io.nauta.core.informer.InformerEvent<Pod> event) {
    return echoes.relevant(event);
  }

  @Override
  public void close() {
    controller.stop();
    subscriptions.dispose();
  }

  Mono<Result> sync(String key) {
    Pod pod = informer.store().get(key).orElse(null);
    AgentNode node = pod == null ? null : nodes.get(pod.getSpec().getNodeName());
    Running previous = running.get(key);
    if (pod == null || node == null) {
      // Gone (or bound to a node of another agent): stop whatever still runs for it.
      return stopPrevious(key, previous, null).thenReturn(Result.done());
    }
    String uid = pod.getMetadata().getUid();
    return stopPrevious(key, previous, uid)
        .then(
            Mono.defer(
                () ->
                    pod.getMetadata().getDeletionTimestamp() != null
                        ? terminate(key, pod, node)
                        : run(key, pod, node)));
  }

  /** Stops what ran under this key for another pod (one deleted and created again by name). */
  private Mono<Void> stopPrevious(String key, Running previous, String currentUid) {
    if (previous == null || previous.uid().equals(currentUid)) {
      return Mono.empty();
    }
    AgentNode node = nodes.get(previous.node());
    running.remove(key, previous);
    kills.forget(previous.uid());
    echoes.forget(previous.uid());
    return node == null ? Mono.empty() : node.runtime().killPod(previous.uid(), Duration.ZERO);
  }

  private Mono<Result> run(String key, Pod pod, AgentNode node) {
    running.put(key, new Running(node.name(), pod.getMetadata().getUid()));
    if (terminal(pod)) {
      // Succeeded or Failed pods never run again: what still runs stops, but their containers
      // stay (for logs) until the pod is deleted, as the kubelet keeps them.
      return node.runtime().stopPod(pod.getMetadata().getUid()).thenReturn(Result.done());
    }
    PodAdmission.Rejection rejected = admission.admit(pod);
    if (rejected != null) {
      return reject(pod, node, rejected);
    }
    // Empty while nothing runs yet (e.g. its volumes wait for a Secret): still Pending, written.
    return node.runtime()
        .syncPod(pod)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(rt -> writeStatus(pod, rt.orElse(null), node))
        .map(r -> r == Result.done() && projectsTokens(pod) ? Result.requeueAfter(RESYNC) : r);
  }

  /**
   * The kubelet's rejectPod: a warning event, and the pod fails without running ({@code Pod was
   * rejected: …}); a terminal pod is never synced to run again.
   */
  private Mono<Result> reject(Pod pod, AgentNode node, PodAdmission.Rejection rejected) {
    events
        .apply(node.name())
        .warning(PodEvents.PodRef.of(pod), rejected.reason(), rejected.message());
    PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    PodStatus status =
        new PodStatusBuilder()
            .withQosClass(current.getQosClass())
            .withPhase("Failed")
            .withReason(rejected.reason())
            .withMessage("Pod was rejected: " + rejected.message())
            .build();
    Pod updated = new PodBuilder(pod).withStatus(status).build();
    echoes.writing(updated);
    return writer.writeStatus(updated).thenReturn(Result.done());
  }

  /**
   * Whether the pod holds service account tokens in a projected volume: it is synced again every
   * {@link #RESYNC} (the kubelet's sync frequency), so its tokens are refreshed before they expire.
   */
  static boolean projectsTokens(Pod pod) {
    List<Volume> volumes = pod.getSpec().getVolumes();
    return volumes != null
        && volumes.stream()
            .anyMatch(
                v ->
                    v.getProjected() != null
                        && v.getProjected().getSources() != null
                        && v.getProjected().getSources().stream()
                            .anyMatch(p -> p.getServiceAccountToken() != null));
  }

  private Mono<Result> writeStatus(Pod pod, RuntimePod rt, AgentNode node) {
    PodStatus status = PodStatuses.compute(pod, rt, node.ip(), clock.instant());
    if (Objects.equals(status, pod.getStatus())) {
      return Mono.just(Result.done());
    }
    Pod updated = new PodBuilder(pod).withStatus(status).build();
    echoes.writing(updated);
    return writer.writeStatus(updated).thenReturn(Result.done());
  }

  /**
   * Stops the pod within its grace period, then deletes the object with grace period 0 and its uid
   * as a precondition, so a new pod of the same name is never removed by mistake. The stop runs in
   * the background ({@link BackgroundKills}); the key comes back when it has ended.
   */
  private Mono<Result> terminate(String key, Pod pod, AgentNode node) {
    String uid = pod.getMetadata().getUid();
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (grace == null) {
      grace = pod.getSpec().getTerminationGracePeriodSeconds();
    }
    Duration gracePeriod = Duration.ofSeconds(grace == null ? 30 : grace);
    return kills
        .done(uid, () -> node.runtime().killPod(uid, gracePeriod), () -> controller.enqueue(key))
        .flatMap(
            stopped ->
                !stopped
                    ? Mono.just(Result.done())
                    : writer
                        .remove(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid)
                        .doOnSuccess(
                            v -> {
                              running.remove(key, new Running(node.name(), uid));
                              kills.forget(uid);
                              echoes.forget(uid);
                              log.debug("stopped and removed pod " + key);
                            })
                        .thenReturn(Result.done()));
  }

  private static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
