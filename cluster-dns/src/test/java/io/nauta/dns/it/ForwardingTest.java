package io.nauta.dns.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.informer.InformerStore;
import io.nauta.dns.records.ClusterRecords;
import io.nauta.dns.records.ClusterView;
import io.nauta.dns.server.DnsMetrics;
import io.nauta.dns.server.DnsServer;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Forwarding between two servers on loopback, without an API server. */
class ForwardingTest {

  private static DnsServer upstream;
  private static DnsServer cluster;
  private static DnsClient client;

  @BeforeAll
  static void start() {
    upstream = server("example.test", List.of());
    cluster = server("cluster.local", List.of(new InetSocketAddress("127.0.0.1", upstream.port())));
    client = new DnsClient(new InetSocketAddress("127.0.0.1", cluster.port()));
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
    upstream.close();
  }

  static DnsServer server(String zone, List<InetSocketAddress> upstreams) {
    InformerStore<Service> svcs = new InformerStore<>();
    InformerStore<Namespace> nss = new InformerStore<>();
    nss.upsert(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
    svcs.upsert(
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("web")
            .endMetadata()
            .withNewSpec()
            .withClusterIP("198.51.100.7")
            .endSpec()
            .build());
    ClusterRecords records =
        new ClusterRecords(
            new ClusterView(svcs, new InformerStore<>(), new InformerStore<>(), nss), zone, 30);
    return new DnsServer(
            records,
            upstreams,
            Duration.ofSeconds(1),
            new DnsMetrics(new SimpleMeterRegistry(), zone),
            1)
        .start("127.0.0.1", 0);
  }

  @Test
  void forwardsOverUdpAndTcp() {
    assertThat(client.udp("web.shop.svc.example.test", DnsRecordType.A).answers())
        .containsExactly("A 198.51.100.7");
    assertThat(client.tcp("web.shop.svc.example.test", DnsRecordType.A).answers())
        .containsExactly("A 198.51.100.7");
  }
}
