package io.nauta.api.resourcemetrics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What one scrape of an agent's {@code /stats/summary} (the kubelet's {@code stats/v1alpha1}
 * Summary) yields, decoded as metrics-server's {@code decodeBatch} does: the node's point when its
 * CPU and memory are there, and a pod only when every one of its containers has a complete point.
 *
 * @param node the node's point, or null
 * @param pods each pod's containers' points, by pod
 */
record NodeSummary(MetricsPoint node, Map<PodRef, Map<String, MetricsPoint>> pods) {

  /** A pod as the Summary names it. */
  record PodRef(String namespace, String name) {}

  static NodeSummary decode(JsonNode summary) {
    JsonNode nodeStats = summary.path("node");
    MetricsPoint node = point(nodeStats.path("cpu"), nodeStats.path("memory"), nodeStats);
    Map<PodRef, Map<String, MetricsPoint>> pods = new LinkedHashMap<>();
    for (JsonNode pod : summary.path("pods")) {
      JsonNode ref = pod.path("podRef");
      String name = ref.path("name").asString("");
      String namespace = ref.path("namespace").asString("");
      if (name.isEmpty() || namespace.isEmpty()) {
        continue;
      }
      Map<String, MetricsPoint> containers = new LinkedHashMap<>();
      boolean complete = pod.path("containers").size() > 0;
      for (JsonNode c : pod.path("containers")) {
        MetricsPoint p = point(c.path("cpu"), c.path("memory"), c);
        String container = c.path("name").asString("");
        if (p == null || container.isEmpty()) {
          complete = false;
          break;
        }
        containers.put(container, p);
      }
      if (complete) {
        pods.put(new PodRef(namespace, name), containers);
      }
    }
    return new NodeSummary(node, pods);
  }

  private static MetricsPoint point(JsonNode cpu, JsonNode memory, JsonNode owner) {
    long cumulative = number(cpu.path("usageCoreNanoSeconds"));
    long nanoCores = number(cpu.path("usageNanoCores"));
    long workingSet = number(memory.path("workingSetBytes"));
    if ((cumulative < 0 && nanoCores < 0) || workingSet < 0) {
      return null;
    }
    Instant cpuTime = time(cpu.path("time"));
    Instant memoryTime = time(memory.path("time"));
    Instant at =
        cpuTime == null
            ? memoryTime
            : memoryTime == null || cpuTime.isBefore(memoryTime) ? cpuTime : memoryTime;
    if (at == null) {
      return null;
    }
    return new MetricsPoint(at, time(owner.path("startTime")), cumulative, nanoCores, workingSet);
  }

  private static long number(JsonNode n) {
    return n.isIntegralNumber() && n.asLong() >= 0 ? n.asLong() : -1;
  }

  private static Instant time(JsonNode n) {
    if (!n.isString() || n.asString().isEmpty()) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(n.asString()).toInstant();
      return t.getEpochSecond() <= 0 ? null : t; // Go's zero time: no measurement
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
