package io.nauta.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' node lifecycle controller, simplified. A node not heard from (its Lease in {@code
 * kube-node-lease} renewed, or its Ready heartbeat changed) within {@code nodeMonitorGracePeriod}
 * gets its Ready and pressure conditions {@code Unknown} ({@code NodeStatusUnknown}) and the {@code
 * node.kubernetes.io/unreachable} taints {@code NoSchedule} and {@code NoExecute}; pods on it are
 * deleted once their toleration of the NoExecute taint runs out (the taint manager), so their
 * owners replace them elsewhere. When the node's Lease is renewed again its taints are removed and
 * the conditions this controller set to Unknown are set back to healthy (a real agent would post
 * them itself; simulated nodes only renew their Lease). Every node is re-checked every {@code
 * nodeMonitorPeriod}, and at once on a node or Lease event.
 *
 * <p>As in Kubernetes, the NoExecute taint (what evicts) is placed at a rate limited per zone by
 * the zone's state ({@link ZoneDisruption}); when every zone is fully disrupted at once nothing is
 * tainted NoExecute and such taints are taken off, so pods are not evicted from a whole cluster
 * whose agents merely stalled or were cut off from the API server.
 */
@Component
public class NodeLifecycleController implements ManagedController {

  static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final Log log = LogFactory.getLog(NodeLifecycleController.class);

  private final SharedInformer<Node> nodes;
  private final SharedInformer<Lease> leases;
  private final SharedInformer<Pod> pods;
  private final ResourceClient<Node> nodeClient;
  private final ResourceClient<Pod> podClient;
  private final EventRecorder nodeEvents;
  private final EventRecorder evictionEvents;
  private final NodeHealthTracker tracker;
  private final ZoneDisruption disruption;
  private final Clock clock;
  private final Duration monitorPeriod;
  private final Controller controller;

