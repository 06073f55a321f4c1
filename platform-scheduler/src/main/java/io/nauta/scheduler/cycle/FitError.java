package io.nauta.scheduler.cycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Composes the message Kubernetes' scheduler gives a pod that fits nowhere: "0/3 nodes are
 * available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}." — each reason
 * counted over the nodes that gave it, sorted as strings, as kube-scheduler's FitError does.
 */
final class FitError {

  static final String NO_NODES = "no nodes available to schedule pods";

  private FitError() {}

  /**
   * @param nodeReasons each rejected node's reasons
   */
  static String message(int allNodes, List<List<String>> nodeReasons) {
    Map<String, Integer> counts = new TreeMap<>();
    for (List<String> reasons : nodeReasons) {
      for (String reason : reasons) {
        counts.merge(reason, 1, Integer::sum);
      }
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((reason, count) -> parts.add(count + " " + reason));
    parts.sort(null);
    StringBuilder message =
        new StringBuilder("0/").append(allNodes).append(" nodes are available:");
    if (!parts.isEmpty()) {
      message.append(' ').append(String.join(", ", parts)).append('.');
    }
    return message.toString();
  }

  /** A pre-filter rejected the pod before any node was looked at. */
  static String preFilterMessage(int allNodes, List<String> reasons) {
    return "0/" + allNodes + " nodes are available: " + String.join(", ", reasons) + ".";
  }
}
