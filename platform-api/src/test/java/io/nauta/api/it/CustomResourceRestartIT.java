package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * An API server that restarts answers {@code /readyz} 200 only once the custom kinds of every
 * established definition are served again (routes, discovery, watch caches), as kube-apiserver's
 * {@code poststarthook/crd-informer-synced} check holds readiness until the definitions are loaded:
 * a client sent to it as soon as it is ready never gets a 404 for a custom kind. Several
 * definitions make the window between "caches in sync" and "every kind served" wide enough to
 * catch.
 */
class CustomResourceRestartIT {

  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  static final int DEFINITIONS = 24;

  private TestApiServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String definition(String plural, String kind) {
    return """
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "%1$s.restart.example.com"},
         "spec": {"group": "restart.example.com", "scope": "Namespaced",
           "names": {"plural": "%1$s", "singular": "%3$s", "kind": "%2$s"},
           "versions": [{"name": "v1", "served": true, "storage": true,
             "schema": {"openAPIV3Schema": {"type": "object", "properties": {
               "spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}]}}
        """
        .formatted(plural, kind, plural.substring(0, plural.length() - 1));
  }

  static String object(String kind, String name) {
    return """
        {"apiVersion": "restart.example.com/v1", "kind": "%s",
         "metadata": {"name": "%s", "namespace": "default"}, "spec": {"size": 3}}
        """
        .formatted(kind, name);
  }

  @Test
  void aRestartedServerIsReadyOnlyOnceEveryCustomKindIsServedAgain() {
    server = TestApiServer.startOnEmptyRedis();
    List<String> plurals = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < DEFINITIONS; i++) {
      String plural = "things" + (char) ('a' + i) + "s";
      String kind = "Thing" + (char) ('A' + i);
      plurals.add(plural);
      kinds.add(kind);
      server
          .client()
          .post()
          .uri(CRDS)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(definition(plural, kind))
          .exchange()
          .expectStatus()
          .isCreated();
    }
    for (int i = 0; i < DEFINITIONS; i++) {
      String objects = "/apis/restart.example.com/v1/namespaces/default/" + plurals.get(i);
      String body = object(kinds.get(i), "one");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  server
                          .client()
                          .post()
                          .uri(objects)
                          .contentType(MediaType.APPLICATION_JSON)
                          .bodyValue(body)
                          .exchange()
                          .returnResult(String.class)
                          .getStatus()
                          .value()
                      == 201);
    }
    server.close();
    server = null;

    // start() returns as soon as /readyz answers 200.
    server = TestApiServer.start();
    for (String plural : plurals) {
      String objects = "/apis/restart.example.com/v1/namespaces/default/" + plural;
      server.client().get().uri(objects + "/one").exchange().expectStatus().isOk();
      server
          .client()
          .get()
          .uri(objects)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.items[0].metadata.name")
          .isEqualTo("one");
    }
    String discovery =
        server
            .client()
            .get()
            .uri("/apis/restart.example.com/v1")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    for (String plural : plurals) {
      assertThat(discovery).contains("\"name\":\"" + plural + "\"");
    }
    server
        .client()
        .get()
        .uri("/readyz?verbose")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("[+]poststarthook/crd-informer-synced ok"));
  }
}
