package io.nauta.scheduler.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.events.EventWriter;
import io.nauta.core.informer.InformerStore;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.engine.ClusterEvents;
import io.nauta.scheduler.engine.PodScheduler;
import io.nauta.scheduler.engine.SchedulingQueue;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The scheduler's work, registered with the {@link ComponentRunner}: feeding informer events into
 * the cache and queue (and expiring assumed pods) while the process runs, and the scheduling queue
 * while it leads. The runner starts the informers, campaigns once they synced, and decides what
 * losing the lease does (stop the scheduling at once, then exit).
 */
@Component
public class SchedulerRunner implements ComponentWork {

  private static final Log log = LogFactory.getLog(SchedulerRunner.class);

  private final SchedulerProperties props;
  private final SchedulerInformers informers;
  private final ClusterEvents events;
  private final SchedulingQueue queue;
  private final PodScheduler scheduler;
  private final SchedulerCache cache;
  private final EventWriter eventWriter;
  private volatile Disposable.Composite running;
  private volatile Scheduler cycles;

  public SchedulerRunner(
      SchedulerProperties props,
      SchedulerInformers informers,
      ClusterEvents events,
      SchedulingQueue queue,
      PodScheduler scheduler,
      SchedulerCache cache,
      EventWriter eventWriter) {
    this.props = props;
    this.informers = informers;
    this.events = events;
    this.queue = queue;
    this.scheduler = scheduler;
    this.cache = cache;
    this.eventWriter = eventWriter;
  }

  @Override
  public void register(ComponentRunner runner) {
    runner.whileRunning(LeaderWork.of("scheduler cache", this::startFeeding, this::stopFeeding));
    runner.whileLeading(
        LeaderWork.of("scheduling queue", this::startScheduling, this::stopScheduling));
  }

  /** Runs before the runner starts the informers, so no event is missed. */
  private synchronized void startFeeding() {
    cycles = Schedulers.newSingle("scheduling-cycle");
    running = Disposables.composite();
    running.add(informers.nodes().events().subscribe(events::onNode));
    running.add(informers.pods().events().subscribe(events::onPod));
    running.add(informers.claims().events().subscribe(events::onVolumeObject));
    running.add(informers.volumes().events().subscribe(events::onVolumeObject));
    running.add(informers.storageClasses().events().subscribe(events::onVolumeObject));
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
  }

  /** Runs after the scheduling queue stopped. */
  private synchronized void stopFeeding() {
    running.dispose();
    cycles.dispose();
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
    eventWriter.start();
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
    scheduler.stop();
    eventWriter.stop();
  }
}
