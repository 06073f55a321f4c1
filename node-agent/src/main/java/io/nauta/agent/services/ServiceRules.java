package io.nauta.agent.services;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders Services and their Endpoints into iptables rules the way kube-proxy's iptables mode does:
 * per service port a chain that picks one ready endpoint at random ({@code -m statistic}, equal
 * odds) and DNATs to it, reached by {@code clusterIP:port} and by the node port on any local
 * address; service traffic from outside the pod network is marked and masqueraded, a pod's is not
 * (kube-proxy given {@code --cluster-cidr}: the endpoint sees the client pod's IP, on this node or
 * another), except a pod sent to itself (hairpin), which must see the reply come from the service;
 * a service port without a ready endpoint is rejected so clients fail at once. Pure: the same input
 * gives the same text.
 */
public final class ServiceRules {

  /** The mark bit for masquerading, kube-proxy's. */
  static final String MASQ_MARK = "0x4000/0x4000";

  private final ChainNames names;
  private final String clusterCidr;
  private final List<String> peerCidrs;

  /**
   * @param clusterCidr the pod network of the whole cluster: traffic within it is neither dropped
   *     between nodes' bridges nor masqueraded (Kubernetes' pod-to-pod without NAT)
   */
  public ServiceRules(ChainNames names, String clusterCidr) {
    this(names, clusterCidr, List.of());
  }

  /**
   * @param peerCidrs pod networks of other clusters on this host (a federation's members): traffic
   *     between them and {@code clusterCidr} is let through the bridges' isolation and not
   *     masqueraded either, so a service imported from a peer reaches its pods
   */
  public ServiceRules(ChainNames names, String clusterCidr, List<String> peerCidrs) {
    this.names = names;
    this.clusterCidr = clusterCidr;
    this.peerCidrs = List.copyOf(peerCidrs);
  }

