package io.nauta.scheduler.plugins.nodeports;

import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.HostPort;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import java.util.List;

/**
 * Keeps a pod off nodes where one of its host ports is taken: same protocol and port, and the same
 * IP or either side on 0.0.0.0.
 */
public final class NodePorts implements FilterPlugin {

  public static final String NAME = "NodePorts";
  public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    List<HostPort> wanted = pod.hostPorts();
    if (wanted.isEmpty()) {
      return Status.success();
    }
    List<HostPort> used = node.usedPorts();
    for (int i = 0, n = wanted.size(); i < n; i++) {
      HostPort port = wanted.get(i);
      for (int j = 0, m = used.size(); j < m; j++) {
        if (port.conflictsWith(used.get(j))) {
          return Status.unschedulable(REASON);
        }
      }
    }
    return Status.success();
  }
}
