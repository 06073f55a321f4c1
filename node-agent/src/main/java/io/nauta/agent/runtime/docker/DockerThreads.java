package io.nauta.agent.runtime.docker;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads Docker's blocking client runs on, one bounded pool per kind of work, shared by every
 * node's runtime in the process. The pod workers hold no thread while a pod waits on Docker, so
 * these bounds, not the number of pod workers, say how much Docker work runs at once:
 *
 * <ul>
 *   <li>{@link #call}: what a pod's start needs (list, inspect, create, start) and the short reads
 *       of exit polling, probes and logs;
 *   <li>{@link #stop}: stopping and removing pods, so a pod being torn down (its grace period is
 *       waited out on a timer, but a {@code docker rm} of a busy container can take seconds) never
 *       holds a thread another pod's start is waiting for;
 *   <li>{@link #pulls}: image pulls, which take minutes; the pod is synced again when one ends.
 * </ul>
 *
 * The bounded-elastic pools make a thread only when one is needed and let it go after a minute
 * idle, so an idle agent keeps none.
 */
public final class DockerThreads {

  /** Defaults: enough calls in flight to start 50 pods at once on a small node. */
  public static final int DEFAULT_CALL_THREADS = 64;

  public static final int DEFAULT_STOP_THREADS = 16;
  public static final int DEFAULT_PULL_THREADS = 4;

  private static volatile DockerThreads defaults;

  private final Scheduler calls;
  private final Scheduler stops;
  private final ExecutorService pulls;
  private final int callThreads;

  private DockerThreads(int callThreads, int stopThreads, int pullThreads) {
    if (callThreads < 1 || stopThreads < 1 || pullThreads < 1) {
      throw new IllegalArgumentException(
          "Docker thread pools need at least one thread each, got calls="
              + callThreads
              + ", stops="
              + stopThreads
              + ", pulls="
              + pullThreads);
    }
    this.callThreads = callThreads;
    this.calls = pool(callThreads, "docker-calls");
    this.stops = pool(stopThreads, "docker-stops");
    AtomicInteger n = new AtomicInteger();
    this.pulls =
        Executors.newFixedThreadPool(
            pullThreads,
            r -> {
              Thread t = new Thread(r, "image-pull-" + n.incrementAndGet());
              // Daemon: a pull never holds the process's exit.
              t.setDaemon(true);
              return t;
            });
  }

  /** Pools of these sizes (at least one thread each). */
  public static DockerThreads of(int callThreads, int stopThreads, int pullThreads) {
    return new DockerThreads(callThreads, stopThreads, pullThreads);
  }

  /** The process's pools of the default sizes, made on first use. */
  public static DockerThreads defaults() {
    DockerThreads d = defaults;
    if (d == null) {
      synchronized (DockerThreads.class) {
        d = defaults;
        if (d == null) {
          d = of(DEFAULT_CALL_THREADS, DEFAULT_STOP_THREADS, DEFAULT_PULL_THREADS);
          defaults = d;
        }
      }
    }
    return d;
  }

  private static Scheduler pool(int threads, String name) {
    // The queue is unbounded in practice: a burst of pods waits for a thread, never fails.
    return Schedulers.newBoundedElastic(threads, Integer.MAX_VALUE, name, 60, true);
  }

  /** How many Docker calls of pod starts and reads run at once at most. */
  public int callThreads() {
    return callThreads;
  }

  /** A blocking Docker call of a pod's start or a read, on the calls' pool. */
  <T> Mono<T> call(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(calls);
  }

  /** A blocking Docker call that stops or removes a pod, on the stops' own pool. */
  <T> Mono<T> stop(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(stops);
  }

  /** The pulls' own threads. */
  ExecutorService pulls() {
    return pulls;
  }
}
