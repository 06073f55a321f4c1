package io.nauta.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.informer.InformerStore;
import io.nauta.dns.records.ClusterRecords;
import io.nauta.dns.records.ClusterView;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsServerTest {

  @Test
  void onTheWildcardUdpIsBoundToEachLocalAddressSoAnswersLeaveFromTheAddressAsked() {
    assertThat(DnsServer.udpAddresses("0.0.0.0")).contains("127.0.0.1").doesNotContain("0.0.0.0");
    assertThat(DnsServer.udpAddresses("127.0.0.1")).containsExactly("127.0.0.1");
  }

  @Test
  void aPortWhoseTcpHalfIsTakenFailsAndLeavesNoUdpSocketBehind() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
      DnsServer server = server();
      try {
        assertThatThrownBy(() -> server.start("127.0.0.1", taken.getLocalPort()))
            .isInstanceOf(BindException.class);
        // The UDP half bound before TCP failed was let go: the port's UDP side is free again.
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(loopback, taken.getLocalPort()))) {
          assertThat(udp.getLocalPort()).isEqualTo(taken.getLocalPort());
        }
      } finally {
        server.close();
      }
    }
  }

  @Test
  void portZeroFindsANumberFreeForBothUdpAndTcp() {
    DnsServer server = server().start("127.0.0.1", 0);
    try {
      assertThat(server.port()).isPositive();
    } finally {
      server.close();
    }
  }

  private static DnsServer server() {
    ClusterRecords records =
        new ClusterRecords(
            new ClusterView(
                new InformerStore<>(),
                new InformerStore<>(),
                new InformerStore<>(),
                new InformerStore<>()),
            "cluster.local",
            30);
    return new DnsServer(
        records,
        List.of(),
        Duration.ofSeconds(1),
        new DnsMetrics(new SimpleMeterRegistry(), "cluster.local"),
        1);
  }
}
