package io.nauta.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceProxyPropertiesTest {

  private static ServiceProxyProperties withPeers(String... cidrs) {
    return new ServiceProxyProperties("", Duration.ZERO, Duration.ZERO, List.of(cidrs));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.244.0.0/16", "192.168.7.0/24", "0.0.0.0/0", "10.1.2.3/32"})
  void acceptsIpv4Cidrs(String cidr) {
    assertThat(withPeers(cidr).peerClusterCidrs()).containsExactly(cidr);
  }

  /** The ranges go into iptables rules: nothing but a plain CIDR may get there. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.244.0.0",
        "10.244.0.0/33",
        "10.256.0.0/16",
        "10.244.0.0/16 -j ACCEPT",
        "fd00::/64",
        "example.com/16",
        ""
      })
  void refusesAnythingElse(String cidr) {
    assertThatThrownBy(() -> withPeers("10.245.0.0/16", cidr))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peer-cluster-cidrs");
  }
}
