package io.nauta.dns.app;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the cluster DNS, in one place ({@code nauta.dns.*}).
 *
 * @param server the API server's URL, used when no kubeconfig is given
 * @param kubeconfig a kubeconfig file whose current context names the API server (and identity)
 * @param token a bearer token for {@code server}
 * @param address the address the DNS server listens on, UDP and TCP
 * @param port its port; 10053 as kube-dns's own server behind dnsmasq, so it needs no root; pods
 *     reach it on the {@code kube-dns} Service's port 53, which the service proxy translates
 * @param clusterDomain the cluster zone (kubelet's {@code --cluster-domain})
 * @param ttl how long answers from the zone may be cached (CoreDNS's kubernetes plugin: 5s)
 * @param upstreams where other names are forwarded ({@code ip} or {@code ip:port}); empty: the
 *     {@code nameserver}s of {@code resolvConf}
 * @param resolvConf the node's resolver configuration
 * @param forwardTimeout how long to wait for one upstream before trying the next
 * @param threads the server's event loop threads (queries and forwarding)
 * @param service the {@code kube-dns} Service this server keeps
 */
@ConfigurationProperties("nauta.dns")
public record DnsProperties(
    @DefaultValue("http://127.0.0.1:6443") String server,
    @DefaultValue("") String kubeconfig,
    @DefaultValue("") String token,
    @DefaultValue("0.0.0.0") String address,
    @DefaultValue("10053") int port,
    @DefaultValue("cluster.local") String clusterDomain,
    @DefaultValue("5s") Duration ttl,
    @DefaultValue List<String> upstreams,
    @DefaultValue("/etc/resolv.conf") String resolvConf,
    @DefaultValue("2s") Duration forwardTimeout,
    @DefaultValue("2") int threads,
    @DefaultValue Service service) {

  /**
   * @param enabled off leaves the Service and its Endpoints alone (another replica or a person
   *     keeps them)
   * @param namespace the Service's namespace
   * @param name its name
   * @param clusterIp its cluster IP, the {@code nameserver} of pods' resolv.conf (kubeadm's: the
   *     tenth address of the service range)
   * @param advertiseAddress the address in its Endpoints, where pods reach this server; blank: the
   *     IPv4 address of the default route's interface, as the API server's
   * @param interval how often the Service and Endpoints are checked and repaired
   */
  public record Service(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("kube-system") String namespace,
      @DefaultValue("kube-dns") String name,
      @DefaultValue("10.96.0.10") String clusterIp,
      @DefaultValue("") String advertiseAddress,
      @DefaultValue("10s") Duration interval) {}
}