  @Autowired
  public NodeLifecycleController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders recorders,
      ControllersProperties props,
      EvictionProperties eviction,
      MeterRegistry meters) {
    this(informers, client, recorders, props, eviction, meters, Clock.systemUTC());
  }

  NodeLifecycleController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders recorders,
      ControllersProperties props,
      EvictionProperties eviction,
      MeterRegistry meters,
      Clock clock) {
    this.nodes = informers.informer(BuiltInResources.NODES, Node.class);
    this.leases =
        informers.informer(
            BuiltInResources.LEASES, Lease.class, LEASE_NAMESPACE, ListOptions.none());
    this.pods = informers.informer(BuiltInResources.PODS, Pod.class);
    this.nodeClient = client.resource(BuiltInResources.NODES, Node.class);
    this.podClient = client.resource(BuiltInResources.PODS, Pod.class);
    this.nodeEvents = recorders.forComponent("node-controller");
    this.evictionEvents = recorders.forComponent("taint-eviction-controller");
    this.clock = clock;
    this.tracker = new NodeHealthTracker(clock, props.nodeMonitorGracePeriod());
    this.disruption = new ZoneDisruption(eviction);
    this.monitorPeriod = props.nodeMonitorPeriod();
    this.controller =
        Controller.builder("node-lifecycle-controller")
            .primary(nodes)
            .watch(leases, e -> List.of(e.object().getMetadata().getName()))
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  Mono<Result> reconcile(String name) {
    Node node = nodes.store().get(name).orElse(null);
    if (node == null) {
      tracker.forget(name);
      return Mono.just(Result.done());
    }
    Lease lease = leases.store().get(LEASE_NAMESPACE, name).orElse(null);
    String renewTime =
        lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
            ? null
            : lease.getSpec().getRenewTime().toString();
    String heartbeat =
        NodeConditions.condition(node, "Ready")
            .map(NodeCondition::getLastHeartbeatTime)
            .orElse(null);
    NodeHealthTracker.Health health = tracker.observe(name, renewTime, heartbeat);
    Instant now = clock.instant();
    String zone = ZoneDisruption.zoneKey(node);
    handleDisruption(name, readyForZone(node, health), now);
    Mono<Node> changed;
    if (!health.healthy()) {
      changed = markUnreachable(node, now, zone);
    } else if (health.heardSinceFirstSeen()) {
      changed = markReachable(node, now);
    } else {
      changed = Mono.just(node);
    }
    return changed
        .flatMap(
            n ->
                disruption.allFullyDisrupted()
                    ? stopEvictions(n).thenReturn(Optional.<Instant>empty())
                    : evict(n, now))
        .map(
            nextEviction -> {
              Duration wait = monitorPeriod;
              if (health.healthy()) {
                wait = min(wait, Duration.between(now, health.deadline()).plusMillis(100));
              }
              if (nextEviction.isPresent()) {
                wait = min(wait, Duration.between(now, nextEviction.get()));
              }
              return Result.requeueAfter(wait.isNegative() ? Duration.ZERO : wait);
            })
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
  }

  /**
   * Whether the node counts as ready in its zone: heard from in time, and Ready (or without a Ready
   * condition, as simulated nodes are, or with the Unknown this controller set and is about to
   * restore now that the node was heard from again).
   */
  private static boolean readyForZone(Node node, NodeHealthTracker.Health health) {
    if (!health.healthy()) {
      return false;
    }
    Optional<NodeCondition> ready = NodeConditions.condition(node, "Ready");
    return ready.isEmpty()
        || "True".equals(ready.get().getStatus())
        || (health.heardSinceFirstSeen()
            && NodeConditions.NODE_STATUS_UNKNOWN.equals(ready.get().getReason()));
  }

  /** Another node as the store has it: Ready unless its Ready condition says otherwise. */
  private static boolean readyInStore(Node node) {
    return NodeConditions.condition(node, "Ready")
        .map(c -> "True".equals(c.getStatus()))
        .orElse(true);
  }

  /**
   * Kubernetes' handleDisruption on every node's readiness by zone, this node's as just judged.
   * Entering or leaving the all-zones-down mode re-queues every node, so each takes off (or may get
   * again) its NoExecute taint.
   */
  private void handleDisruption(String name, boolean ready, Instant now) {
    Map<String, List<Boolean>> byZone = new HashMap<>();
    for (Node n : nodes.store().list()) {
      boolean r = n.getMetadata().getName().equals(name) ? ready : readyInStore(n);
      byZone.computeIfAbsent(ZoneDisruption.zoneKey(n), z -> new ArrayList<>()).add(r);
    }
    switch (disruption.update(byZone, now)) {
      case ENTERED_FULL_DISRUPTION -> {
        log.info(
            "all nodes are not ready: entering full disruption mode, no pod is evicted until a"
                + " node is ready again");
        nodes.store().keys().forEach(controller::enqueue);
      }
      case EXITED_FULL_DISRUPTION -> {
        log.info("some nodes are ready again: leaving full disruption mode");
        nodes.store().keys().forEach(controller::enqueue);
      }
      case NONE -> {}
    }
  }

  /**
   * Conditions Unknown, the NoSchedule taint, and the NoExecute taint when the zone's rate limit
   * allows one more; returns the node as written.
   */
  private Mono<Node> markUnreachable(Node node, Instant now, String zone) {
    String name = node.getMetadata().getName();
    Mono<Node> status =
        NodeConditions.markUnknown(node, now)
            .map(
                n -> {
                  log.info("node " + name + " not heard from within the grace period");
                  return nodeClient
                      .updateStatus(n)
                      .flatMap(
                          written ->
                              nodeEvents
                                  .normal(
                                      written,
                                      "NodeNotReady",
                                      "Node " + name + " status is now: NodeNotReady")
                                  .thenReturn(written));
                })
            .orElse(Mono.just(node));
    return status.flatMap(
        n -> {
          List<String> effects = new ArrayList<>(List.of(NodeConditions.NO_SCHEDULE));
          if (NodeConditions.unreachableNoExecute(n).isEmpty()
              && Duration.ZERO.equals(disruption.tryTaint(zone, now))) {
            effects.add(NodeConditions.NO_EXECUTE);
          }
          return NodeConditions.taintUnreachable(n, now, effects)
              .map(nodeClient::update)
              .orElse(Mono.just(n));
        });
  }

  /** Every zone is down: the NoExecute taint comes off and nothing is evicted. */
  private Mono<Node> stopEvictions(Node node) {
    return NodeConditions.withoutNoExecute(node)
        .map(
            n -> {
              log.info(
                  "node "
                      + node.getMetadata().getName()
                      + ": NoExecute taint removed, every zone is fully disrupted");
              return nodeClient.update(n);
            })
        .orElse(Mono.just(node));
  }

  /** Taints removed and our Unknown conditions restored, for a node heard from again. */
  private Mono<Node> markReachable(Node node, Instant now) {
    Mono<Node> untainted =
        NodeConditions.untaint(node)
            .map(
                n -> {
                  log.info("node " + node.getMetadata().getName() + " is reachable again");
                  return nodeClient.update(n);
                })
            .orElse(Mono.just(node));
    return untainted.flatMap(
        n -> NodeConditions.restore(n, now).map(nodeClient::updateStatus).orElse(Mono.just(n)));
  }

  /** Deletes the pods whose toleration ran out; returns the next eviction's time. */
  private Mono<Optional<Instant>> evict(Node node, Instant now) {
    Optional<Taint> taint = NodeConditions.unreachableNoExecute(node);
    if (taint.isEmpty()) {
      return Mono.just(Optional.empty());
    }
    List<Pod> onNode =
        pods.store().byIndex(InformerStore.BY_NODE_NAME, node.getMetadata().getName());
    TaintEvictions.Plan plan = TaintEvictions.plan(onNode, taint.get(), now);
    return Flux.fromIterable(plan.evictNow())
        .concatMap(this::evictPod)
        .then(Mono.just(Optional.ofNullable(plan.next())));
  }

  private Mono<Void> evictPod(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    return evictionEvents
        .normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + ns + "/" + name)
        .then(podClient.delete(ns, name))
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
