package io.nauta.dns.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.dns.NautaClusterDns;
import io.nauta.dns.app.DnsServerWork;
import io.nauta.dns.server.DnsServer;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cluster DNS against a real API server (TLS, RBAC: it runs as {@code nauta:cluster-dns} from
 * its kubeconfig in the PKI), queried over UDP and TCP by a client on Netty's codec; other names go
 * to an upstream on loopback (a second DNS server serving the zone {@code example.test}), standing
 * in for the resolvers of resolv.conf.
 */
class ClusterDnsIT {

  private static final String NS = "dns-it";
  private static final String ZONE = ".svc.cluster.local";
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  private static TestApiServer api;
  private static ConfigurableApplicationContext dns;
  private static DnsServer upstream;
  private static DnsClient client;
  private static ResourceClient<Service> services;
  private static ResourceClient<Endpoints> endpoints;

  @BeforeAll
  static void start() {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    KubeClient admin = api.kubeClient();
    admin
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .block();
    services = admin.resource(BuiltInResources.SERVICES, Service.class);
    endpoints = admin.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
    upstream = ForwardingTest.server("example.test", List.of());
    dns =
        NautaClusterDns.application()
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--nauta.dns.kubeconfig=" + api.pkiDir().resolve("cluster-dns.kubeconfig"),
                "--nauta.dns.address=127.0.0.1",
                "--nauta.dns.port=0",
                "--nauta.dns.upstreams=127.0.0.1:" + upstream.port(),
                // Only written into the kube-dns Endpoints (TEST-NET-1): no traffic goes there.
                "--nauta.dns.service.advertise-address=192.0.2.53");
    await().atMost(Duration.ofSeconds(20)).until(() -> running(dns));
    client =
        new DnsClient(new InetSocketAddress("127.0.0.1", dns.getBean(DnsServerWork.class).port()));
  }

  private static boolean running(ConfigurableApplicationContext ctx) {
    try {
      ctx.getBean(DnsServerWork.class).port();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void serviceNameAnswersItsClusterIpOverUdpAndTcp() {
    Service web = createService("web", null, 80);
    String ip = web.getSpec().getClusterIP();

    await()
        .atMost(WITHIN_A_SECOND)
        .untilAsserted(
            () ->
                assertThat(client.udp("web." + NS + ZONE, DnsRecordType.A).answers())
                    .containsExactly("A " + ip));
    assertThat(client.tcp("web." + NS + ZONE, DnsRecordType.A).answers())
        .containsExactly("A " + ip);
    assertThat(client.udp("_http._tcp.web." + NS + ZONE, DnsRecordType.SRV).answers())
        .containsExactly("SRV 0 100 80 web." + NS + ZONE + ".");
    String[] o = ip.split("\\.");
    assertThat(
            client
                .udp(
                    o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa",
                    DnsRecordType.PTR)
                .answers())
        .containsExactly("PTR web." + NS + ZONE + ".");
  }

  @Test
  void unknownNamesAreNxdomainAndKnownOnesWithoutTheTypeNoData() {
    createService("known", null, 80);
    await()
        .atMost(WITHIN_A_SECOND)
        .until(() -> !client.udp("known." + NS + ZONE, DnsRecordType.A).answers().isEmpty());

    DnsClient.Reply nx = client.udp("unknown." + NS + ZONE, DnsRecordType.A);
    assertThat(nx.rcode()).isEqualTo(3);
    assertThat(nx.authority()).as("the SOA, for negative caching").isEqualTo(1);
    assertThat(client.tcp("known.nowhere" + ZONE, DnsRecordType.A).rcode()).isEqualTo(3);
    DnsClient.Reply noData = client.udp("known." + NS + ZONE, DnsRecordType.AAAA);
    assertThat(noData.rcode()).isZero();
    assertThat(noData.answers()).isEmpty();
  }

  @Test
  void headlessServiceFollowsItsReadyEndpointsWithinASecond() {
    createService("db", "None", 5432);
    setEndpoints("db", List.of(address("10.244.1.5", "db-0"), address("10.244.1.6", "db-1")));

    await()
        .atMost(WITHIN_A_SECOND)
        .untilAsserted(
            () ->
                assertThat(client.udp("db." + NS + ZONE, DnsRecordType.A).answers())
                    .containsExactlyInAnyOrder("A 10.244.1.5", "A 10.244.1.6"));
    assertThat(client.udp("db-1.db." + NS + ZONE, DnsRecordType.A).answers())
        .containsExactly("A 10.244.1.6");
    assertThat(client.udp("_http._tcp.db." + NS + ZONE, DnsRecordType.SRV).answers())
        .containsExactlyInAnyOrder(
            "SRV 0 50 5432 db-0.db." + NS + ZONE + ".", "SRV 0 50 5432 db-1.db." + NS + ZONE + ".");
    assertThat(client.udp("6.1.244.10.in-addr.arpa", DnsRecordType.PTR).answers())
        .containsExactly("PTR db-1.db." + NS + ZONE + ".");

    setEndpoints("db", List.of(address("10.244.1.5", "db-0")));
    await()
        .atMost(WITHIN_A_SECOND)
        .untilAsserted(
            () ->
                assertThat(client.udp("db." + NS + ZONE, DnsRecordType.A).answers())
                    .containsExactly("A 10.244.1.5"));
    assertThat(client.udp("db-1.db." + NS + ZONE, DnsRecordType.A).rcode()).isEqualTo(3);
  }

  @Test
  void anAnswerTooBigForUdpIsTruncatedAndWholeOverTcp() {
    createService("many", "None", 80);
    List<EndpointAddress> addresses = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      addresses.add(address("10.244.2." + i, null));
    }
    setEndpoints("many", addresses);
    await()
        .atMost(WITHIN_A_SECOND)
        .untilAsserted(
            () ->
                assertThat(client.tcp("many." + NS + ZONE, DnsRecordType.A).answers()).hasSize(40));

    DnsClient.Reply udp = client.udp("many." + NS + ZONE, DnsRecordType.A);
    assertThat(udp.truncated()).isTrue();
    assertThat(udp.answers()).isEmpty();
  }

  @Test
  void otherNamesAreForwardedToTheUpstreamResolversOverUdpAndTcp() {
    assertThat(client.udp("web.shop.svc.example.test", DnsRecordType.A).answers())
        .containsExactly("A 198.51.100.7");
    assertThat(client.tcp("web.shop.svc.example.test", DnsRecordType.A).answers())
        .containsExactly("A 198.51.100.7");
    assertThat(client.udp("nope.shop.svc.example.test", DnsRecordType.A).rcode()).isEqualTo(3);
    // The upstream itself forwards nowhere: its SERVFAIL comes back as it is.
    assertThat(client.udp("example.org", DnsRecordType.A).rcode()).isEqualTo(2);
  }

  @Test
  void keepsTheKubeDnsServiceAndItsEndpoints() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              Service svc = services.get("kube-system", "kube-dns").block();
              assertThat(svc.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
              assertThat(svc.getSpec().getPorts())
                  .extracting(p -> p.getName() + " " + p.getProtocol() + " " + p.getPort())
                  .containsExactly("dns UDP 53", "dns-tcp TCP 53");
              Endpoints ep = endpoints.get("kube-system", "kube-dns").block();
              assertThat(ep.getSubsets().get(0).getAddresses().get(0).getIp())
                  .isEqualTo("192.0.2.53");
              assertThat(ep.getSubsets().get(0).getPorts().get(0).getPort())
                  .isEqualTo(dns.getBean(DnsServerWork.class).port());
            });
    assertThat(client.udp("kube-dns.kube-system" + ZONE, DnsRecordType.A).answers())
        .containsExactly("A 10.96.0.10");
  }

  @Test
  void countsQueriesUnderCoreDnsNames() {
    client.udp("web2." + NS + ZONE, DnsRecordType.A);

    MeterRegistry registry = dns.getBean(MeterRegistry.class);
    assertThat(
            registry
                .get("coredns.dns.responses")
                .tags("rcode", "NXDOMAIN", "plugin", "kubernetes")
                .counter()
                .count())
        .isPositive();
    assertThat(registry.get("coredns.dns.request.duration").tag("type", "A").timer().count())
        .isPositive();
  }

  private static Service createService(String name, String clusterIp, int port) {
    return services
        .create(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withClusterIP(clusterIp)
                .withPorts(
                    new ServicePortBuilder()
                        .withName("http")
                        .withProtocol("TCP")
                        .withPort(port)
                        .build())
                .endSpec()
                .build())
        .block();
  }

  private static EndpointAddress address(String ip, String hostname) {
    return new EndpointAddressBuilder().withIp(ip).withHostname(hostname).build();
  }

  private static void setEndpoints(String name, List<EndpointAddress> ready) {
    Endpoints wanted =
        new EndpointsBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName(name)
            .endMetadata()
            .withSubsets(
                new EndpointSubsetBuilder()
                    .withAddresses(ready)
                    .withPorts(
                        new EndpointPortBuilder()
                            .withName("http")
                            .withProtocol("TCP")
                            .withPort(5432)
                            .build())
                    .build())
            .build();
    Endpoints current =
        endpoints.get(NS, name).onErrorResume(e -> reactor.core.publisher.Mono.empty()).block();
    if (current == null) {
      endpoints.create(wanted).block();
    } else {
      endpoints
          .update(new EndpointsBuilder(current).withSubsets(wanted.getSubsets()).build())
          .block();
    }
  }
}
