package io.nauta.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DnsServerTest {

  @Test
  void onTheWildcardUdpIsBoundToEachLocalAddressSoAnswersLeaveFromTheAddressAsked() {
    assertThat(DnsServer.udpAddresses("0.0.0.0")).contains("127.0.0.1").doesNotContain("0.0.0.0");
    assertThat(DnsServer.udpAddresses("127.0.0.1")).containsExactly("127.0.0.1");
  }
}
