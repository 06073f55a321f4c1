package io.nauta.agent.app;

import io.nauta.agent.node.AgentNode;
import io.nauta.agent.node.NodeRegistration;
import io.nauta.agent.pods.PodWorkers;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The agent's work, registered with the {@link ComponentRunner}: while the agent runs, it registers
 * every node (retrying until the API server answers), then renews every node's Lease and checks its
 * status on their intervals; once the runner's informers (the pods bound to these nodes among them)
 * have synced and the nodes are registered, the pod workers run. No leader election: each node has
 * exactly one agent, so the runner runs the "leader" work from the informers' sync until it stops.
 */
@Component
public class AgentRunner implements ComponentWork {

  private static final Log log = LogFactory.getLog(AgentRunner.class);

  /** Calls to the API server in flight at once for node upkeep, however many nodes there are. */
  private static final int CONCURRENCY = 16;

  /**
   * A heartbeat (a Lease renewal) that has not answered within this long has failed (kubelet: its
   * heartbeat client's timeout, the node status update frequency of 10 s, at most the lease
   * duration).
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private final AgentProperties props;
  private final KubeClient client;
  private final AtomicInteger failedHeartbeats = new AtomicInteger();
  private volatile long lastClose = System.nanoTime();
  private final AgentNodes nodes;
  private final NodeRegistration registration;
  private final PodWorkers workers;
  private final Sinks.One<Void> registeredSignal = Sinks.one();
  private final Disposable.Composite running = Disposables.composite();
  private Disposable workersWaiting;
  private volatile boolean started;
  private volatile boolean registered;

  public AgentRunner(
      AgentProperties props,
      KubeClient client,
      AgentNodes nodes,
      NodeRegistration registration,
      PodWorkers workers) {
    this.props = props;
    this.client = client;
    this.nodes = nodes;
    this.registration = registration;
    this.workers = workers;
  }

  @Override
  public void register(ComponentRunner runner) {
    runner.whileRunning(LeaderWork.of("node upkeep", this::startNodeUpkeep, this::stopNodeUpkeep));
    runner.whileLeading(LeaderWork.of("pod workers", this::startWorkers, this::stopWorkers));
    runner.readyWhen(() -> registered, "nodes not registered");
    runner.withoutConnectionProbe("the node heartbeats close stuck connections");
  }

  private synchronized void startNodeUpkeep() {
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
            .subscribe(null, e -> log.error("node agent failed to start", e)));
    started = true;
  }

  private synchronized void stopNodeUpkeep() {
    started = false;
    running.dispose();
  }

  /**
   * The informers have synced (so a pod the runtime runs that the informer does not know is gone);
   * the pod workers start once every node is registered too.
   */
  private synchronized void startWorkers() {
    workersWaiting =
        registeredSignal
            .asMono()
            .then(Mono.fromRunnable(workers::start))
            .subscribe(null, e -> log.error("pod workers failed to start", e));
  }

  private synchronized void stopWorkers() {
    if (workersWaiting != null) {
      workersWaiting.dispose();
    }
    workers.close();
  }

  /** Every node exists: from now on their Leases are renewed and their status kept up to date. */
  private synchronized void onRegistered() {
    if (!started) {
      return;
    }
    registered = true;
    registeredSignal.tryEmitEmpty();
    log.info("registered " + nodes.all().size() + " node(s)");
    running.add(periodic(props.leaseRenewInterval(), this::heartbeat, "lease"));
    running.add(periodic(props.statusCheckInterval(), registration::syncStatus, "status"));
  }

  /**
   * Renews the node's Lease within {@link #HEARTBEAT_TIMEOUT}. As the kubelet does on repeated
   * heartbeat failures ({@code closeAllConns}), a second failure in a row closes every connection
   * of the agent's client: one to an API server that went away without closing it can stay silent
   * as long as a watch may, and the pods bound to the node would go unseen meanwhile. And the first
   * heartbeat that succeeds after failures does the same once more, for connections opened during
   * the outage into a network that accepted them but carries nothing (a proxy or load balancer
   * whose backend is gone): every watch then resumes from its resourceVersion on a fresh
   * connection, so what changed during the outage is seen at once.
   */
  private Mono<Void> heartbeat(AgentNode node) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          return registration
              .renewLease(node)
              .timeout(heartbeatTimeout())
              .doOnSuccess(
                  v -> {
                    int failed = failedHeartbeats.getAndSet(0);
                    if (failed > 0) {
                      log.info(
                          "the API server answers again after "
                              + failed
                              + " failed heartbeat(s): closed "
                              + closeAllConnections()
                              + " connection(s) opened before, watches resume on fresh ones");
                    }
                  })
              .doOnError(
                  e -> {
                    // One that this agent cut by closing the connections (another node's
                    // heartbeat of the same round) says nothing about the API server.
                    if (started - lastClose > 0 && failedHeartbeats.incrementAndGet() > 1) {
                      log.warn(
                          "heartbeats keep failing ("
                              + e
                              + "): closed "
                              + closeAllConnections()
                              + " connection(s) to the API server");
                    }
                  });
        });
  }

  private int closeAllConnections() {
    lastClose = System.nanoTime();
    return client.closeAllConnections();
  }

  private Duration heartbeatTimeout() {
    return HEARTBEAT_TIMEOUT.compareTo(props.leaseDuration()) < 0
        ? HEARTBEAT_TIMEOUT
        : props.leaseDuration();
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
}
