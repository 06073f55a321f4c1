package io.nauta.agent.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.node.NodeRegistration;
import io.nauta.agent.pods.PodWorkers;
import io.nauta.core.informer.SharedInformer;
import java.time.Duration;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs the agent: registers every node (retrying until the API server answers), then starts the pod
 * informer and, once it has synced, the pod workers; renews every node's Lease and checks its
 * status on their intervals. No leader election: each node has exactly one agent.
 */
@Component
public class AgentRunner implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(AgentRunner.class);

  /** Calls to the API server in flight at once for node upkeep, however many nodes there are. */
  private static final int CONCURRENCY = 16;

  private final AgentProperties props;
  private final AgentNodes nodes;
  private final NodeRegistration registration;
  private final SharedInformer<Pod> boundPods;
  private final PodWorkers workers;
  private final Disposable.Composite running = Disposables.composite();
  private volatile boolean started;
  private volatile boolean registered;

  public AgentRunner(
      AgentProperties props,
      AgentNodes nodes,
      NodeRegistration registration,
      SharedInformer<Pod> boundPods,
      PodWorkers workers) {
    this.props = props;
    this.nodes = nodes;
    this.registration = registration;
    this.boundPods = boundPods;
    this.workers = workers;
  }

  @Override
  public synchronized void start() {
    log.info(
        "node agent: runtime "
            + props.runtime()
            + ("docker".equalsIgnoreCase(props.runtime().trim())
                ? " (pods run as containers on the node's Docker network nauta-<node>), "
                : " (no containers: pods turn Running after "
                    + props.simulated().startDelay()
                    + "), ")
            + nodes.all().size()
            + " node(s): "
            + describe());
    running.add(
        Flux.fromIterable(nodes.all())
            .flatMap(
                n -> registration.register(n).retryWhen(retry("registering node " + n.name())),
                CONCURRENCY)
            .then(Mono.fromRunnable(this::onRegistered))
            .then(Mono.fromRunnable(boundPods::start))
            .then(boundPods.synced())
            .then(Mono.fromRunnable(workers::start))
            .subscribe(null, e -> log.error("node agent failed to start", e)));
    started = true;
  }

  /** Every node exists: from now on their Leases are renewed and their status kept up to date. */
  private synchronized void onRegistered() {
    if (!started) {
      return;
    }
    registered = true;
    log.info("registered " + nodes.all().size() + " node(s)");
    running.add(periodic(props.leaseRenewInterval(), registration::renewLease, "lease"));
    running.add(periodic(props.statusCheckInterval(), registration::syncStatus, "status"));
  }

  /** Runs {@code work} for every registered node every {@code interval}; a failure is logged. */
  private Disposable periodic(
      Duration interval, Function<AgentNode, Mono<Void>> work, String what) {
    return Flux.interval(Duration.ZERO, interval)
        .onBackpressureDrop()
        .concatMap(
            t ->
                Flux.fromIterable(nodes.all())
                    .flatMap(
                        n ->
                            work.apply(n)
                                .onErrorResume(
                                    e -> {
                                      log.warn(what + " of node " + n.name() + " failed: " + e);
                                      return Mono.empty();
                                    }),
                        CONCURRENCY)
                    .then(),
            0)
        .subscribe();
  }

  private Retry retry(String what) {
    return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500))
        .maxBackoff(Duration.ofSeconds(10))
        .doBeforeRetry(s -> log.warn(what + " failed, retrying: " + s.failure()));
  }

  private String describe() {
    return nodes.all().size() <= 5
        ? nodes.all().stream().map(n -> n.name() + " " + n.podCidr().cidr()).toList().toString()
        : nodes.all().get(0).name() + " … " + nodes.all().get(nodes.all().size() - 1).name();
  }

  /** Ready once every node is registered and the pods bound to them are known. */
  public boolean ready() {
    return registered && boundPods.hasSynced();
  }

  @Override
  public synchronized void stop() {
    started = false;
    running.dispose();
    workers.close();
  }

  @Override
  public boolean isRunning() {
    return started;
  }
}
