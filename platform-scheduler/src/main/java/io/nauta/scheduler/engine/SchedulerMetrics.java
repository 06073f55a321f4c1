package io.nauta.scheduler.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The scheduler's figures, after kube-scheduler's: attempts by result ({@code
 * scheduler_schedule_attempts_total}), the time from a pod first seen pending to its binding
 * written ({@code scheduler_pod_scheduling_sli_duration_seconds}), the algorithm's time per
 * attempt, and pending pods by queue.
 */
public final class SchedulerMetrics {

  private final Counter scheduled;
  private final Counter unschedulable;
  private final Counter error;
  private final Timer e2e;
  private final Timer algorithm;

  public SchedulerMetrics(MeterRegistry registry, SchedulingQueue queue) {
    this.scheduled = attempts(registry, "scheduled");
    this.unschedulable = attempts(registry, "unschedulable");
    this.error = attempts(registry, "error");
    this.e2e =
        Timer.builder("nauta.scheduler.e2e.scheduling.duration")
            .description("From a pod first seen pending to its binding written")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    this.algorithm =
        Timer.builder("nauta.scheduler.scheduling.algorithm.duration")
            .description("Filtering and scoring one pod")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(1))
            .register(registry);
    Gauge.builder("nauta.scheduler.pending.pods", queue, SchedulingQueue::activeCount)
        .tag("queue", "active")
        .description("Pending pods by queue")
        .register(registry);
    Gauge.builder("nauta.scheduler.pending.pods", queue, SchedulingQueue::unschedulableCount)
        .tag("queue", "unschedulable")
        .description("Pending pods by queue")
        .register(registry);
  }

  private static Counter attempts(MeterRegistry registry, String result) {
    return Counter.builder("nauta.scheduler.schedule.attempts")
        .tag("result", result)
        .description("Scheduling attempts by result")
        .register(registry);
  }

  void scheduled(long algorithmNanos) {
    scheduled.increment();
    algorithm.record(Duration.ofNanos(algorithmNanos));
  }

  void unschedulable(long algorithmNanos) {
    unschedulable.increment();
    algorithm.record(Duration.ofNanos(algorithmNanos));
  }

  void error() {
    error.increment();
  }

  void bound(long sinceFirstSeenNanos) {
    e2e.record(Duration.ofNanos(sinceFirstSeenNanos));
  }
}
