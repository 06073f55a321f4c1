package io.nauta.federation.propagation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Propagation's meters: {@code nauta.federation.propagation.latency} (from the moment the
 * controller first saw a template's resourceVersion to the member's acknowledgement of the write
 * that carries it, per cluster; the distribution latency of the issue's benchmark) and {@code
 * nauta.federation.apply.errors} (writes into a member that failed, per cluster and reason:
 * unreachable, conflict, rejected, override).
 */
public final class PropagationMetrics {

  private final MeterRegistry meters;
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

  public PropagationMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Notes when this template version was first seen; later calls keep the first time. */
  public void seen(String templateKey, String resourceVersion) {
    firstSeen.putIfAbsent(templateKey + "@" + resourceVersion, System.nanoTime());
  }

  /** A write carrying the template version reached the member. */
  public void applied(String templateKey, String resourceVersion, String cluster) {
    Long t0 = firstSeen.get(templateKey + "@" + resourceVersion);
    if (t0 != null) {
      Timer.builder("nauta.federation.propagation.latency")
          .description("template version seen at the gateway to written in the member")
          .tag("cluster", cluster)
          .publishPercentileHistogram()
          .register(meters)
          .record(Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  /** Every member has this version (or the template is gone): its start time is dropped. */
  public void done(String templateKey) {
    firstSeen.keySet().removeIf(k -> k.startsWith(templateKey + "@"));
  }

  public void applyError(String cluster, String reason) {
    Counter.builder("nauta.federation.apply.errors")
        .description("writes into a member cluster that failed")
        .tag("cluster", cluster)
        .tag("reason", reason)
        .register(meters)
        .increment();
  }
}
