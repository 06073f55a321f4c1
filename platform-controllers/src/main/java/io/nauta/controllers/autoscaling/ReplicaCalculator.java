package io.nauta.controllers.autoscaling;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's replica calculator ({@code pkg/controller/podautoscaler/replica_calculator.go}) for
 * resource metrics: the replica count that brings the pods' average usage to the target, within a
 * tolerance, treating pods without metrics and not-yet-ready pods as Kubernetes does so a scale
 * decision is never driven by a pod that has not been measured fairly.
 *
 * <p>Pure: the caller brings the pods, their metrics and the time.
 */
public final class ReplicaCalculator {

  /** Kubernetes' --horizontal-pod-autoscaler-tolerance. */
  public static final double DEFAULT_TOLERANCE = 0.1;

  /** --horizontal-pod-autoscaler-cpu-initialization-period. */
  public static final Duration DEFAULT_CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);

  /** --horizontal-pod-autoscaler-initial-readiness-delay. */
  public static final Duration DEFAULT_INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

  /** A proposal, or why there is none ({@code error} non-null). */
  public record Proposal(int replicas, int utilization, long rawAverage, String error) {
    static Proposal failed(String error) {
      return new Proposal(-1, 0, 0, error);
    }

    public boolean failed() {
      return error != null;
    }
  }

  private final double tolerance;
  private final Duration cpuInitializationPeriod;
  private final Duration initialReadinessDelay;

  public ReplicaCalculator(
      double tolerance, Duration cpuInitializationPeriod, Duration initialReadinessDelay) {
    this.tolerance = tolerance;
    this.cpuInitializationPeriod = cpuInitializationPeriod;
    this.initialReadinessDelay = initialReadinessDelay;
  }

  public ReplicaCalculator() {
    this(DEFAULT_TOLERANCE, DEFAULT_CPU_INITIALIZATION_PERIOD, DEFAULT_INITIAL_READINESS_DELAY);
  }

  private record Groups(int ready, Set<String> unready, Set<String> missing, Set<String> ignored) {}

  /**
   * {@code GetResourceReplicas}: a target utilization (percent of the pods' requests).
   *
   * @param container the one container to count (ContainerResource), or null for the whole pod
   */
  public Proposal resourceReplicas(
      int currentReplicas,
      int targetUtilization,
      String resource,
      String container,
      List<Pod> pods,
      Map<String, PodMetric> podMetrics,
      Instant now) {
    if (pods.isEmpty()) {
      return Proposal.failed("no pods returned by selector while calculating replica count");
    }
    Map<String, Long> metrics = values(podMetrics);
    Groups g = group(pods, podMetrics, resource, now);
    metrics.keySet().removeAll(g.ignored());
    metrics.keySet().removeAll(g.unready());
    if (metrics.isEmpty()) {
      return Proposal.failed("did not receive metrics for targeted pods (pods might be unready)");
    }
    Map<String, Long> requests = new HashMap<>();
    for (Pod pod : pods) {
      long sum = 0;
      for (Container c : pod.getSpec().getContainers()) {
        if (container != null && !container.equals(c.getName())) {
          continue;
        }
        Quantity q =
            c.getResources() == null || c.getResources().getRequests() == null
                ? null
                : c.getResources().getRequests().get(resource);
        if (q == null) {
          return Proposal.failed(
              "missing request for "
                  + resource
                  + " in container "
                  + c.getName()
                  + " of Pod "
                  + pod.getMetadata().getName());
        }
        sum += milli(q);
      }
      requests.put(pod.getMetadata().getName(), sum);
    }
    Utilization u = utilization(metrics, requests, targetUtilization);
    if (u == null) {
      return Proposal.failed("no metrics returned matched known pods");
    }
    boolean scaleUpWithUnready = !g.unready().isEmpty() && u.ratio() > 1.0;
    if (!scaleUpWithUnready && g.missing().isEmpty()) {
      if (Math.abs(1.0 - u.ratio()) <= tolerance) {
        return new Proposal(currentReplicas, u.percent(), u.rawAverage(), null);
      }
      return new Proposal(
          (int) Math.ceil(u.ratio() * g.ready()), u.percent(), u.rawAverage(), null);
    }
    if (!g.missing().isEmpty()) {
      if (u.ratio() < 1.0) {
        // On a scale-down, a pod without metrics counts as using its whole request (or the
        // target, when that is higher): it must not make the others look idler than they are.
        long fallback = Math.max(100, targetUtilization);
        for (String p : g.missing()) {
          metrics.put(p, requests.getOrDefault(p, 0L) * fallback / 100);
        }
      } else if (u.ratio() > 1.0) {
        // On a scale-up, as using nothing.
        for (String p : g.missing()) {
          metrics.put(p, 0L);
        }
      }
    }
    if (scaleUpWithUnready) {
      for (String p : g.unready()) {
        metrics.put(p, 0L);
      }
    }
    Utilization after = utilization(metrics, requests, targetUtilization);
    return settle(
        currentReplicas, u.ratio(), after.ratio(), metrics.size(), u.percent(), u.rawAverage());
  }

  /**
   * {@code GetRawResourceReplicas}: a target average value per pod (milli-units), e.g. 200Mi of
   * memory whatever the requests.
   */
  public Proposal averageValueReplicas(
      int currentReplicas,
      long targetMilli,
      String resource,
      List<Pod> pods,
      Map<String, PodMetric> podMetrics,
      Instant now) {
    if (pods.isEmpty()) {
      return Proposal.failed("no pods returned by selector while calculating replica count");
    }
    Map<String, Long> metrics = values(podMetrics);
    Groups g = group(pods, podMetrics, resource, now);
    metrics.keySet().removeAll(g.ignored());
    metrics.keySet().removeAll(g.unready());
    if (metrics.isEmpty()) {
      return Proposal.failed("did not receive metrics for targeted pods (pods might be unready)");
    }
    long usage = average(metrics);
    double ratio = (double) usage / targetMilli;
    boolean scaleUpWithUnready = !g.unready().isEmpty() && ratio > 1.0;
    if (!scaleUpWithUnready && g.missing().isEmpty()) {
      if (Math.abs(1.0 - ratio) <= tolerance) {
        return new Proposal(currentReplicas, 0, usage, null);
      }
      return new Proposal((int) Math.ceil(ratio * g.ready()), 0, usage, null);
    }
    if (!g.missing().isEmpty()) {
      for (String p : g.missing()) {
        metrics.put(p, ratio < 1.0 ? targetMilli : 0L);
      }
    }
    if (scaleUpWithUnready) {
      for (String p : g.unready()) {
        metrics.put(p, 0L);
      }
    }
    double after = (double) average(metrics) / targetMilli;
    return settle(currentReplicas, ratio, after, metrics.size(), 0, usage);
  }

  /** The second look, with the missing and unready pods filled in: it may only damp a change. */
  private Proposal settle(
      int current, double ratio, double newRatio, int counted, int percent, long raw) {
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (ratio < 1.0 && newRatio > 1.0)
        || (ratio > 1.0 && newRatio < 1.0)) {
      // Filling in flipped the direction or brought it within tolerance: do nothing.
      return new Proposal(current, percent, raw, null);
    }
    int replicas = (int) Math.ceil(newRatio * counted);
    if ((newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current)) {
      return new Proposal(current, percent, raw, null);
    }
    return new Proposal(replicas, percent, raw, null);
  }

  private record Utilization(double ratio, int percent, long rawAverage) {}

  /** {@code GetResourceUtilizationRatio}; null when no metric belongs to a known pod. */
  private static Utilization utilization(
      Map<String, Long> metrics, Map<String, Long> requests, int target) {
    long used = 0;
    long requested = 0;
    int n = 0;
    for (Map.Entry<String, Long> e : metrics.entrySet()) {
      Long request = requests.get(e.getKey());
      if (request == null) {
        continue;
      }
      used += e.getValue();
      requested += request;
      n++;
    }
    if (requested == 0) {
      return null;
    }
    int percent = (int) (used * 100 / requested);
    return new Utilization((double) percent / target, percent, used / n);
  }

  private static long average(Map<String, Long> metrics) {
    long sum = 0;
    for (long v : metrics.values()) {
      sum += v;
    }
    return sum / metrics.size();
  }

  private static Map<String, Long> values(Map<String, PodMetric> podMetrics) {
    Map<String, Long> out = new HashMap<>();
    podMetrics.forEach((k, v) -> out.put(k, v.milliValue()));
    return out;
  }

  /** {@code groupPods}. */
  private Groups group(
      List<Pod> pods, Map<String, PodMetric> metrics, String resource, Instant now) {
    int ready = 0;
    Set<String> unready = new HashSet<>();
    Set<String> missing = new HashSet<>();
    Set<String> ignored = new HashSet<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase)) {
        ignored.add(name);
        continue;
      }
      if ("Pending".equals(phase)) {
        unready.add(name);
        continue;
      }
      PodMetric metric = metrics.get(name);
      if (metric == null) {
        missing.add(name);
        continue;
      }
      if ("cpu".equals(resource) && unreadyForCpu(pod, metric, now)) {
        unready.add(name);
        continue;
      }
      ready++;
    }
    return new Groups(ready, unready, missing, ignored);
  }

  /**
   * A CPU sample is not trusted while the pod starts (its start-up burns CPU): within the
   * initialization period an unready pod, or one whose sample began before it turned ready; after
   * it, a pod that is unready and never was ready.
   */
  private boolean unreadyForCpu(Pod pod, PodMetric metric, Instant now) {
    PodCondition condition = null;
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          condition = c;
        }
      }
    }
    String startTime = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (condition == null || startTime == null) {
      return true;
    }
    Instant start = OffsetDateTime.parse(startTime).toInstant();
    Instant transition =
        condition.getLastTransitionTime() == null
            ? start
            : OffsetDateTime.parse(condition.getLastTransitionTime()).toInstant();
    if (start.plus(cpuInitializationPeriod).isAfter(now)) {
      return "False".equals(condition.getStatus())
          || metric.timestamp().isBefore(transition.plus(metric.window()));
    }
    return "False".equals(condition.getStatus())
        && start.plus(initialReadinessDelay).isAfter(transition);
  }

  /** A quantity in milli-units, rounded up as {@code Quantity.MilliValue} does. */
  static long milli(Quantity q) {
    BigDecimal v = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000));
    return v.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }
}
