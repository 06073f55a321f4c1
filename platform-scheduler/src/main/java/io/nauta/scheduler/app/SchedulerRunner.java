package io.nauta.scheduler.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.leaderelection.LeaderElector;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.engine.ClusterEvents;
import io.nauta.scheduler.engine.PodScheduler;
import io.nauta.scheduler.engine.SchedulingQueue;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the scheduler: feeds informer events into the cache and queue, starts the informers, and
 * once they have synced takes part in leader election; only the leader runs scheduling attempts.
 * Losing the lease stops the attempts and goes back to waiting for it.
 */
@Component
public class SchedulerRunner implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(SchedulerRunner.class);

  private final SchedulerProperties props;
  private final SchedulerInformers informers;
  private final ClusterEvents events;
  private final SchedulingQueue queue;
  private final PodScheduler scheduler;
  private final SchedulerCache cache;
  private final KubeClient client;
  private final MeterRegistry meters;
  private final Disposable.Composite running = Disposables.composite();
  private Scheduler cycles;
  private LeaderElector elector;
  private volatile boolean started;

  public SchedulerRunner(
      SchedulerProperties props,
      SchedulerInformers informers,
      ClusterEvents events,
      SchedulingQueue queue,
      PodScheduler scheduler,
      SchedulerCache cache,
      KubeClient client,
      MeterRegistry meters) {
    this.props = props;
    this.informers = informers;
    this.events = events;
    this.queue = queue;
    this.scheduler = scheduler;
    this.cache = cache;
    this.client = client;
    this.meters = meters;
  }

  @Override
  public synchronized void start() {
    cycles = Schedulers.newSingle("scheduling-cycle");
    running.add(informers.nodes().events().subscribe(events::onNode));
    running.add(informers.pods().events().subscribe(events::onPod));
    informers.nodes().start();
    informers.pods().start();
    running.add(
        Flux.interval(Duration.ofSeconds(5))
            .subscribe(
                t -> {
                  int expired = cache.expireAssumed();
                  if (expired > 0) {
                    log.info(expired + " assumed pod(s) expired unconfirmed");
                    queue.moveAllUnschedulable();
                  }
                }));
    running.add(
        Mono.when(informers.nodes().synced(), informers.pods().synced())
            .subscribe(null, e -> log.error("informers failed to sync", e), this::onSynced));
    started = true;
  }

  private synchronized void onSynced() {
    if (!started) {
      return;
    }
    log.info(
        "scheduler "
            + props.name()
            + " synced: "
            + informers.nodes().store().size()
            + " nodes, "
            + informers.pods().store().size()
            + " live pods");
    if (!props.leaderElection().enabled()) {
      startScheduling();
      return;
    }
    SchedulerProperties.LeaderElection le = props.leaderElection();
    String leaseName = le.leaseName().isBlank() ? props.name() : le.leaseName();
    String identity = ComponentProbes.hostName() + "_" + UUID.randomUUID();
    LeaderElectionConfig config =
        LeaderElectionConfig.of(le.leaseNamespace(), leaseName, identity)
            .withTimings(le.leaseDuration(), le.renewDeadline(), le.retryPeriod());
    elector =
        new LeaderElector(client.resource(BuiltInResources.LEASES, Lease.class), config, meters);
    elector.run(this::startScheduling, this::stopScheduling);
  }

  private void startScheduling() {
    log.info("scheduler " + props.name() + " leading");
    queue.start(props.parallelism(), scheduler::attempt, cycles, this::pendingKeys);
  }

  /** Every pod waiting for this scheduler, noted as seen now. */
  private List<String> pendingKeys() {
    List<Pod> pending =
        informers.pods().store().list().stream().filter(scheduler::isResponsibleFor).toList();
    pending.forEach(scheduler::seen);
    log.info("scheduler " + props.name() + ": " + pending.size() + " pending pods");
    return pending.stream().map(InformerStore::keyOf).toList();
  }

  private void stopScheduling() {
    log.info("scheduler " + props.name() + " stopped leading");
    queue.stop();
  }

  @Override
  public synchronized void stop() {
    started = false;
    queue.stop();
    if (elector != null) {
      elector.close();
    }
    running.dispose();
    if (cycles != null) {
      cycles.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return started;
  }
}
