package io.nauta.api.flowcontrol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes' flow control metrics, per priority level and flow schema: {@code
 * apiserver_flowcontrol_dispatched_requests_total}, {@code ..._rejected_requests_total{reason}},
 * {@code ..._current_inqueue_requests} and {@code ..._current_executing_requests} (Micrometer's
 * dotted names, which Prometheus renders as these).
 */
public final class FlowControlMetrics {

  private final MeterRegistry registry;
  private final Map<List<String>, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  public FlowControlMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** What a priority level's {@link QueueSet} reports, recorded under that level's name. */
  QueueSet.Listener listener(String priorityLevel) {
    return new QueueSet.Listener() {
      @Override
      public void waiting(String flowSchema, int delta) {
        gauge("apiserver.flowcontrol.current.inqueue.requests", priorityLevel, flowSchema)
            .addAndGet(delta);
      }

      @Override
      public void executing(String flowSchema, int delta) {
        gauge("apiserver.flowcontrol.current.executing.requests", priorityLevel, flowSchema)
            .addAndGet(delta);
      }

      @Override
      public void dispatched(String flowSchema) {
        FlowControlMetrics.this.dispatched(priorityLevel, flowSchema);
      }

      @Override
      public void rejected(String flowSchema, QueueSet.Rejection reason) {
        counter(
                "apiserver.flowcontrol.rejected.requests",
                priorityLevel,
                flowSchema,
                reason.label())
            .increment();
      }
    };
  }

  /** A request that went through, exempt ones included. */
  void dispatched(String priorityLevel, String flowSchema) {
    counter("apiserver.flowcontrol.dispatched.requests", priorityLevel, flowSchema, null)
        .increment();
  }

  private AtomicLong gauge(String name, String priorityLevel, String flowSchema) {
    return gauges.computeIfAbsent(
        List.of(name, priorityLevel, flowSchema),
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .tag("priority_level", priorityLevel)
              .tag("flow_schema", flowSchema)
              .register(registry);
          return value;
        });
  }

  private Counter counter(String name, String priorityLevel, String flowSchema, String reason) {
    return counters.computeIfAbsent(
        reason == null
            ? List.of(name, priorityLevel, flowSchema)
            : List.of(name, priorityLevel, flowSchema, reason),
        k -> {
          Counter.Builder b =
              Counter.builder(name)
                  .tag("priority_level", priorityLevel)
                  .tag("flow_schema", flowSchema);
          if (reason != null) {
            b.tag("reason", reason);
          }
          return b.register(registry);
        });
  }
}
