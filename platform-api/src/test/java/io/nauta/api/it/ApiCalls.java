package io.nauta.api.it;

import io.nauta.api.support.TestApiServer;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Plain HTTP calls against a test API server, answering status code and parsed JSON body. */
final class ApiCalls {

  static final JsonMapper JSON = JsonMapper.builder().build();

  record Response(
      int status, JsonNode body, String raw, org.springframework.http.HttpHeaders headers) {
    ObjectNode object() {
      return (ObjectNode) body;
    }

    String reason() {
      return body.path("reason").asString("");
    }
  }

  private final WebTestClient client;

  ApiCalls(TestApiServer server) {
    this.client = server.client();
  }

  Response get(String path) {
    return call(HttpMethod.GET, path, null, null);
  }

  Response post(String path, String json) {
    return call(HttpMethod.POST, path, json, MediaType.APPLICATION_JSON);
  }

  Response put(String path, String json) {
    return call(HttpMethod.PUT, path, json, MediaType.APPLICATION_JSON);
  }

  Response patch(String path, String contentType, String json) {
    return call(HttpMethod.PATCH, path, json, MediaType.parseMediaType(contentType));
  }

  Response delete(String path) {
    return call(HttpMethod.DELETE, path, null, null);
  }

  Response delete(String path, String json) {
    return call(HttpMethod.DELETE, path, json, MediaType.APPLICATION_JSON);
  }

  Response call(HttpMethod method, String path, String body, MediaType type) {
    WebTestClient.RequestBodySpec spec = client.method(method).uri(path);
    WebTestClient.RequestHeadersSpec<?> ready =
        body == null ? spec : spec.contentType(type).bodyValue(body);
    EntityExchangeResult<byte[]> result = ready.exchange().expectBody().returnResult();
    byte[] bytes = result.getResponseBody();
    String raw = bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    JsonNode node = raw.isEmpty() ? JSON.createObjectNode() : parseOrText(raw);
    return new Response(result.getStatus().value(), node, raw, result.getResponseHeaders());
  }

  private static JsonNode parseOrText(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (RuntimeException e) {
      return JSON.getNodeFactory().stringNode(raw);
    }
  }

  static ObjectNode parse(String json) {
    return (ObjectNode) JSON.readTree(json);
  }
}
