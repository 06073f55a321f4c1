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
import java.util.List;
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
  private final Clock clock;
  private final Duration monitorPeriod;
  private final Controller controller;

  @Autowired
  public NodeLifecycleController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders recorders,
      ControllersProperties props,
      MeterRegistry meters) {
    this(informers, client, recorders, props, meters, Clock.systemUTC());
  }

  NodeLifecycleController(
      InformerFactory informers,
      KubeClient client,
      EventRecorders recorders,
      ControllersProperties props,
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
    Mono<Node> changed;
    if (!health.healthy()) {
      changed = markUnreachable(node, now);
    } else if (health.heardSinceFirstSeen()) {
      changed = markReachable(node, now);
    } else {
      changed = Mono.just(node);
    }
    return changed
        .flatMap(n -> evict(n, now))
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

  /** Conditions Unknown and the unreachable taints; returns the node as written. */
  private Mono<Node> markUnreachable(Node node, Instant now) {
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
        n -> NodeConditions.taintUnreachable(n, now).map(nodeClient::update).orElse(Mono.just(n)));
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
