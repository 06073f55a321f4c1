package io.nauta.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' disruption handling of the node lifecycle controller ({@code handleDisruption},
 * {@code ComputeZoneState}, {@code setLimiterInZone}): every zone (the region and zone labels of
 * its nodes) is Normal, PartialDisruption or FullDisruption by the share of its nodes not ready,
 * and unreachable nodes are tainted {@code NoExecute} (which evicts their pods) at a rate limited
 * per zone by that state. When every zone is fully disrupted at once, the likelier fault is the
 * control plane's view of the nodes (a network partition, a stalled agent process), not every node
 * together: nothing is tainted and taints already placed are taken off, until a node is ready
 * again.
 */
public final class ZoneDisruption {

  /** What a pass changed beyond per-zone rates. */
  public enum Transition {
    NONE,
    /** Every zone just became fully disrupted: every node's NoExecute taint must go. */
    ENTERED_FULL_DISRUPTION,
    /** A node is ready again after all zones were fully disrupted. */
    EXITED_FULL_DISRUPTION
  }

  private final EvictionProperties props;
  private final Map<String, ZoneState> states = new HashMap<>();
  private final Map<String, TokenBucket> limiters = new HashMap<>();
  private boolean allFullyDisrupted;

  public ZoneDisruption(EvictionProperties props) {
    this.props = props;
  }

  /** {@code topology.kubernetes.io/region} and {@code zone} (or their beta forms), as one key. */
  public static String zoneKey(Node node) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    String region =
        Objects.requireNonNullElse(
            labels.get("topology.kubernetes.io/region"),
            labels.getOrDefault("failure-domain.beta.kubernetes.io/region", ""));
    String zone =
        Objects.requireNonNullElse(
            labels.get("topology.kubernetes.io/zone"),
            labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", ""));
    return region.isEmpty() && zone.isEmpty() ? "" : region + ":\u0000:" + zone;
  }

  /** {@code ComputeZoneState}: the state of a zone whose nodes are ready or not. */
  public static ZoneState computeZoneState(List<Boolean> ready, double unhealthyZoneThreshold) {
    long readyNodes = ready.stream().filter(Boolean::booleanValue).count();
    long notReady = ready.size() - readyNodes;
    if (readyNodes == 0 && notReady > 0) {
      return ZoneState.FULL_DISRUPTION;
    }
    if (notReady > 2 && (double) notReady / (notReady + readyNodes) >= unhealthyZoneThreshold) {
      return ZoneState.PARTIAL_DISRUPTION;
    }
    return ZoneState.NORMAL;
  }

  /** {@code setLimiterInZone}: nodes per second tainted in a zone of {@code size} nodes. */
  public double evictionRate(ZoneState state, int size) {
    return switch (state) {
      case NORMAL, INITIAL, FULL_DISRUPTION -> props.nodeEvictionRate();
      case PARTIAL_DISRUPTION ->
          size > props.largeClusterSizeThreshold() ? props.secondaryNodeEvictionRate() : 0;
    };
  }

  /**
   * {@code handleDisruption}: one pass over every node's readiness by zone. Zones no longer seen
   * are forgotten; a zone whose state changes gets the rate of its new state.
   */
  public synchronized Transition update(Map<String, List<Boolean>> readyByZone, Instant now) {
    Map<String, ZoneState> next = new HashMap<>();
    boolean allFull = !readyByZone.isEmpty();
    for (Map.Entry<String, List<Boolean>> e : readyByZone.entrySet()) {
      ZoneState s = computeZoneState(e.getValue(), props.unhealthyZoneThreshold());
      next.put(e.getKey(), s);
      allFull &= s == ZoneState.FULL_DISRUPTION;
      states.putIfAbsent(e.getKey(), ZoneState.INITIAL);
    }
    states.keySet().retainAll(readyByZone.keySet());
    limiters.keySet().retainAll(readyByZone.keySet());
    boolean wasAllFull = allFullyDisrupted;
    allFullyDisrupted = allFull;
    if (allFull) {
      // Stop every eviction; rates come back when a node is ready again.
      next.keySet().forEach(zone -> swapLimiter(zone, 0, now));
      states.replaceAll((zone, s) -> ZoneState.FULL_DISRUPTION);
      return wasAllFull ? Transition.NONE : Transition.ENTERED_FULL_DISRUPTION;
    }
    for (Map.Entry<String, ZoneState> e : next.entrySet()) {
      String zone = e.getKey();
      if (wasAllFull || states.get(zone) != e.getValue()) {
        swapLimiter(zone, evictionRate(e.getValue(), readyByZone.get(zone).size()), now);
        states.put(zone, e.getValue());
      }
    }
    return wasAllFull ? Transition.EXITED_FULL_DISRUPTION : Transition.NONE;
  }

  public synchronized boolean allFullyDisrupted() {
    return allFullyDisrupted;
  }

  public synchronized ZoneState state(String zone) {
    return states.getOrDefault(zone, ZoneState.INITIAL);
  }

  /** The zone's current taint rate, nodes per second. */
  public synchronized double rate(String zone) {
    TokenBucket b = limiters.get(zone);
    return b == null ? props.nodeEvictionRate() : b.qps();
  }

  /**
   * Asks to taint one more node of {@code zone} NoExecute: {@link Duration#ZERO} when it may go
   * ahead now, otherwise how long to wait, or null when the zone taints nothing at present.
   */
  public synchronized Duration tryTaint(String zone, Instant now) {
    if (allFullyDisrupted) {
      return null;
    }
    return limiters
        .computeIfAbsent(zone, z -> new TokenBucket(props.nodeEvictionRate(), now))
        .tryAcquire(now);
  }

  /** {@code SwapLimiter}: a new rate; a token already spent stays spent (burst is one). */
  private void swapLimiter(String zone, double qps, Instant now) {
    TokenBucket old = limiters.get(zone);
    if (old != null && old.qps() == qps) {
      return;
    }
    TokenBucket fresh = new TokenBucket(qps, now);
    if (old != null && old.drained(now)) {
      fresh.tryAcquire(now);
    }
    limiters.put(zone, fresh);
  }
}
