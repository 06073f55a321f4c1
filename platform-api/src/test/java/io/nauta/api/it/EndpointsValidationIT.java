package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Endpoints pointing at the node itself or at link-local addresses (a cloud metadata service) are
 * refused over HTTP with Kubernetes' 422 and the field's path, on create and on update, and nothing
 * is stored.
 */
class EndpointsValidationIT {

  private static final String ENDPOINTS = "/api/v1/namespaces/default/endpoints";
  private static final String LOOPBACK = "may not be in the loopback range (127.0.0.0/8, ::1/128)";
  private static final String LINK_LOCAL =
      "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
  private static final String LINK_LOCAL_MULTICAST =
      "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String endpoints(String name, String addressesField, String ip) {
    return """
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"%s"},
         "subsets":[{"%s":[{"ip":"%s"}],"ports":[{"port":80,"protocol":"TCP"}]}]}"""
        .formatted(name, addressesField, ip);
  }

  static Stream<Arguments> special() {
    return Stream.of(
        Arguments.of("loopback-v4", "addresses", "127.0.0.1", LOOPBACK),
        Arguments.of("loopback-v4-range", "notReadyAddresses", "127.1.2.3", LOOPBACK),
        Arguments.of("loopback-v6", "addresses", "::1", LOOPBACK),
        Arguments.of("metadata-service", "addresses", "169.254.169.254", LINK_LOCAL),
        Arguments.of("link-local-v6", "notReadyAddresses", "fe80::1", LINK_LOCAL),
        Arguments.of("mdns", "addresses", "224.0.0.251", LINK_LOCAL_MULTICAST),
        Arguments.of("all-nodes-v6", "addresses", "ff02::1", LINK_LOCAL_MULTICAST));
  }

  @ParameterizedTest(name = "{2} in {1} is refused")
  @MethodSource("special")
  void aSpecialAddressIsRefusedOnCreate(String name, String field, String ip, String message) {
    ApiCalls.Response r = api.post(ENDPOINTS, endpoints(name, field, ip));

    assertInvalid(r, name, "subsets[0]." + field + "[0].ip", ip, message);
    assertThat(api.get(ENDPOINTS + "/" + name).status()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{2} in {1} is refused")
  @MethodSource("special")
  void aSpecialAddressIsRefusedOnUpdate(String name, String field, String ip, String message) {
    String stored = "upd-" + name;
    assertThat(api.post(ENDPOINTS, endpoints(stored, field, "10.244.0.9")).status()).isEqualTo(201);

    ApiCalls.Response r = api.put(ENDPOINTS + "/" + stored, endpoints(stored, field, ip));

    assertInvalid(r, stored, "subsets[0]." + field + "[0].ip", ip, message);
    assertThat(
            api.get(ENDPOINTS + "/" + stored)
                .body()
                .path("subsets")
                .get(0)
                .path(field)
                .get(0)
                .path("ip")
                .asString())
        .isEqualTo("10.244.0.9");
  }

  @Test
  void ordinaryAddressesNextToTheSpecialRangesAreStored() {
    for (String ip : new String[] {"10.244.1.7", "128.0.0.1", "169.255.0.1", "fd00::7"}) {
      String name = "ok-" + ip.replace('.', '-').replace(':', '-');
      ApiCalls.Response r = api.post(ENDPOINTS, endpoints(name, "addresses", ip));
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }
  }

  private static void assertInvalid(
      ApiCalls.Response r, String name, String field, String ip, String message) {
    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.body().path("kind").asString()).isEqualTo("Status");
    assertThat(r.body().path("reason").asString()).isEqualTo("Invalid");
    assertThat(r.body().path("message").asString())
        .isEqualTo(
            "Endpoints \"%s\" is invalid: %s: Invalid value: \"%s\": %s"
                .formatted(name, field, ip, message));
    JsonNode details = r.body().path("details");
    assertThat(details.path("name").asString()).isEqualTo(name);
    assertThat(details.path("kind").asString()).isEqualTo("Endpoints");
    assertThat(details.path("causes")).hasSize(1);
    JsonNode cause = details.path("causes").get(0);
    assertThat(cause.path("reason").asString()).isEqualTo("FieldValueInvalid");
    assertThat(cause.path("field").asString()).isEqualTo(field);
    assertThat(cause.path("message").asString())
        .isEqualTo("Invalid value: \"%s\": %s".formatted(ip, message));
  }
}
