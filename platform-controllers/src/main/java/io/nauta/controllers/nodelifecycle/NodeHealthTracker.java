package io.nauta.controllers.nodelifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each node was last heard from, judged as the leader elector does: by the local time at which
 * this controller saw the node's Lease {@code renewTime} (or its Ready condition's heartbeat)
 * change, never by the timestamps themselves, so clock skew between the node and the controller
 * does not matter. A node first seen counts as heard from at that moment (it gets a full grace
 * period, as after a controller manager fail-over in Kubernetes).
 */
public final class NodeHealthTracker {

  private final Clock clock;
  private final Duration gracePeriod;
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();

  public NodeHealthTracker(Clock clock, Duration gracePeriod) {
    this.clock = clock;
    this.gracePeriod = gracePeriod;
  }

  /**
   * Records what the node last posted ({@code renewTime} of its Lease and the heartbeat of its
   * Ready condition, either may be null) and returns the verdict.
   */
  public Health observe(String node, String leaseRenewTime, String readyHeartbeat) {
    Instant now = clock.instant();
    Probe p =
        probes.compute(
            node,
            (k, old) -> {
              if (old == null) {
                return new Probe(leaseRenewTime, now, readyHeartbeat, now, false);
              }
              Probe next = old;
              if (!Objects.equals(old.leaseRenewTime, leaseRenewTime)) {
                next = new Probe(leaseRenewTime, now, next.heartbeat, next.heartbeatSeenAt, true);
              }
              if (!Objects.equals(old.heartbeat, readyHeartbeat)) {
                next = new Probe(next.leaseRenewTime, next.leaseSeenAt, readyHeartbeat, now, true);
              }
              return next;
            });
    Instant lastHeard =
        p.leaseSeenAt.isAfter(p.heartbeatSeenAt) ? p.leaseSeenAt : p.heartbeatSeenAt;
    Instant deadline = lastHeard.plus(gracePeriod);
    return new Health(!now.isAfter(deadline), p.changed, deadline);
  }

  public void forget(String node) {
    probes.remove(node);
  }

  public Duration gracePeriod() {
    return gracePeriod;
  }

  /**
   * @param healthy heard from within the grace period
   * @param heardSinceFirstSeen whether the node posted anything new since this controller first saw
   *     it: only then is it known to be alive (not merely not yet overdue)
   * @param deadline when the node turns unhealthy unless heard from again
   */
  public record Health(boolean healthy, boolean heardSinceFirstSeen, Instant deadline) {}

  private record Probe(
      String leaseRenewTime,
      Instant leaseSeenAt,
      String heartbeat,
      Instant heartbeatSeenAt,
      boolean changed) {}
}
