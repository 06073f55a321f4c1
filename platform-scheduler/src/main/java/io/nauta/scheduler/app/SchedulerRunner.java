package io.nauta.scheduler.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerStore;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.engine.ClusterEvents;
import io.nauta.scheduler.engine.PodScheduler;
import io.nauta.scheduler.engine.SchedulingQueue;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the scheduler: feeds informer events into the cache and queue, and registers the scheduling
 * queue with the {@link ComponentRunner}, which starts the informers, campaigns once they synced,
 * runs scheduling attempts only while this process leads, and decides what losing the lease does
 * (stop them at once, then exit).
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
  private final ComponentRunner runner;
  private final Disposable.Composite running = Disposables.composite();
  private Scheduler cycles;
  private volatile boolean started;

  public SchedulerRunner(
      SchedulerProperties props,
      SchedulerInformers informers,
      ClusterEvents events,
      SchedulingQueue queue,
      PodScheduler scheduler,
      SchedulerCache cache,
      ComponentRunner runner) {
    this.props = props;
    this.informers = informers;
    this.events = events;
    this.queue = queue;
    this.scheduler = scheduler;
    this.cache = cache;
    this.runner = runner;
  }

  @Override
  public synchronized void start() {
    cycles = Schedulers.newSingle("scheduling-cycle");
    // Subscribed before the runner starts the informers, so no event is missed.
    running.add(informers.nodes().events().subscribe(events::onNode));
    running.add(informers.pods().events().subscribe(events::onPod));
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
    runner.whileLeading(
        LeaderWork.of("scheduling queue", this::startScheduling, this::stopScheduling));
    runner.start();
    started = true;
  }

  private void startScheduling() {
    log.info(
        "scheduler "
            + props.name()
            + " leading: "
            + informers.nodes().store().size()
            + " nodes, "
            + informers.pods().store().size()
            + " live pods");
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
    runner.stop();
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
