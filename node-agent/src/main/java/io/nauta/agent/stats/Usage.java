package io.nauta.agent.stats;

import java.time.Instant;
import java.util.List;

/**
 * One sampling's figures, in the shapes of the kubelet's Summary API ({@code
 * k8s.io/kubelet/pkg/apis/stats/v1alpha1}); {@link SummaryJson} writes them with upstream's names.
 */
public final class Usage {

  private Usage() {}

  /**
   * {@code CPUStats}.
   *
   * @param nanoCores the rate over the last sampling interval; null until two samples exist
   * @param coreNanoSeconds the cumulative CPU time
   */
  public record Cpu(Instant time, Long nanoCores, long coreNanoSeconds) {}

  /** {@code MemoryStats}; {@code rssBytes} and {@code availableBytes} may be null. */
  public record Memory(
      Instant time, long workingSetBytes, long usageBytes, Long rssBytes, Long availableBytes) {}

  /** {@code ContainerStats}. */
  public record Container(String name, Instant startTime, Cpu cpu, Memory memory) {}

  /** {@code PodStats}: the pod's figures are its containers' sums. */
  public record Pod(
      String namespace,
      String name,
      String uid,
      Instant startTime,
      List<Container> containers,
      Cpu cpu,
      Memory memory) {

    public Pod {
      containers = List.copyOf(containers);
    }
  }

  /** {@code Summary}: the node and its pods. */
  public record Node(String nodeName, Instant startTime, Cpu cpu, Memory memory, List<Pod> pods) {

    public Node {
      pods = List.copyOf(pods);
    }

    /** A node nothing was sampled for yet. */
    static Node empty(String name, Instant startTime, Instant now) {
      return new Node(
          name, startTime, new Cpu(now, null, 0), new Memory(now, 0, 0, null, null), List.of());
    }
  }
}
