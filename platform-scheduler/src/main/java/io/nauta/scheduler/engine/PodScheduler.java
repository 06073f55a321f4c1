package io.nauta.scheduler.engine;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.events.EventWriter;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.cycle.ScheduleResult;
import io.nauta.scheduler.cycle.SchedulingAlgorithm;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * One scheduling attempt for one pending pod, by key: re-read the pod from the informer, run the
 * cycle on the cache's snapshot (outside the cache's lock, so informer events and binding answers
 * do not wait for it) and assume the pod onto the chosen node in the cache, then write the binding.
 * The attempt's Mono ends when the binding is written, so the number of workers bounds the bindings
 * in flight while cycles themselves run one at a time. The {@code Scheduled} event goes to the
 * {@link EventWriter}, which writes it beside the following bindings; a failed binding forgets the
 * assumed pod, so it counts nowhere, and the pod goes round again.
 *
 * <p>Right after its cycle the pod is reserved (the reserve plugins hold what it takes besides the
 * node's resources: its volumes). A pod with pre-bind work (volume bindings to write and wait for)
 * is bound apart from the workers once that work is done; see {@link #preBindThenBind}.
 */
public final class PodScheduler {

  private static final Log log = LogFactory.getLog(PodScheduler.class);

  private final String schedulerName;
  private final InformerStore<Pod> pods;
  private final SchedulerCache cache;
  private final SchedulingAlgorithm algorithm;
  private final KubeClient client;
  private final SchedulingQueue queue;
  private final FailureRecorder failures;
  private final EventRecorder events;
  private final EventWriter eventWriter;
  private final SchedulerMetrics metrics;
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  private final Map<String, Disposable> waiting = new ConcurrentHashMap<>();

  public PodScheduler(
      String schedulerName,
      InformerStore<Pod> pods,
      SchedulerCache cache,
      SchedulingAlgorithm algorithm,
      KubeClient client,
      SchedulingQueue queue,
      FailureRecorder failures,
      EventRecorder events,
      EventWriter eventWriter,
      SchedulerMetrics metrics) {
    this.schedulerName = schedulerName;
    this.pods = pods;
    this.cache = cache;
    this.algorithm = algorithm;
    this.client = client;
    this.queue = queue;
    this.failures = failures;
    this.events = events;
    this.eventWriter = eventWriter;
    this.metrics = metrics;
  }

  /** True when this scheduler should place {@code pod}: unbound, alive, and named for it. */
  public boolean isResponsibleFor(Pod pod) {
    return pod.getSpec() != null
        && (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty())
        && pod.getMetadata().getDeletionTimestamp() == null
        && schedulerName.equals(schedulerNameOf(pod));
  }

  /** Remembers when a pending pod was first seen, for the end-to-end latency. */
  public void seen(Pod pod) {
    firstSeen.putIfAbsent(pod.getMetadata().getUid(), System.nanoTime());
  }

  /** The pod is gone or bound by someone else. */
  public void gone(String uid) {
    firstSeen.remove(uid);
  }

  /** The pod was deleted: a pre-bind still waiting for it is cancelled. */
  public void deleted(String uid) {
    gone(uid);
    Disposable d = waiting.remove(uid);
    if (d != null) {
      d.dispose();
    }
  }

  public Mono<Result> attempt(String key) {
    Pod pod = pods.get(key).orElse(null);
    if (pod == null || !isResponsibleFor(pod)) {
      queue.forget(key);
      if (pod != null) {
        gone(pod.getMetadata().getUid());
      }
      return Mono.just(Result.done());
    }
    String uid = pod.getMetadata().getUid();
    if (cache.isAssumed(uid)) {
      return Mono.just(Result.done());
    }
    PodInfo info = PodInfo.of(pod);
    long start = System.nanoTime();
    ScheduleResult result =
        cache.withSnapshot(
            snapshot -> {
              ScheduleResult r = algorithm.schedule(info, snapshot);
              if (r instanceof ScheduleResult.Scheduled s) {
                // Reserved before the next cycle, so it cannot hand the same volume to another pod.
                Status reserved = algorithm.reserve(info, s, snapshot.get(s.nodeName()));
                if (!reserved.isSuccess()) {
                  return new ScheduleResult.Failed(String.join(", ", reserved.reasons()));
                }
                cache.assume(info, s.nodeName());
              }
              return r;
            });
    long took = System.nanoTime() - start;
    if (result instanceof ScheduleResult.Scheduled s) {
      metrics.scheduled(took);
      if (algorithm.hasPreBindWork(info, s)) {
        preBindThenBind(key, pod, info, s);
        return Mono.just(Result.done());
      }
      return bind(key, pod, info, s);
    }
    if (result instanceof ScheduleResult.Unschedulable u) {
      metrics.unschedulable(took);
      queue.markUnschedulable(key);
      return failures.record(pod, "Unschedulable", u.message()).thenReturn(Result.requeue());
    }
    ScheduleResult.Failed f = (ScheduleResult.Failed) result;
    metrics.error();
    log.warn("scheduling " + key + " failed: " + f.message());
    return failures.record(pod, "SchedulerError", f.message()).thenReturn(Result.requeue());
  }

  /**
   * Pre-bind work (writing and waiting for volume bindings, up to minutes) runs apart from the
   * workers, so pods behind this one are scheduled meanwhile; the pod stays assumed on its node
   * until it is bound or fails. A failure unreserves, forgets the pod and sends it round again
   * after its back-off; the pod's deletion, or this scheduler's stepping down, cancels the wait.
   */
  private void preBindThenBind(
      String key, Pod pod, PodInfo info, ScheduleResult.Scheduled scheduled) {
    String uid = info.uid();
    cache.hold(uid);
    Disposable.Swap slot = Disposables.swap();
    waiting.put(uid, slot);
    slot.update(
        algorithm
            .preBind(info, scheduled)
            .flatMap(
                status -> {
                  if (status.isSuccess()) {
                    return bind(key, pod, info, scheduled);
                  }
                  algorithm.unreserve(info, scheduled);
                  cache.forget(uid);
                  metrics.error();
                  String message = String.join(", ", status.reasons());
                  log.info(
                      "pre-binding " + key + " to " + scheduled.nodeName() + " failed: " + message);
                  return failures
                      .record(pod, "SchedulerError", message)
                      .thenReturn((Result) Result.requeue());
                })
            .doOnCancel(
                () -> {
                  algorithm.unreserve(info, scheduled);
                  cache.forget(uid);
                })
            .doFinally(signal -> waiting.remove(uid, slot))
            .subscribe(
                r -> {
                  if (r != Result.done()) {
                    queue.retry(key);
                  }
                },
                e -> {
                  log.warn("pre-binding " + key + " failed: " + e);
                  algorithm.unreserve(info, scheduled);
                  cache.forget(uid);
                  queue.retry(key);
                }));
  }

  /** Stepping down: every pre-bind still waiting is cancelled (and its pod unreserved). */
  public void stop() {
    for (String uid : List.copyOf(waiting.keySet())) {
      Disposable d = waiting.remove(uid);
      if (d != null) {
        d.dispose();
      }
    }
  }

  /** Whether the pod with {@code uid} has its pre-bind work under way. */
  public boolean isWaiting(String uid) {
    return waiting.containsKey(uid);
  }

  private Mono<Result> bind(String key, Pod pod, PodInfo info, ScheduleResult.Scheduled scheduled) {
    String uid = pod.getMetadata().getUid();
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String nodeName = scheduled.nodeName();
    return client
        .bind(ns, name, nodeName)
        // Within the time the cache keeps an unfinished assumption: a binding that never answers
        // fails here and is forgotten, and the pod goes round again.
        .timeout(SchedulerCache.BINDING_TIMEOUT)
        .then(
            Mono.fromCallable(
                () -> {
                  cache.finishBinding(uid);
                  queue.forget(key);
                  Long seen = firstSeen.remove(uid);
                  if (seen != null) {
                    metrics.bound(System.nanoTime() - seen);
                  }
                  return Result.done();
                }))
        // The Scheduled event is written beside the next bindings, not before them.
        .doOnNext(
            done ->
                eventWriter.write(
                    () ->
                        events.normal(
                            pod,
                            "Scheduled",
                            "Successfully assigned " + ns + "/" + name + " to " + nodeName)))
        .onErrorResume(
            e -> {
              algorithm.unreserve(info, scheduled);
              cache.forget(uid);
              if (e instanceof NotFoundException) {
                // Deleted meanwhile: nothing to do.
                return Mono.just(Result.done());
              }
              if (e instanceof ConflictException) {
                // Bound already (another scheduler, or an earlier attempt whose answer was lost):
                // the informer will show it bound and drop it from the queue.
                log.debug("binding " + key + " conflicted: " + e.getMessage());
                return Mono.just(Result.requeue());
              }
              metrics.error();
              log.warn("binding " + key + " to " + nodeName + " failed: " + e);
              return failures.bindingRejected(pod, e.getMessage()).thenReturn(Result.requeue());
            });
  }

  private static String schedulerNameOf(Pod pod) {
    String name = pod.getSpec().getSchedulerName();
    return name == null || name.isEmpty() ? "default-scheduler" : name;
  }
}
