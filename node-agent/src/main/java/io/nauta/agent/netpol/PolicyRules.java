package io.nauta.agent.netpol;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.nauta.core.net.Cidr;
import io.nauta.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * From NetworkPolicies, pods and namespaces to what each local pod may receive and send ({@link
 * PodFirewall}), as Kubernetes defines it: a pod selected by any policy of a type is isolated for
 * that direction and lets through only the union of those policies' rules; a rule's peers are pods
 * (by pod selector in the policy's namespace, by namespace selector, or both) resolved to their IPs
 * cluster-wide, or IP blocks without their {@code except} blocks; its ports are numbers, ranges or
 * container port names (resolved on the pod that receives the traffic). IPv4 only.
 *
 * <p>Cluster DNS runs on the node, not in a pod: the addresses of the {@code kube-dns} Endpoints of
 * {@code kube-system} count as pods of {@code kube-system} labelled as those Endpoints are ({@code
 * k8s-app: kube-dns}), so the usual allowance ({@code namespaceSelector} on {@code
 * kubernetes.io/metadata.name: kube-system}, {@code podSelector} on {@code k8s-app: kube-dns},
 * ports 53) lets a pod's queries through while an egress deny blocks them. Their ports are the
 * Endpoints' (the server's own, e.g. 10053, reached through the Service's 53): a rule's port 53 to
 * such an address also allows the Endpoints' port of that protocol, as it would a DNS pod serving
 * on 53, and the names {@code dns}/{@code dns-tcp} resolve to them.
 */
public final class PolicyRules {

  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
  public static final String DNS_NAMESPACE = "kube-system";
  public static final String DNS_NAME = "kube-dns";
  private static final int DNS_PORT = 53;

  private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
  private final List<Pod> peers = new ArrayList<>();

  /** The cluster DNS server's addresses ({@code ip/32}) and ports. */
  private final Map<String, List<EndpointPort>> dnsServers = new HashMap<>();

  private PolicyRules(List<Pod> pods, List<Namespace> namespaces, List<Endpoints> endpoints) {
    for (Namespace ns : namespaces) {
      Map<String, String> labels = new HashMap<>(orEmpty(ns.getMetadata().getLabels()));
      labels.putIfAbsent(NAMESPACE_NAME_LABEL, ns.getMetadata().getName());
      namespaceLabels.put(ns.getMetadata().getName(), labels);
    }
    for (Pod p : pods) {
      if (hasPodIp(p)) {
        peers.add(p);
      }
    }
    for (Endpoints e : endpoints) {
      if (DNS_NAMESPACE.equals(e.getMetadata().getNamespace())
          && DNS_NAME.equals(e.getMetadata().getName())) {
        for (EndpointSubset subset : orEmpty(e.getSubsets())) {
          for (EndpointAddress a : orEmpty(subset.getAddresses())) {
            dnsServer(e, a.getIp(), orEmpty(subset.getPorts()));
          }
        }
      }
    }
  }

  /** A DNS server address as a pod of kube-system (no node: never one of ours to isolate). */
  private void dnsServer(Endpoints e, String ip, List<EndpointPort> ports) {
    Map<String, String> labels = new HashMap<>(orEmpty(e.getMetadata().getLabels()));
    labels.putIfAbsent("k8s-app", DNS_NAME);
    Pod server =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(DNS_NAMESPACE)
            .withName(DNS_NAME + "-" + ip)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("dns")
            .withPorts(
                ports.stream()
                    .map(
                        p ->
                            new ContainerPortBuilder()
                                .withName(p.getName())
                                .withProtocol(p.getProtocol())
                                .withContainerPort(p.getPort())
                                .build())
                    .toList())
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .endStatus()
            .build();
    if (hasPodIp(server)) {
      peers.add(server);
      dnsServers.put(ip + "/32", ports);
    }
  }

  /**
   * @param local whether a node name is one of this agent's
   * @return the local pods selected by at least one policy, by {@code namespace/name}
   */
  public static List<PodFirewall> compute(
      List<NetworkPolicy> policies,
      List<Pod> pods,
      List<Namespace> namespaces,
      Predicate<String> local) {
    return compute(policies, pods, namespaces, List.of(), local);
  }

  /**
   * @param endpoints Endpoints to take the cluster DNS server's addresses from (others ignored)
   * @param local whether a node name is one of this agent's
   * @return the local pods selected by at least one policy, by {@code namespace/name}
   */
  public static List<PodFirewall> compute(
      List<NetworkPolicy> policies,
      List<Pod> pods,
      List<Namespace> namespaces,
      List<Endpoints> endpoints,
      Predicate<String> local) {
    PolicyRules rules = new PolicyRules(pods, namespaces, endpoints);
    List<PodFirewall> out = new ArrayList<>();
    for (Pod pod : rules.peers) {
      if (pod.getSpec() == null
          || pod.getSpec().getNodeName() == null
          || !local.test(pod.getSpec().getNodeName())) {
        continue;
      }
      List<NetworkPolicy> selecting =
          policies.stream().filter(np -> rules.selects(np, pod)).toList();
      if (selecting.isEmpty()) {
        continue;
      }
      List<Allow> ingress = null;
      List<Allow> egress = null;
      for (NetworkPolicy np : selecting) {
        NetworkPolicySpec spec = np.getSpec();
        String ns = np.getMetadata().getNamespace();
        if (types(spec).contains("Ingress")) {
          Set<Allow> allowed = new LinkedHashSet<>(ingress == null ? List.of() : ingress);
          for (var rule : orEmpty(spec.getIngress())) {
            allowed.addAll(
                rules.ingress(pod, ns, orEmpty(rule.getFrom()), orEmpty(rule.getPorts())));
          }
          ingress = List.copyOf(allowed);
        }
        if (types(spec).contains("Egress")) {
          Set<Allow> allowed = new LinkedHashSet<>(egress == null ? List.of() : egress);
          for (var rule : orEmpty(spec.getEgress())) {
            allowed.addAll(rules.egress(ns, orEmpty(rule.getTo()), orEmpty(rule.getPorts())));
          }
          egress = List.copyOf(allowed);
        }
      }
      out.add(new PodFirewall(key(pod), pod.getStatus().getPodIP(), ingress, egress));
    }
    out.sort(Comparator.comparing(PodFirewall::pod));
    return out;
  }

  /** The policy types, defaulted as the API server does for a policy stored without them. */
  static List<String> types(NetworkPolicySpec spec) {
    List<String> types = orEmpty(spec.getPolicyTypes());
    if (!types.isEmpty()) {
      return types;
    }
    return orEmpty(spec.getEgress()).isEmpty() ? List.of("Ingress") : List.of("Ingress", "Egress");
  }

  private boolean selects(NetworkPolicy np, Pod pod) {
    return Objects.equals(np.getMetadata().getNamespace(), pod.getMetadata().getNamespace())
        && np.getSpec() != null
        && selector(np.getSpec().getPodSelector()).matches(orEmpty(pod.getMetadata().getLabels()));
  }

  /** Traffic into {@code target}: sources from the peers, ports resolved on the target itself. */
  private List<Allow> ingress(
      Pod target, String ns, List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
    List<Allow> onTarget = ports(ports, target);
    List<Allow> out = new ArrayList<>();
    if (from.isEmpty()) {
      return onTarget;
    }
    for (NetworkPolicyPeer peer : from) {
      for (String cidr : cidrs(peer, ns)) {
        onTarget.forEach(a -> out.add(a.withCidr(cidr)));
      }
    }
    return out;
  }

  /**
   * Traffic out to the peers (none: anywhere): numeric ports as they are; a named port resolved on
   * each destination pod (for an IP block or no peers: every known pod inside it).
   */
  private List<Allow> egress(String ns, List<NetworkPolicyPeer> to, List<NetworkPolicyPort> ports) {
    List<NetworkPolicyPort> byName = ports.stream().filter(PolicyRules::named).toList();
    List<NetworkPolicyPort> numeric = ports.stream().filter(p -> !named(p)).toList();
    List<Allow> out = new ArrayList<>();
    List<NetworkPolicyPeer> targets = to.isEmpty() ? java.util.Collections.singletonList(null) : to;
    for (NetworkPolicyPeer peer : targets) {
      if (ports.isEmpty() || !numeric.isEmpty()) {
        List<Allow> allowed = ports(numeric, null);
        List<String> cidrs =
            peer == null ? java.util.Collections.singletonList(null) : cidrs(peer, ns);
        for (String cidr : cidrs) {
          allowed.forEach(a -> out.add(a.withCidr(cidr)));
          out.addAll(dnsPorts(allowed, cidr));
        }
      }
      if (!byName.isEmpty()) {
        for (Pod dest : destinations(peer, ns)) {
          String ip = dest.getStatus().getPodIP() + "/32";
          ports(byName, dest).forEach(a -> out.add(a.withCidr(ip)));
        }
      }
    }
    return out;
  }

  /**
   * What {@code allowed} to {@code cidr} (null: anywhere) allows of the DNS server: its own port of
   * a protocol where port 53 of that protocol is allowed.
   */
  private List<Allow> dnsPorts(List<Allow> allowed, String cidr) {
    Optional<Cidr> block = cidr == null ? Optional.empty() : Cidr.parse(cidr);
    List<Allow> out = new ArrayList<>();
    dnsServers.forEach(
        (server, ports) -> {
          if (cidr != null
              && (block.isEmpty() || !block.get().contains(server.replace("/32", "")))) {
            return;
          }
          for (Allow a : allowed) {
            if (a.port() == null
                || a.port() > DNS_PORT
                || (a.endPort() == null ? a.port() : a.endPort()) < DNS_PORT) {
              continue; // any port (already allowed) or not 53
            }
            for (EndpointPort p : ports) {
              String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
              if (protocol.equals(a.protocol()) && p.getPort() != null) {
                out.add(new Allow(server, protocol, p.getPort(), null));
              }
            }
          }
        });
    return out;
  }

  private List<Pod> destinations(NetworkPolicyPeer peer, String ns) {
    if (peer == null) {
      return peers;
    }
    if (peer.getIpBlock() == null) {
      return pods(peer, ns);
    }
    List<Cidr> blocks = blocks(peer.getIpBlock());
    return peers.stream()
        .filter(p -> blocks.stream().anyMatch(b -> b.contains(p.getStatus().getPodIP())))
        .toList();
  }

  private static boolean named(NetworkPolicyPort p) {
    return p.getPort() != null && p.getPort().getStrVal() != null;
  }

  /** A peer's addresses: its pods' IPs, or its IP block without the exceptions. */
  private List<String> cidrs(NetworkPolicyPeer peer, String ns) {
    if (peer.getIpBlock() != null) {
      return blocks(peer.getIpBlock()).stream().map(Cidr::toString).toList();
    }
    return pods(peer, ns).stream().map(p -> p.getStatus().getPodIP() + "/32").distinct().toList();
  }

  private List<Pod> pods(NetworkPolicyPeer peer, String ns) {
    LabelSelector podSelector =
        peer.getPodSelector() == null
            ? LabelSelector.everything()
            : selector(peer.getPodSelector());
    LabelSelector nsSelector =
        peer.getNamespaceSelector() == null ? null : selector(peer.getNamespaceSelector());
    List<Pod> out = new ArrayList<>();
    for (Pod p : peers) {
      String podNs = p.getMetadata().getNamespace();
      boolean inNamespace =
          nsSelector == null
              ? Objects.equals(podNs, ns)
              : namespaceLabels.containsKey(podNs)
                  && nsSelector.matches(namespaceLabels.get(podNs));
      if (inNamespace && podSelector.matches(orEmpty(p.getMetadata().getLabels()))) {
        out.add(p);
      }
    }
    return out;
  }

  private static List<Cidr> blocks(IPBlock block) {
    Optional<Cidr> cidr = Cidr.parse(block.getCidr());
    if (cidr.isEmpty() || !cidr.get().isIpv4()) {
      return List.of();
    }
    List<Cidr> holes = new ArrayList<>();
    for (String e : orEmpty(block.getExcept())) {
      Cidr.parse(e).ifPresent(holes::add);
    }
    return cidr.get().minus(holes);
  }

  /**
   * The ports of a rule (none: any traffic); named ports resolved on {@code pod} (null: skipped), a
   * name the pod does not have allowing nothing.
   */
  private static List<Allow> ports(List<NetworkPolicyPort> ports, Pod pod) {
    List<Allow> out = new ArrayList<>();
    if (ports.isEmpty()) {
      out.add(Allow.EVERYTHING);
      return out;
    }
    for (NetworkPolicyPort p : ports) {
      String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
      IntOrString port = p.getPort();
      if (port == null) {
        out.add(new Allow(null, protocol, null, null));
      } else if (port.getStrVal() == null) {
        out.add(new Allow(null, protocol, port.getIntVal(), p.getEndPort()));
      } else if (pod != null) {
        for (Container c : orEmpty(pod.getSpec().getContainers())) {
          for (ContainerPort cp : orEmpty(c.getPorts())) {
            String cpProtocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
            if (port.getStrVal().equals(cp.getName()) && protocol.equals(cpProtocol)) {
              out.add(new Allow(null, protocol, cp.getContainerPort(), null));
            }
          }
        }
      }
    }
    return out;
  }

  private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
    // A stored policy's podSelector is never null ({} when left out); an empty one selects all.
    if (s == null) {
      return LabelSelector.everything();
    }
    try {
      return LabelSelector.fromModel(s);
    } catch (RuntimeException e) {
      // stored before validation knew better: it selects nothing rather than stop every sync
      return LabelSelector.nothing();
    }
  }

  static boolean hasPodIp(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && !p.getStatus().getPodIP().isEmpty()
        && !p.getStatus().getPodIP().contains(":")
        && p.getSpec() != null
        && !Boolean.TRUE.equals(p.getSpec().getHostNetwork())
        && !"Succeeded".equals(p.getStatus().getPhase())
        && !"Failed".equals(p.getStatus().getPhase());
  }

  static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
