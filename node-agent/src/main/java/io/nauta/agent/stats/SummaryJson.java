package io.nauta.agent.stats;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Usage.Node} as the kubelet's {@code GET /stats/summary} body, with the field names of
 * {@code k8s.io/kubelet/pkg/apis/stats/v1alpha1} (times in RFC 3339 to the second, as {@code
 * metav1.Time} writes them; absent figures left out, as upstream's {@code omitempty} pointers).
 */
public final class SummaryJson {

  private SummaryJson() {}

  public static Map<String, Object> of(Usage.Node node) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("nodeName", node.nodeName());
    put(n, "startTime", node.startTime());
    n.put("cpu", cpu(node.cpu()));
    n.put("memory", memory(node.memory()));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("node", n);
    summary.put("pods", node.pods().stream().map(SummaryJson::pod).toList());
    return summary;
  }

  private static Map<String, Object> pod(Usage.Pod pod) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", pod.name());
    ref.put("namespace", pod.namespace());
    ref.put("uid", pod.uid());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("podRef", ref);
    put(p, "startTime", pod.startTime());
    List<Map<String, Object>> containers =
        pod.containers().stream().map(SummaryJson::container).toList();
    p.put("containers", containers);
    p.put("cpu", cpu(pod.cpu()));
    p.put("memory", memory(pod.memory()));
    return p;
  }

  private static Map<String, Object> container(Usage.Container c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    put(m, "startTime", c.startTime());
    m.put("cpu", cpu(c.cpu()));
    m.put("memory", memory(c.memory()));
    return m;
  }

  private static Map<String, Object> cpu(Usage.Cpu cpu) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "time", cpu.time());
    if (cpu.nanoCores() != null) {
      m.put("usageNanoCores", cpu.nanoCores());
    }
    m.put("usageCoreNanoSeconds", cpu.coreNanoSeconds());
    return m;
  }

  private static Map<String, Object> memory(Usage.Memory memory) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "time", memory.time());
    if (memory.availableBytes() != null) {
      m.put("availableBytes", memory.availableBytes());
    }
    m.put("usageBytes", memory.usageBytes());
    m.put("workingSetBytes", memory.workingSetBytes());
    if (memory.rssBytes() != null) {
      m.put("rssBytes", memory.rssBytes());
    }
    return m;
  }

  private static void put(Map<String, Object> m, String key, Instant time) {
    if (time != null) {
      m.put(key, time.truncatedTo(ChronoUnit.SECONDS).toString());
    }
  }
}
