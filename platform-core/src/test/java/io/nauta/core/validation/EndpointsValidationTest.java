package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Endpoints addresses a service proxy must never send traffic to, refused as Kubernetes does. */
class EndpointsValidationTest {

  static final String LOOPBACK = "may not be in the loopback range (127.0.0.0/8, ::1/128)";
  static final String LINK_LOCAL = "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
  static final String LINK_LOCAL_MULTICAST =
      "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";

  private static Endpoints endpoints(String readyIp, String notReadyIp) {
    EndpointsBuilder b =
        new EndpointsBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .withUid("u1")
            .endMetadata();
    var subset = b.addNewSubset();
    if (readyIp != null) {
      subset.addNewAddress().withIp(readyIp).endAddress();
    }
    if (notReadyIp != null) {
      subset.addNewNotReadyAddress().withIp(notReadyIp).endNotReadyAddress();
    }
    return subset.addNewPort().withPort(80).withProtocol("TCP").endPort().endSubset().build();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("127.0.0.1", LOOPBACK),
        Arguments.of("127.255.3.4", LOOPBACK),
        Arguments.of("::1", LOOPBACK),
        Arguments.of("169.254.169.254", LINK_LOCAL),
        Arguments.of("169.254.0.1", LINK_LOCAL),
        Arguments.of("fe80::1", LINK_LOCAL),
        Arguments.of("febf:ffff::1", LINK_LOCAL),
        Arguments.of("224.0.0.251", LINK_LOCAL_MULTICAST),
        Arguments.of("ff02::1", LINK_LOCAL_MULTICAST),
        Arguments.of("0.0.0.0", "may not be unspecified (0.0.0.0)"),
        Arguments.of("::", "may not be unspecified (::)"));
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @MethodSource("refused")
  void refusesSpecialAddressesAsReadyOrNotReady(String ip, String message) {
    assertThat(messages(new EndpointsValidation().validate(endpoints(ip, null))))
        .containsExactly("subsets[0].addresses[0].ip: Invalid value: \"" + ip + "\": " + message);
    assertThat(messages(new EndpointsValidation().validate(endpoints("10.244.0.5", ip))))
        .containsExactly(
            "subsets[0].notReadyAddresses[0].ip: Invalid value: \"" + ip + "\": " + message);
  }

  static Stream<String> accepted() {
    return Stream.of(
        "10.244.1.7",
        "192.168.0.10",
        "128.0.0.1",
        "126.255.255.255",
        "169.253.255.255",
        "169.255.0.1",
        "224.0.1.1",
        "2001:db8::1",
        "fec0::1",
        "fd00::7",
        "ff05::1");
  }

  @ParameterizedTest(name = "{0} is accepted")
  @MethodSource("accepted")
  void acceptsOrdinaryAddressesNextToTheSpecialRanges(String ip) {
    assertThat(new EndpointsValidation().validate(endpoints(ip, ip))).isEmpty();
  }

  @Test
  void anInvalidAddressIsReportedOnceAsInvalid() {
    assertThat(messages(new EndpointsValidation().validate(endpoints("web.local", null))))
        .isEqualTo(
            List.of(
                "subsets[0].addresses[0].ip: Invalid value: \"web.local\": must be a valid IP"
                    + " address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }
}
