package io.nauta.dns.records;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.nauta.core.informer.InformerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as the DNS server reads it: the informers' stores of Services, Endpoints, Pods and
 * Namespaces, with the indexes its lookups need (by cluster IP, by endpoint and pod IP, pods by
 * their {@code subdomain}). Every answer is read from these stores at query time, so an informer
 * event is visible to the next query: nothing else is cached.
 */
public final class ClusterView {

  static final String BY_CLUSTER_IP = "dns.clusterIP";
  static final String BY_ADDRESS = "dns.address";
  static final String BY_POD_IP = "dns.podIP";
  static final String BY_SUBDOMAIN = "dns.subdomain";

  private final InformerStore<Service> services;
  private final InformerStore<Endpoints> endpoints;
  private final InformerStore<Pod> pods;
  private final InformerStore<Namespace> namespaces;

  public ClusterView(
      InformerStore<Service> services,
      InformerStore<Endpoints> endpoints,
      InformerStore<Pod> pods,
      InformerStore<Namespace> namespaces) {
    this.services = services;
    this.endpoints = endpoints;
    this.pods = pods;
    this.namespaces = namespaces;
    services.addIndex(BY_CLUSTER_IP, ClusterView::clusterIps);
    endpoints.addIndex(BY_ADDRESS, ClusterView::addressIps);
    pods.addIndex(BY_POD_IP, ClusterView::podIps);
    pods.addIndex(
        BY_SUBDOMAIN,
        p -> {
          String sub = p.getSpec() == null ? null : p.getSpec().getSubdomain();
          return sub == null || sub.isEmpty()
              ? List.of()
              : List.of(p.getMetadata().getNamespace() + "/" + sub);
        });
  }

  public boolean namespaceExists(String name) {
    return namespaces.get(null, name).isPresent();
  }

  public Optional<Service> service(String namespace, String name) {
    return services.get(namespace, name);
  }

  public Optional<Endpoints> endpoints(String namespace, String name) {
    return endpoints.get(namespace, name);
  }

  /** Pods of {@code namespace} whose {@code spec.subdomain} is {@code subdomain}. */
  public List<Pod> podsOfSubdomain(String namespace, String subdomain) {
    return pods.byIndex(BY_SUBDOMAIN, namespace + "/" + subdomain);
  }

  public List<Service> servicesWithClusterIp(String ip) {
    return services.byIndex(BY_CLUSTER_IP, ip);
  }

  public List<Endpoints> endpointsWithAddress(String ip) {
    return endpoints.byIndex(BY_ADDRESS, ip);
  }

  public List<Pod> podsWithIp(String ip) {
    return pods.byIndex(BY_POD_IP, ip);
  }

  private static List<String> clusterIps(Service s) {
    if (s.getSpec() == null) {
      return List.of();
    }
    List<String> ips = new ArrayList<>();
    if (s.getSpec().getClusterIPs() != null) {
      ips.addAll(s.getSpec().getClusterIPs());
    }
    String ip = s.getSpec().getClusterIP();
    if (ip != null && !ips.contains(ip)) {
      ips.add(ip);
    }
    ips.removeIf(i -> i == null || i.isEmpty() || i.equals("None"));
    return ips;
  }

  private static List<String> addressIps(Endpoints e) {
    List<String> ips = new ArrayList<>();
    if (e.getSubsets() != null) {
      for (EndpointSubset s : e.getSubsets()) {
        if (s.getAddresses() != null) {
          for (EndpointAddress a : s.getAddresses()) {
            if (a.getIp() != null && !ips.contains(a.getIp())) {
              ips.add(a.getIp());
            }
          }
        }
      }
    }
    return ips;
  }

  private static List<String> podIps(Pod p) {
    if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
      return List.of();
    }
    return List.of(p.getStatus().getPodIP());
  }
}
