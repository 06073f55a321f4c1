package io.nauta.agent.netpol;

import java.util.List;

/**
 * What the network policies selecting one local pod let through: for each direction, null when no
 * policy of that type selects the pod (everything passes), else the only traffic allowed (empty:
 * none). Replies to allowed connections always pass.
 *
 * @param pod {@code namespace/name}
 * @param ip the pod's IP
 */
public record PodFirewall(String pod, String ip, List<Allow> ingress, List<Allow> egress) {

  public PodFirewall {
    ingress = ingress == null ? null : List.copyOf(ingress);
    egress = egress == null ? null : List.copyOf(egress);
  }

  @Override
  public String toString() {
    return pod
        + " ("
        + ip
        + "): ingress "
        + (ingress == null ? "open" : ingress.isEmpty() ? "deny" : ingress.toString())
        + ", egress "
        + (egress == null ? "open" : egress.isEmpty() ? "deny" : egress.toString());
  }
}
