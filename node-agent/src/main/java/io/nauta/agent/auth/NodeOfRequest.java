package io.nauta.agent.auth;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.node.AgentNode;
import io.nauta.core.informer.SharedInformer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Which of this process's nodes a call is for, for the name in its authorization: one agent may run
 * several (simulated) nodes. A call about a pod ({@code /containerLogs/{ns}/{pod}/…}) is for the
 * node the pod is bound to; any other for the node whose address was dialled; else the first.
 */
public final class NodeOfRequest {

  private final SharedInformer<Pod> boundPods;
  private final List<AgentNode> nodes;
  private final Set<String> names;

  public NodeOfRequest(SharedInformer<Pod> boundPods, List<AgentNode> nodes) {
    this.boundPods = boundPods;
    this.nodes = List.copyOf(nodes);
    this.names = nodes.stream().map(AgentNode::name).collect(Collectors.toSet());
  }

  public String nodeOf(ServerHttpRequest request) {
    String[] segments = request.getPath().pathWithinApplication().value().split("/");
    // "", "containerLogs", namespace, pod, container
    if (segments.length >= 4 && segments[1].equals("containerLogs")) {
      String bound =
          boundPods
              .store()
              .get(segments[2], segments[3])
              .map(p -> p.getSpec().getNodeName())
              .orElse(null);
      if (bound != null && names.contains(bound)) {
        return bound;
      }
    }
    InetSocketAddress local = request.getLocalAddress();
    if (local != null && local.getAddress() != null) {
      String ip = local.getAddress().getHostAddress();
      for (AgentNode node : nodes) {
        if (ip.equals(node.ip())) {
          return node.name();
        }
      }
    }
    return nodes.get(0).name();
  }
}