  /**
   * @param endpoints the Endpoints of a service, by {@code namespace/name}
   */
  public RuleSet render(
      Collection<Service> services, Function<String, Optional<Endpoints>> endpoints) {
    Set<String> nat = new LinkedHashSet<>();
    List<String> natRules = new ArrayList<>();
    Set<String> filter = new LinkedHashSet<>();
    List<String> filterRules = new ArrayList<>();
    String portals = names.services();
    nat.add(portals);
    nat.add(names.nodePorts());
    nat.add(names.markMasq());
    nat.add(names.postrouting());
    filter.add(portals);
    filter.add(names.input());
    filter.add(names.output());
    filter.add(names.forward());

    List<String> nodePortRules = new ArrayList<>();
    List<String> endpointChains = new ArrayList<>();
    List<Service> sorted =
        services.stream()
            .filter(ServiceRules::hasClusterIp)
            .sorted(Comparator.comparing(s -> key(s)))
            .toList();
    for (Service s : sorted) {
      String ip = s.getSpec().getClusterIP() + "/32";
      Optional<Endpoints> eps = endpoints.apply(key(s));
      for (ServicePort sp : s.getSpec().getPorts()) {
        String protocol = protocol(sp.getProtocol());
        if (protocol == null || sp.getPort() == null) {
          continue;
        }
        String portName = key(s) + ":" + Objects.toString(sp.getName(), "");
        String id = portName + "/" + protocol;
        String match = "-p " + protocol + " -m " + protocol;
        String port = String.valueOf(sp.getPort());
        Integer nodePort = sp.getNodePort();
        List<String> ready = readyEndpoints(eps, sp.getName(), protocol.toUpperCase(Locale.ROOT));
        if (ready.isEmpty()) {
          String why = comment(portName + " has no endpoints");
          filterRules.add(rule("-A", portals, "-d", ip, match, "--dport", port, why, "-j REJECT"));
          if (nodePort != null) {
            filterRules.add(
                rule(
                    "-A", portals, LOCAL, match, "--dport", nodePort.toString(), why, "-j REJECT"));
          }
          continue;
        }
        String chain = names.service(id);
        String comment = comment(portName);
        nat.add(chain);
        natRules.add(rule("-A", portals, "-d", ip, match, "--dport", port, comment, "-j", chain));
        if (nodePort != null) {
          nodePortRules.add(
              rule(
                  "-A",
                  names.nodePorts(),
                  match,
                  "--dport",
                  nodePort.toString(),
                  comment,
                  "-j",
                  chain));
        }
        // As kube-proxy given the cluster CIDR: a pod's own address survives (the endpoint, on
        // this node or another, sees the client pod, and its reply comes back by the pod
        // network's routes); traffic from outside the pod network is masqueraded.
        endpointChains.add(rule("-A", chain, "!", "-s", clusterCidr, "-j", names.markMasq()));
        List<String> dnat = new ArrayList<>();
        int n = ready.size();
        for (int i = 0; i < n; i++) {
          String sep = names.endpoint(id, ready.get(i));
          nat.add(sep);
          String odds =
              i < n - 1
                  ? "-m statistic --mode random --probability "
                      + String.format(Locale.ROOT, "%.10f", 1.0 / (n - i))
                  : "";
          endpointChains.add(rule("-A", chain, comment, odds, "-j", sep));
          // A pod sent to itself (hairpin) must see the reply come from the service, not itself.
          dnat.add(
              rule("-A", sep, "-s", host(ready.get(i)) + "/32", comment, "-j", names.markMasq()));
          dnat.add(rule("-A", sep, match, comment, "-j DNAT --to-destination", ready.get(i)));
        }
        endpointChains.addAll(dnat);
      }
    }
    // Node ports last, as kube-proxy: every local address, e.g. a node's 127.1.x.y.
    natRules.add("-A " + portals + " -m addrtype --dst-type LOCAL -j " + names.nodePorts());
    natRules.addAll(nodePortRules);
    natRules.addAll(endpointChains);
    natRules.add("-A " + names.markMasq() + " -j MARK --set-xmark " + MASQ_MARK);
    natRules.add("-A " + names.postrouting() + " -m mark --mark " + MASQ_MARK + " -j MASQUERADE");
    // Pod to pod across nodes keeps its source: before Docker's MASQUERADE of traffic leaving a
    // bridge (ACCEPT ends the nat table's POSTROUTING for the packet).
    natRules.add(
        "-A " + names.postrouting() + " -s " + clusterCidr + " -d " + clusterCidr + " -j ACCEPT");
    for (String peer : peerCidrs) {
      natRules.add(
          "-A " + names.postrouting() + " -s " + clusterCidr + " -d " + peer + " -j ACCEPT");
    }

    // route_localnet (needed for node ports on 127.x) would let a pod reach the node's loopback
    // services; drop what reaches 127/8 from elsewhere unless we DNATed it (CVE-2020-8558).
    filterRules.add(
        "-A "
            + names.input()
            + " ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate"
            + " RELATED,ESTABLISHED,DNAT -j DROP");
    filterRules.add("-A " + names.input() + " -m conntrack --ctstate NEW -j " + portals);
    // In OUTPUT, -o is the device of the route chosen before our DNAT (the default route for a
    // cluster IP), so the egress guard would drop the node's own service traffic to a pod: it is
    // let through here, before the guard, when it was DNATed into the pod network.
    filterRules.add(
        "-A " + names.output() + " -d " + clusterCidr + " -m conntrack --ctstate DNAT -j ACCEPT");
    for (String peer : peerCidrs) {
      filterRules.add(
          "-A " + names.output() + " -d " + peer + " -m conntrack --ctstate DNAT -j ACCEPT");
    }
    filterRules.add("-A " + names.output() + " -m conntrack --ctstate NEW -j " + portals);
    // Docker isolates its bridge networks from each other; pods of different nodes must meet.
    filterRules.add(
        "-A " + names.forward() + " -s " + clusterCidr + " -d " + clusterCidr + " -j ACCEPT");
    // A peer cluster's pods (both ways: requests, and replies to them), e.g. an imported
    // service's endpoints. The hook sits behind the egress guard's, which still drops whatever
    // would leave the host.
    for (String peer : peerCidrs) {
      filterRules.add(
          "-A " + names.forward() + " -s " + clusterCidr + " -d " + peer + " -j ACCEPT");
      filterRules.add(
          "-A " + names.forward() + " -s " + peer + " -d " + clusterCidr + " -j ACCEPT");
    }
    return new RuleSet(new RuleSet.Table(nat, natRules), new RuleSet.Table(filter, filterRules));
  }

