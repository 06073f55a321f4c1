package io.nauta.dns.app;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.net.AdvertiseAddress;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the {@code kube-dns} Service of {@code kube-system} as kubeadm's CoreDNS add-on makes it
 * (cluster IP 10.96.0.10, ports {@code dns} 53/UDP and {@code dns-tcp} 53/TCP, the label {@code
 * k8s-app: kube-dns}), but without a selector: the server runs on the node, not in a pod, so it
 * writes the Endpoints itself, its advertised address on its own port. The node agent's service
 * proxy then sends a pod's queries to 10.96.0.10:53 on to that address. Checked at start and every
 * {@code interval}; repaired when someone changed the ports or the address.
 */
@Component
@Order(2)
public class KubeDnsService implements ComponentWork {

  private static final Log log = LogFactory.getLog(KubeDnsService.class);
  private static final Map<String, String> LABELS =
      Map.of(
          "k8s-app", "kube-dns",
          "kubernetes.io/name", "CoreDNS",
          "kubernetes.io/cluster-service", "true");

  private final DnsProperties props;
  private final DnsServerWork server;
  private final ResourceClient<Service> services;
  private final ResourceClient<Endpoints> endpoints;
  private volatile Disposable loop;

  public KubeDnsService(DnsProperties props, DnsServerWork server, KubeClient client) {
    this.props = props;
    this.server = server;
    this.services = client.resource(BuiltInResources.SERVICES, Service.class);
    this.endpoints = client.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
  }

  @Override
  public void register(ComponentRunner runner) {
    if (props.service().enabled()) {
      // After the DNS server (registered first): the Endpoints name the port it got.
      runner.whileLeading(LeaderWork.of("kube-dns service", this::start, this::stop));
    }
  }

  private void start() {
    Optional<String> address =
        AdvertiseAddress.choose(props.service().advertiseAddress(), props.address());
    if (address.isEmpty()) {
      log.warn(
          "no address to advertise for the kube-dns Service (no IPv4 address on the default"
              + " route's interface): its Endpoints stay empty; set"
              + " nauta.dns.service.advertise-address");
    }
    int port = server.port();
    loop =
        Flux.interval(Duration.ZERO, props.service().interval())
            .onBackpressureDrop()
            .concatMap(
                t ->
                    ensureService(port)
                        .then(address.map(a -> ensureEndpoints(a, port)).orElse(Mono.empty()))
                        .onErrorResume(
                            e -> {
                              log.warn("could not reconcile the kube-dns Service: " + e);
                              return Mono.empty();
                            }))
            .subscribe();
  }

  private void stop() {
    Disposable l = loop;
    if (l != null) {
      l.dispose();
    }
  }

  Mono<Void> ensureService(int targetPort) {
    DnsProperties.Service s = props.service();
    List<ServicePort> ports =
        List.of(port("dns", "UDP", targetPort), port("dns-tcp", "TCP", targetPort));
    return services
        .get(s.namespace(), s.name())
        .flatMap(
            current -> {
              if (!Objects.equals(current.getSpec().getClusterIP(), s.clusterIp())) {
                log.error(
                    "service "
                        + s.namespace()
                        + "/"
                        + s.name()
                        + " has the cluster IP "
                        + current.getSpec().getClusterIP()
                        + ", not "
                        + s.clusterIp()
                        + ": pods' resolv.conf names the latter; delete the service to have it"
                        + " made again");
              }
              if (samePorts(current.getSpec().getPorts(), ports)
                  && current.getSpec().getSelector() == null) {
                return Mono.<Void>empty();
              }
              Service repaired =
                  new ServiceBuilder(current)
                      .editSpec()
                      .withPorts(ports)
                      .withSelector(null)
                      .endSpec()
                      .build();
              return services.update(repaired).then();
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                services
                    .create(
                        new ServiceBuilder()
                            .withNewMetadata()
                            .withNamespace(s.namespace())
                            .withName(s.name())
                            .withLabels(LABELS)
                            .endMetadata()
                            .withNewSpec()
                            .withType("ClusterIP")
                            .withClusterIP(s.clusterIp())
                            .withPorts(ports)
                            .endSpec()
                            .build())
                    .doOnNext(c -> log.info("created service " + s.namespace() + "/" + s.name()))
                    .then());
  }

  Mono<Void> ensureEndpoints(String address, int port) {
    DnsProperties.Service s = props.service();
    Endpoints wanted =
        new EndpointsBuilder()
            .withNewMetadata()
            .withNamespace(s.namespace())
            .withName(s.name())
            .withLabels(LABELS)
            .endMetadata()
            .withSubsets(
                new EndpointSubsetBuilder()
                    .withAddresses(new EndpointAddressBuilder().withIp(address).build())
                    .withPorts(
                        new EndpointPortBuilder()
                            .withName("dns")
                            .withProtocol("UDP")
                            .withPort(port)
                            .build(),
                        new EndpointPortBuilder()
                            .withName("dns-tcp")
                            .withProtocol("TCP")
                            .withPort(port)
                            .build())
                    .build())
            .build();
    return endpoints
        .get(s.namespace(), s.name())
        .flatMap(
            current -> {
              if (Objects.equals(current.getSubsets(), wanted.getSubsets())) {
                return Mono.<Void>empty();
              }
              return endpoints
                  .update(new EndpointsBuilder(current).withSubsets(wanted.getSubsets()).build())
                  .then();
            })
        .onErrorResume(NotFoundException.class, e -> endpoints.create(wanted).then());
  }

  private static ServicePort port(String name, String protocol, int targetPort) {
    return new ServicePortBuilder()
        .withName(name)
        .withProtocol(protocol)
        .withPort(53)
        .withTargetPort(new IntOrString(targetPort))
        .build();
  }

  private static boolean samePorts(List<ServicePort> current, List<ServicePort> wanted) {
    if (current == null || current.size() != wanted.size()) {
      return false;
    }
    for (int i = 0; i < wanted.size(); i++) {
      ServicePort c = current.get(i);
      ServicePort w = wanted.get(i);
      if (!Objects.equals(c.getName(), w.getName())
          || !Objects.equals(c.getProtocol(), w.getProtocol())
          || !Objects.equals(c.getPort(), w.getPort())
          || !Objects.equals(c.getTargetPort(), w.getTargetPort())) {
        return false;
      }
    }
    return true;
  }
}
