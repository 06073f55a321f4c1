package io.nauta.api.resourcemetrics;

import io.nauta.api.resourcemetrics.NodeSummary.PodRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The last two points of every node and container, as metrics-server's {@code storage} keeps them,
 * and the usage they give: CPU is the growth of {@code usageCoreNanoSeconds} between the two over
 * the time between them ({@code window}), memory the last working set, {@code timestamp} the last
 * point's time. With one point only, the agent's own {@code usageNanoCores} is used, over {@code
 * fallbackWindow}. Each {@link #store} replaces everything: nodes (and their pods) absent from a
 * batch are gone.
 */
final class MetricsStorage {

  /** A resource's usage: CPU in nanocores, memory in bytes. */
  record Usage(Instant timestamp, Duration window, long nanoCores, long memoryBytes) {}

  record ContainerUsage(String name, long nanoCores, long memoryBytes) {}

  record PodUsage(Instant timestamp, Duration window, List<ContainerUsage> containers) {}

  private record State(
      Map<String, MetricsPoint> lastNodes,
      Map<String, MetricsPoint> prevNodes,
      Map<PodRef, Map<String, MetricsPoint>> lastPods,
      Map<PodRef, Map<String, MetricsPoint>> prevPods) {}

  private final Duration fallbackWindow;
  private volatile State state = new State(Map.of(), Map.of(), Map.of(), Map.of());

  MetricsStorage(Duration fallbackWindow) {
    this.fallbackWindow = fallbackWindow;
  }

  /** Takes one scrape round: each node's summary, by node name. */
  synchronized void store(Map<String, NodeSummary> batch) {
    State old = state;
    Map<String, MetricsPoint> lastNodes = new HashMap<>();
    Map<String, MetricsPoint> prevNodes = new HashMap<>();
    Map<PodRef, Map<String, MetricsPoint>> lastPods = new HashMap<>();
    Map<PodRef, Map<String, MetricsPoint>> prevPods = new HashMap<>();
    batch.forEach(
        (node, summary) -> {
          if (summary.node() != null) {
            lastNodes.put(node, summary.node());
            MetricsPoint prev =
                previous(summary.node(), old.lastNodes().get(node), old.prevNodes().get(node));
            if (prev != null) {
              prevNodes.put(node, prev);
            }
          }
          summary
              .pods()
              .forEach(
                  (pod, containers) -> {
                    if (lastPods.putIfAbsent(pod, containers) != null) {
                      return; // a pod reported by two nodes: the first wins, as upstream
                    }
                    Map<String, MetricsPoint> oldLast = old.lastPods().getOrDefault(pod, Map.of());
                    Map<String, MetricsPoint> oldPrev = old.prevPods().getOrDefault(pod, Map.of());
                    Map<String, MetricsPoint> prev = new HashMap<>();
                    containers.forEach(
                        (name, point) -> {
                          MetricsPoint p = previous(point, oldLast.get(name), oldPrev.get(name));
                          if (p != null) {
                            prev.put(name, p);
                          }
                        });
                    prevPods.put(pod, prev);
                  });
        });
    state = new State(lastNodes, prevNodes, lastPods, prevPods);
  }

  /**
   * The point to keep as previous beside {@code next}: the stored last one when {@code next} is
   * newer, else the stored previous one when still older than {@code next}; none after a restart (a
   * new start time: the counters began again).
   */
  private static MetricsPoint previous(MetricsPoint next, MetricsPoint last, MetricsPoint prev) {
    if (last == null || !Objects.equals(last.startTime(), next.startTime())) {
      return null;
    }
    if (next.timestamp().isAfter(last.timestamp())) {
      return last;
    }
    if (prev != null && prev.timestamp().isBefore(next.timestamp())) {
      return prev;
    }
    return null;
  }

  Optional<Usage> node(String name) {
    State s = state;
    MetricsPoint last = s.lastNodes().get(name);
    return last == null ? Optional.empty() : usage(last, s.prevNodes().get(name));
  }

  /** The pod's usage when every container it was reported with has one (metrics-server's rule). */
  Optional<PodUsage> pod(String namespace, String name) {
    State s = state;
    PodRef ref = new PodRef(namespace, name);
    Map<String, MetricsPoint> last = s.lastPods().get(ref);
    if (last == null) {
      return Optional.empty();
    }
    Map<String, MetricsPoint> prev = s.prevPods().getOrDefault(ref, Map.of());
    List<ContainerUsage> containers = new ArrayList<>();
    Usage earliest = null;
    for (Map.Entry<String, MetricsPoint> e : last.entrySet()) {
      Optional<Usage> u = usage(e.getValue(), prev.get(e.getKey()));
      if (u.isEmpty()) {
        return Optional.empty();
      }
      containers.add(new ContainerUsage(e.getKey(), u.get().nanoCores(), u.get().memoryBytes()));
      if (earliest == null || earliest.timestamp().isAfter(u.get().timestamp())) {
        earliest = u.get();
      }
    }
    return Optional.of(new PodUsage(earliest.timestamp(), earliest.window(), containers));
  }

  private Optional<Usage> usage(MetricsPoint last, MetricsPoint prev) {
    if (prev != null && last.cumulativeCpu() >= 0 && prev.cumulativeCpu() >= 0) {
      if (last.cumulativeCpu() < prev.cumulativeCpu()) {
        return Optional.empty(); // "unexpected decrease in cumulative CPU usage value"
      }
      Duration window = Duration.between(prev.timestamp(), last.timestamp());
      double seconds = window.toNanos() / 1e9;
      long cpu = (long) ((last.cumulativeCpu() - prev.cumulativeCpu()) / seconds);
      return Optional.of(new Usage(last.timestamp(), window, cpu, last.memory()));
    }
    if (last.nanoCores() >= 0) {
      return Optional.of(
          new Usage(last.timestamp(), fallbackWindow, last.nanoCores(), last.memory()));
    }
    return Optional.empty();
  }
}