  private static final String LOCAL = "-m addrtype --dst-type LOCAL";

  private static String comment(String text) {
    return "-m comment --comment \"" + text + "\"";
  }

  /** Words joined by single spaces, empty ones left out. */
  private static String rule(String... words) {
    StringBuilder out = new StringBuilder();
    for (String w : words) {
      if (!w.isEmpty()) {
        out.append(out.length() == 0 ? "" : " ").append(w);
      }
    }
    return out.toString();
  }

  /** The address of an endpoint {@code ip:port}. */
  private static String host(String endpoint) {
    return endpoint.substring(0, endpoint.lastIndexOf(':'));
  }

  static String key(Service s) {
    return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
  }

  private static boolean hasClusterIp(Service s) {
    if (s.getSpec() == null || s.getSpec().getPorts() == null) {
      return false;
    }
    String ip = s.getSpec().getClusterIP();
    return ip != null
        && !ip.isBlank()
        && !"None".equals(ip)
        && !"ExternalName".equals(s.getSpec().getType());
  }

  /** tcp or udp (iptables' spelling); null for what is not proxied (SCTP). */
  private static String protocol(String p) {
    String protocol = p == null ? "TCP" : p.toUpperCase(Locale.ROOT);
    return switch (protocol) {
      case "TCP", "UDP" -> protocol.toLowerCase(Locale.ROOT);
      default -> null;
    };
  }

  /**
   * Whether an endpoint address may be a DNAT target: an IP literal that is neither loopback
   * (127/8, ::1), link-local (169.254/16, fe80::/10, and their multicast) nor unspecified. The API
   * server refuses such Endpoints, as Kubernetes does, but a proxy must not trust that: a DNAT to
   * the node's own loopback or its metadata address would hand a Service's clients the node's local
   * services.
   */
  static boolean routable(String ip) {
    if (!literal(ip)) {
      return false;
    }
    try {
      InetAddress a = InetAddress.getByName(ip);
      return !(a.isLoopbackAddress()
          || a.isLinkLocalAddress()
          || a.isMCLinkLocal()
          || a.isAnyLocalAddress());
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * A dotted quad or an IPv6 literal: only those reach InetAddress, which would resolve anything
   * else as a host name through DNS.
   */
  private static boolean literal(String ip) {
    if (ip == null) {
      return false;
    }
    if (ip.contains(":")) {
      return ip.matches("[0-9a-fA-F:.]+");
    }
    if (!ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      return false;
    }
    for (String octet : ip.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code ip:port} of the ready addresses for the service port named {@code portName}: the
   * Endpoints' ports carry the service ports' names with the target port resolved per pod (so a
   * named targetPort has its number here).
   */
  private static List<String> readyEndpoints(
      Optional<Endpoints> eps, String portName, String protocol) {
    Set<String> out = new TreeSet<>();
    if (eps.isEmpty() || eps.get().getSubsets() == null) {
      return List.of();
    }
    String wanted = Objects.toString(portName, "");
    for (EndpointSubset subset : eps.get().getSubsets()) {
      if (subset.getAddresses() == null || subset.getPorts() == null) {
        continue;
      }
      for (EndpointPort p : subset.getPorts()) {
        if (!wanted.equals(Objects.toString(p.getName(), ""))
            || !protocol.equals(Objects.toString(p.getProtocol(), "TCP"))
            || p.getPort() == null) {
          continue;
        }
        for (EndpointAddress a : subset.getAddresses()) {
          if (routable(a.getIp())) {
            out.add(a.getIp() + ":" + p.getPort());
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
