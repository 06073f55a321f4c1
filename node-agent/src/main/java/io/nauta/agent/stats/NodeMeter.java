package io.nauta.agent.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Reads the containers of one node (and the node itself) at one sampling. */
interface NodeMeter {

  /**
   * Every running container of the node.
   *
   * @param previous the previous sampling's readings by {@link Reading#key()}
   */
  Mono<List<Reading>> containers(Instant now, Map<String, Reading> previous);

  /**
   * The node's own cumulative CPU time and memory (the host's), or null to report the sum of its
   * containers.
   */
  default HostUsage.Reading node() {
    return null;
  }

  /** When the node started: the host's boot, or the agent's start for a simulated node. */
  Instant startTime();
}
