package io.nauta.agent.netpol;

import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filter table rules that enforce {@link PodFirewall}s. One chain, jumped to first from FORWARD
 * (pod traffic crosses it: bridged on a node's bridge with br_netfilter, routed between nodes'
 * bridges) and from INPUT (a pod's traffic to its own node: the API server, cluster DNS, anything
 * listening on the host, directly or through a Service DNAT'd to it; only egress jumps match there,
 * and replies to the host's own connections, probes or port-forwards, pass first), lets replies of
 * allowed connections pass and sends new traffic to or from an isolated pod through that pod's
 * ingress or egress chain, which returns what a policy allows and drops the rest. Nothing is
 * accepted here: what passes goes on through FORWARD (Docker's rules, the egress guard) as before.
 */
public final class PolicyChains {

  private PolicyChains() {}

  /** The chain FORWARD and INPUT jump to. */
  public static String main(ChainNames names) {
    return names.prefix() + "-NETPOL";
  }

  static String ingressChain(ChainNames names, String pod) {
    return names.chain("NPI", pod);
  }

  static String egressChain(ChainNames names, String pod) {
    return names.chain("NPE", pod);
  }

  public static RuleSet.Table render(List<PodFirewall> pods, ChainNames names) {
    String main = main(names);
    Set<String> chains = new LinkedHashSet<>(List.of(main));
    List<String> rules = new ArrayList<>();
    List<String> perPod = new ArrayList<>();
    rules.add("-A " + main + " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
    for (PodFirewall fw : pods) {
      String ip = fw.ip() + "/32";
      if (fw.ingress() != null) {
        // to the pod, from the allowed sources
        isolate(
            ingressChain(names, fw.pod()),
            "-d " + ip,
            "-s",
            fw,
            fw.ingress(),
            main,
            chains,
            rules,
            perPod);
      }
      if (fw.egress() != null) {
        // from the pod, to the allowed destinations
        isolate(
            egressChain(names, fw.pod()),
            "-s " + ip,
            "-d",
            fw,
            fw.egress(),
            main,
            chains,
            rules,
            perPod);
      }
    }
    rules.addAll(perPod);
    return new RuleSet.Table(chains, rules);
  }

  /** The jump from the main chain for one direction of a pod, and that direction's chain. */
  private static void isolate(
      String chain,
      String podMatch,
      String peerFlag,
      PodFirewall fw,
      List<Allow> allowed,
      String main,
      Set<String> chains,
      List<String> jumps,
      List<String> perPod) {
    chains.add(chain);
    jumps.add("-A " + main + " " + podMatch + comment(fw.pod()) + " -j " + chain);
    for (Allow a : allowed) {
      perPod.add("-A " + chain + match(peerFlag, a) + " -j RETURN");
    }
    perPod.add("-A " + chain + " -j DROP");
  }

  /** {@code -s|-d cidr -p proto -m proto --dport a[:b]}, each part only when the rule has it. */
  private static String match(String peerFlag, Allow a) {
    StringBuilder out = new StringBuilder();
    if (a.cidr() != null) {
      out.append(' ').append(peerFlag).append(' ').append(a.cidr());
    }
    if (a.protocol() != null) {
      String p = a.protocol().toLowerCase(Locale.ROOT);
      out.append(" -p ").append(p);
      if (a.port() != null) {
        out.append(" -m ").append(p).append(" --dport ").append(a.port());
        if (a.endPort() != null && !a.endPort().equals(a.port())) {
          out.append(':').append(a.endPort());
        }
      }
    }
    return out.toString();
  }

  private static String comment(String pod) {
    // namespace/name: no spaces or quotes to escape
    return " -m comment --comment " + pod;
  }
}
