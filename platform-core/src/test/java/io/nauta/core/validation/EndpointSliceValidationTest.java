package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.nauta.core.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceValidationTest {

  private final EndpointSliceValidation v = new EndpointSliceValidation();

  private static EndpointSliceBuilder slice(String type, String... addresses) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("web-abc")
        .withUid("u")
        .endMetadata()
        .withAddressType(type)
        .addNewEndpoint()
        .withAddresses(addresses)
        .endEndpoint()
        .addNewPort()
        .withName("http")
        .withPort(8080)
        .withProtocol("TCP")
        .endPort();
  }

  private List<String> messages(EndpointSlice s) {
    return v.validate(s).stream().map(FieldError::message).toList();
  }

  @Test
  void aSliceOfValidAddressesAndPortsPasses() {
    assertThat(messages(slice("IPv4", "10.244.0.5").build())).isEmpty();
    assertThat(messages(slice("IPv6", "fd00::5").build())).isEmpty();
    assertThat(messages(slice("FQDN", "db.example.com").build())).isEmpty();
    // Unlike Endpoints, a loopback address is a valid endpoint of a slice.
    assertThat(messages(slice("IPv4", "127.0.0.1").build())).isEmpty();
  }

  @Test
  void upstreamsMessages() {
    assertThat(messages(slice("IP", "10.0.0.1").build()))
        .containsExactly(
            "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\","
                + " \"IPv6\"");
    assertThat(messages(slice("IPv4", "fd00::5").build()))
        .containsExactly(
            "endpoints[0].addresses[0]: Invalid value: \"fd00::5\": must be a valid IPv4"
                + " address");
    assertThat(messages(slice("IPv4").build()))
        .containsExactly("endpoints[0].addresses: Required value: must contain at least 1 address");
    EndpointSlice twoPorts =
        slice("IPv4", "10.0.0.1")
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .endPort()
            .build();
    assertThat(messages(twoPorts)).containsExactly("ports[1].name: Duplicate value: \"http\"");
    EndpointSlice badProtocol =
        slice("IPv4", "10.0.0.1").editFirstPort().withProtocol("HTTP").endPort().build();
    assertThat(messages(badProtocol))
        .containsExactly(
            "ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\","
                + " \"UDP\"");
  }

  @Test
  void theAddressTypeCannotChange() {
    EndpointSlice old = slice("IPv4", "10.0.0.1").build();
    EndpointSlice changed =
        slice("FQDN", "db.example.com")
            .editMetadata()
            .withResourceVersion("2")
            .endMetadata()
            .build();
    assertThat(v.validateUpdate(changed, old).stream().map(FieldError::message))
        .contains("addressType: Invalid value: \"FQDN\": field is immutable");
  }
}
