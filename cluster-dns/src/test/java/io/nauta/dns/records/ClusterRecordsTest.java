package io.nauta.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.nauta.core.informer.InformerStore;
import io.nauta.dns.records.Answer.Rcode;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterRecordsTest {

  private final InformerStore<Service> services = new InformerStore<>();
  private final InformerStore<Endpoints> endpoints = new InformerStore<>();
  private final InformerStore<Pod> pods = new InformerStore<>();
  private final InformerStore<Namespace> namespaces = new InformerStore<>();
  private ClusterRecords records;

  @BeforeEach
  void setUp() {
    records =
        new ClusterRecords(
            new ClusterView(services, endpoints, pods, namespaces), "cluster.local", 5);
    namespaces.upsert(
        new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
    services.upsert(service("web", "10.96.0.20"));
    services.upsert(service("db", "None"));
    endpoints.upsert(
        endpoints(
            "db",
            List.of(address("10.244.0.5", "db-0"), address("10.244.0.6", null)),
            List.of(address("10.244.0.7", "db-2"))));
  }

  @Test
  void serviceNameIsItsClusterIp() {
    Answer a = records.resolve("web.shop.svc.cluster.local.", RecordType.A);

    assertThat(a.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ips(a)).containsExactly("10.96.0.20");
    assertThat(a.answers().get(0).ttl()).isEqualTo(5);
  }

  @Test
  void namesAreCaseInsensitive() {
    assertThat(ips(records.resolve("WEB.Shop.SVC.cluster.LOCAL", RecordType.A)))
        .containsExactly("10.96.0.20");
  }

  @Test
  void headlessServiceNameIsItsReadyEndpoints() {
    assertThat(ips(records.resolve("db.shop.svc.cluster.local", RecordType.A)))
        .containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6");
  }

  @Test
  void headlessServiceWithoutReadyEndpointsHasNoData() {
    endpoints.upsert(endpoints("db", List.of(), List.of(address("10.244.0.7", "db-2"))));

    Answer a = records.resolve("db.shop.svc.cluster.local", RecordType.A);

    assertThat(a.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(a.answers()).isEmpty();
  }

  @Test
  void unknownServiceAndNamespaceAreNxdomain() {
    assertThat(records.resolve("nope.shop.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("web.other.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("other.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("a.b.c.d.e.f.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("web.shop.nope.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void existingNamesWithoutTheTypeAskedHaveNoDataAndTheSoa() {
    for (String name :
        List.of("web.shop.svc.cluster.local", "shop.svc.cluster.local", "svc.cluster.local")) {
      Answer a = records.resolve(name, RecordType.AAAA);
      assertThat(a.rcode()).as(name).isEqualTo(Rcode.NOERROR);
      assertThat(a.answers()).as(name).isEmpty();
      assertThat(a.authority()).as(name).extracting(Rr::type).containsExactly(RecordType.SOA);
    }
    Answer nx = records.resolve("nope.shop.svc.cluster.local", RecordType.A);
    assertThat(nx.authority()).extracting(Rr::type).containsExactly(RecordType.SOA);
    assertThat(((Rr.Soa) nx.authority().get(0).data()).minimum()).isEqualTo(5);
  }

  @Test
  void srvOfANamedPortPointsAtTheServiceName() {
    Answer a = records.resolve("_http._tcp.web.shop.svc.cluster.local", RecordType.SRV);

    assertThat(a.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(a.answers())
        .extracting(Rr::data)
        .containsExactly(new Rr.Srv(0, 100, 80, "web.shop.svc.cluster.local"));
    assertThat(ips(a.additional())).containsExactly("10.96.0.20");
  }

  @Test
  void srvOfAHeadlessServicePointsAtEachReadyEndpointOnItsPort() {
    Answer a = records.resolve("_http._tcp.db.shop.svc.cluster.local", RecordType.SRV);

    assertThat(a.answers())
        .extracting(Rr::data)
        .containsExactlyInAnyOrder(
            new Rr.Srv(0, 50, 8080, "db-0.db.shop.svc.cluster.local"),
            new Rr.Srv(0, 50, 8080, "10-244-0-6.db.shop.svc.cluster.local"));
    assertThat(a.additional())
        .extracting(Rr::name)
        .containsExactlyInAnyOrder(
            "db-0.db.shop.svc.cluster.local", "10-244-0-6.db.shop.svc.cluster.local");
  }

  @Test
  void srvOfAnUnknownPortOrProtocolIsNxdomain() {
    assertThat(records.resolve("_grpc._tcp.web.shop.svc.cluster.local", RecordType.SRV).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("_http._udp.web.shop.svc.cluster.local", RecordType.SRV).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("_tcp.web.shop.svc.cluster.local", RecordType.SRV).rcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void headlessEndpointsAreNamedByHostnameOrDashedAddress() {
    assertThat(ips(records.resolve("db-0.db.shop.svc.cluster.local", RecordType.A)))
        .containsExactly("10.244.0.5");
    assertThat(ips(records.resolve("10-244-0-6.db.shop.svc.cluster.local", RecordType.A)))
        .containsExactly("10.244.0.6");
    // db-2 is not ready
    assertThat(records.resolve("db-2.db.shop.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void podsWithHostnameAndSubdomainAreNamedUnderTheirHeadlessService() {
    pods.upsert(pod("db-3", "10.244.0.8", "db-3", "db", true));
    pods.upsert(pod("db-4", "10.244.0.9", "db-4", "db", false));

    assertThat(ips(records.resolve("db-3.db.shop.svc.cluster.local", RecordType.A)))
        .containsExactly("10.244.0.8");
    assertThat(records.resolve("db-4.db.shop.svc.cluster.local", RecordType.A).rcode())
        .as("not ready")
        .isEqualTo(Rcode.NXDOMAIN);

    services.upsert(
        new ServiceBuilder(service("db", "None"))
            .editSpec()
            .withPublishNotReadyAddresses(true)
            .endSpec()
            .build());
    assertThat(ips(records.resolve("db-4.db.shop.svc.cluster.local", RecordType.A)))
        .containsExactly("10.244.0.9");
  }

  @Test
  void podWithASubdomainButNoServiceHasNoName() {
    pods.upsert(pod("x-0", "10.244.0.10", "x-0", "x", true));

    assertThat(records.resolve("x-0.x.shop.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void externalNameServiceIsACname() {
    services.upsert(
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("ext")
            .endMetadata()
            .withNewSpec()
            .withType("ExternalName")
            .withExternalName("example.org")
            .endSpec()
            .build());

    Answer a = records.resolve("ext.shop.svc.cluster.local", RecordType.A);

    assertThat(a.answers())
        .extracting(Rr::type, Rr::data)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RecordType.CNAME, new Rr.Target("example.org")));
  }

  @Test
  void reverseLookupsNameServicesEndpointsAndPods() {
    pods.upsert(pod("plain", "10.244.0.11", null, null, true));

    assertThat(ptr("20.0.96.10.in-addr.arpa")).containsExactly("web.shop.svc.cluster.local");
    assertThat(ptr("5.0.244.10.in-addr.arpa")).containsExactly("db-0.db.shop.svc.cluster.local");
    assertThat(ptr("11.0.244.10.in-addr.arpa"))
        .containsExactly("10-244-0-11.shop.pod.cluster.local");
    assertThat(records.resolve("99.0.244.10.in-addr.arpa", RecordType.PTR).forward())
        .as("unknown addresses fall through to the upstream resolvers")
        .isTrue();
  }

  @Test
  void podAddressNamesAnswerInExistingNamespaces() {
    assertThat(ips(records.resolve("10-244-0-11.shop.pod.cluster.local", RecordType.A)))
        .containsExactly("10.244.0.11");
    assertThat(records.resolve("10-244-0-11.none.pod.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(records.resolve("10-244-11.shop.pod.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void namesOutsideTheZoneAreForwarded() {
    assertThat(records.resolve("example.org", RecordType.A).forward()).isTrue();
    assertThat(records.resolve("local", RecordType.A).forward()).isTrue();
    assertThat(records.resolve("cluster.local", RecordType.SOA).answers())
        .extracting(Rr::type)
        .containsExactly(RecordType.SOA);
  }

  @Test
  void changesInTheStoresAreAnsweredAtOnce() {
    services.remove(service("web", "10.96.0.20"));
    assertThat(records.resolve("web.shop.svc.cluster.local", RecordType.A).rcode())
        .isEqualTo(Rcode.NXDOMAIN);

    endpoints.upsert(endpoints("db", List.of(address("10.244.0.7", "db-2")), List.of()));
    assertThat(ips(records.resolve("db.shop.svc.cluster.local", RecordType.A)))
        .containsExactly("10.244.0.7");
  }

  private List<String> ptr(String name) {
    return records.resolve(name, RecordType.PTR).answers().stream()
        .map(r -> ((Rr.Target) r.data()).name())
        .toList();
  }

  private static List<String> ips(Answer a) {
    return ips(a.answers());
  }

  private static List<String> ips(List<Rr> rrs) {
    return rrs.stream()
        .filter(r -> r.type() == RecordType.A)
        .map(
            r -> {
              try {
                return InetAddress.getByAddress(((Rr.Address) r.data()).bytes()).getHostAddress();
              } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  static Service service(String name, String clusterIp) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(clusterIp)
        .withPorts(
            new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80).build())
        .endSpec()
        .build();
  }

  static io.fabric8.kubernetes.api.model.EndpointAddress address(String ip, String hostname) {
    return new EndpointAddressBuilder().withIp(ip).withHostname(hostname).build();
  }

  static Endpoints endpoints(
      String name,
      List<io.fabric8.kubernetes.api.model.EndpointAddress> ready,
      List<io.fabric8.kubernetes.api.model.EndpointAddress> notReady) {
    return new EndpointsBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(name)
        .endMetadata()
        .withSubsets(
            new EndpointSubsetBuilder()
                .withAddresses(ready)
                .withNotReadyAddresses(notReady)
                .withPorts(
                    new EndpointPortBuilder()
                        .withName("http")
                        .withProtocol("TCP")
                        .withPort(8080)
                        .build())
                .build())
        .build();
  }

  static Pod pod(String name, String ip, String hostname, String subdomain, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withHostname(hostname)
        .withSubdomain(subdomain)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
