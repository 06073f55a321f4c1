package io.nauta.agent.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.nauta.agent.routes.IpRoutes.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What host-gw routing wants of this host (flannel's host-gw backend): a route to every other
 * node's pod range via that node's InternalIP. A node is left out when it runs here (one of this
 * agent's, or its InternalIP is an address of this host: its bridge is local), when its address is
 * loopback (a node simulated on this machine), or when it has no pod range or no InternalIP yet.
 * Only destinations inside the cluster's pod network are ever wanted, and only routes there are
 * ever removed, so another cluster's agent on this host (a federation's member) keeps its own.
 *
 * @param clusterCidr the cluster's pod network, e.g. 10.244.0.0/16
 * @param localNodes the names of the nodes this agent runs
 * @param localPodCidrs their pod ranges: never routed away from their bridges, whoever claims them
 */
record RoutePlan(String clusterCidr, Set<String> localNodes, Set<String> localPodCidrs) {

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  /** The changes that take {@code current} (our routes now) to what the nodes ask for. */
  record Changes(List<Route> delete, List<Route> replace) {
    boolean none() {
      return delete.isEmpty() && replace.isEmpty();
    }
  }

  /** The route each other node's pod range wants, by destination, in destination order. */
  Map<String, Route> wanted(Collection<Node> nodes, Set<String> localAddresses) {
    Map<String, Route> wanted = new LinkedHashMap<>();
    List<Node> sorted =
        nodes.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList();
    for (Node node : sorted) {
      if (localNodes.contains(node.getMetadata().getName()) || node.getSpec() == null) {
        continue;
      }
      String podCidr = node.getSpec().getPodCIDR();
      String ip = internalIp(node);
      if (podCidr == null
          || ip == null
          || !within(podCidr, clusterCidr)
          || localPodCidrs.contains(podCidr)
          || loopback(ip)
          || localAddresses.contains(ip)) {
        continue;
      }
      // Two nodes claiming one range (a race of joins): the first by name keeps it.
      wanted.putIfAbsent(podCidr, new Route(podCidr, ip));
    }
    return wanted;
  }

  /**
   * Deletes every route of ours in the pod network that is not wanted (a node gone, or moved to
   * another address), replaces what is missing or different; routes outside the pod network are
   * never touched.
   */
  Changes changes(Map<String, Route> wanted, List<Route> current) {
    List<Route> delete = new ArrayList<>();
    for (Route r : current) {
      if (within(r.destination(), clusterCidr) && !r.equals(wanted.get(r.destination()))) {
        delete.add(r);
      }
    }
    List<Route> replace = new ArrayList<>();
    for (Route r : wanted.values()) {
      if (!current.contains(r)) {
        replace.add(r);
      }
    }
    return new Changes(delete, replace);
  }

  static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    for (NodeAddress a : node.getStatus().getAddresses()) {
      if ("InternalIP".equals(a.getType()) && toLong(a.getAddress()) >= 0) {
        return a.getAddress();
      }
    }
    return null;
  }

  private static boolean loopback(String ip) {
    return ip.startsWith("127.");
  }

  /** Whether {@code cidr} is an IPv4 CIDR lying wholly inside {@code outer}. */
  static boolean within(String cidr, String outer) {
    long[] inner = parse(cidr);
    long[] around = parse(outer);
    if (inner == null || around == null || inner[1] < around[1]) {
      return false;
    }
    long mask = around[1] == 0 ? 0 : (0xFFFFFFFFL << (32 - around[1])) & 0xFFFFFFFFL;
    return (inner[0] & mask) == (around[0] & mask);
  }

  /** {address, prefix length}, or null when not an IPv4 CIDR. */
  private static long[] parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return null;
    }
    long address = toLong(cidr.substring(0, slash));
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    return address < 0 || prefix < 0 || prefix > 32 ? null : new long[] {address, prefix};
  }

  /** An IPv4 literal as a number, or -1 when it is not one. */
  static long toLong(String ip) {
    Matcher m = ip == null ? null : IPV4.matcher(ip);
    if (m == null || !m.matches()) {
      return -1;
    }
    long value = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return -1;
      }
      value = value << 8 | octet;
    }
    return value;
  }
}
