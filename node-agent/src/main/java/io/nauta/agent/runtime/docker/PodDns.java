package io.nauta.agent.runtime.docker;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolver configuration, as the kubelet writes its resolv.conf (its {@code --cluster-dns}
 * and {@code --cluster-domain}): by {@code dnsPolicy},
 *
 * <ul>
 *   <li>{@code ClusterFirst} (the default; also {@code ClusterFirstWithHostNet}; on the host's
 *       network only the latter, {@code ClusterFirst} falling back to {@code Default}): the cluster
 *       DNS, {@code search <ns>.svc.<domain> svc.<domain> <domain>}, {@code options ndots:5};
 *       without a cluster DNS configured, {@code Default}'s;
 *   <li>{@code Default}: the node's own resolvers (nothing set: Docker gives the container the
 *       host's);
 *   <li>{@code None}: only what {@code dnsConfig} says;
 * </ul>
 *
 * and {@code dnsConfig} on top of any: its nameservers and searches appended, its options merged by
 * name (the pod's value wins).
 *
 * @param clusterDns the cluster DNS Service's IPs ({@code kube-dns}, 10.96.0.10); empty: none
 * @param clusterDomain the cluster zone, {@code cluster.local}
 */
public record PodDns(List<String> clusterDns, String clusterDomain) {

  /** What the runtime sets on the sandbox; all empty: the runtime's own default. */
  public record Settings(List<String> nameservers, List<String> searches, List<String> options) {
    public boolean isDefault() {
      return nameservers.isEmpty() && searches.isEmpty() && options.isEmpty();
    }
  }

  public PodDns {
    clusterDns = List.copyOf(clusterDns);
  }

  /** No cluster DNS: every pod resolves as the node does (unless it says otherwise). */
  public static PodDns none() {
    return new PodDns(List.of(), "cluster.local");
  }

  public Settings settings(Pod pod) {
    String policy = pod.getSpec() == null ? null : pod.getSpec().getDnsPolicy();
    if (policy == null || policy.isEmpty()) {
      policy = "ClusterFirst";
    }
    List<String> nameservers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    // A pod on the host's network resolves as the node does unless it asks for the cluster DNS.
    boolean hostNetwork =
        pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    boolean cluster =
        policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork);
    if (cluster && !clusterDns.isEmpty()) {
      String ns = pod.getMetadata().getNamespace();
      nameservers.addAll(clusterDns);
      searches.add(ns + ".svc." + clusterDomain);
      searches.add("svc." + clusterDomain);
      searches.add(clusterDomain);
      options.put("ndots", "5");
    }
    PodDNSConfig config = pod.getSpec() == null ? null : pod.getSpec().getDnsConfig();
    if (config != null) {
      if (config.getNameservers() != null) {
        config.getNameservers().stream()
            .filter(n -> !nameservers.contains(n))
            .forEach(nameservers::add);
      }
      if (config.getSearches() != null) {
        config.getSearches().stream().filter(s -> !searches.contains(s)).forEach(searches::add);
      }
      if (config.getOptions() != null) {
        for (PodDNSConfigOption o : config.getOptions()) {
          options.put(o.getName(), o.getValue());
        }
      }
    }
    List<String> optionList = new ArrayList<>();
    options.forEach((k, v) -> optionList.add(v == null ? k : k + ":" + v));
    return new Settings(List.copyOf(nameservers), List.copyOf(searches), List.copyOf(optionList));
  }
}
