package io.nauta.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdvertiseAddressTest {

  static final List<String> ROUTES =
      List.of(
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
          "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
          "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
          "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");

  @Test
  void theDefaultRouteNamesTheInterface() {
    assertThat(AdvertiseAddress.defaultRouteInterface(ROUTES)).contains("eth0");
    assertThat(AdvertiseAddress.defaultRouteInterface(ROUTES.subList(0, 2))).isEmpty();
  }

  @Test
  void aConfiguredAddressWinsThenABindAddressThatNamesOneHostAddress() {
    assertThat(AdvertiseAddress.choose("10.0.0.7", "192.0.2.9")).contains("10.0.0.7");
    assertThat(AdvertiseAddress.choose("", "192.0.2.9")).contains("192.0.2.9");
  }

  @Test
  void neverALoopbackOrWildcardBindAddress() {
    for (String bind : new String[] {"127.0.0.1", "0.0.0.0", ""}) {
      Optional<String> chosen = AdvertiseAddress.choose("", bind);
      chosen.ifPresent(a -> assertThat(a).doesNotStartWith("127.").isNotEqualTo("0.0.0.0"));
    }
  }
}
