package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.TestApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The acceptance of API priority and fairness, over real HTTPS with real credentials: a flood of
 * 200 concurrent lists by one service account (a real token) gets 429s with {@code Retry-After}
 * while the admin ({@code system:masters}, exempt) and a node ({@code system:node:n1} in {@code
 * system:nodes}, its own priority levels) keep succeeding at the same time.
 *
 * <p>The objects are Kubernetes' bootstrap ones; only the server's limits are made small by
 * property, so that 200 requests are a flood on this machine: 1 + 1 seats in all (each limited
 * level gets one) and 20ms of waiting in a queue at most.
 */
class PriorityAndFairnessIT {

  private static final int FLOOD = 200;

  @Test
  void aFloodingServiceAccountIsRefusedWhileTheAdminAndTheNodesGoOn() throws Exception {
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis(
            "nauta.flowcontrol.max-requests-inflight=1",
            "nauta.flowcontrol.max-mutating-requests-inflight=1",
            "nauta.flowcontrol.request-wait-limit=20ms")) {
      ApiCalls api = new ApiCalls(server);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  api.get("/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/service-accounts")
                              .status()
                          == 200
                      && api.get(
                                  "/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations/node-high")
                              .status()
                          == 200);
      String exemptUid = uid(api, "flowschemas", "exempt");
      String serviceAccountsUid = uid(api, "flowschemas", "service-accounts");
      String workloadLowUid = uid(api, "prioritylevelconfigurations", "workload-low");

      assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"flood\"}}").status())
          .isEqualTo(201);
      assertThat(
              api.post(
                      "/api/v1/namespaces/flood/serviceaccounts",
                      "{\"metadata\":{\"name\":\"flooder\"}}")
                  .status())
          .isEqualTo(201);
      assertThat(
              api.post(
                      "/apis/rbac.authorization.k8s.io/v1/namespaces/flood/rolebindings",
                      "{\"metadata\":{\"name\":\"flooder-view\"},"
                          + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"},"
                          + "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"flooder\",\"namespace\":\"flood\"}]}")
                  .status())
          .isEqualTo(201);
      for (int i = 0; i < 30; i++) {
        api.post(
            "/api/v1/namespaces/flood/configmaps",
            "{\"metadata\":{\"name\":\"cm-"
                + i
                + "\"},\"data\":{\"k\":\""
                + "v".repeat(500)
                + "\"}}");
      }
      assertThat(api.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"n1\"}}").status())
          .isEqualTo(201);
      ApiCalls.Response tokenResponse =
          api.post(
              "/api/v1/namespaces/flood/serviceaccounts/flooder/token",
              "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
      String token = tokenResponse.body().path("status").path("token").asString();
      assertThat(token).isNotEmpty();

      WebTestClient admin = server.client();
      WebTestClient node = server.clientAs("system:node:n1", "system:nodes");
      AtomicBoolean flooding = new AtomicBoolean(true);
      CompletableFuture<List<Integer>> adminCalls =
          CompletableFuture.supplyAsync(
              () -> keepCalling(flooding, admin, "/api/v1/namespaces/flood/configmaps", exemptUid));
      CompletableFuture<List<Integer>> nodeCalls =
          CompletableFuture.supplyAsync(
              () -> keepCalling(flooding, node, "/api/v1/nodes/n1", null));

      HttpClient http = server.anonymousHttpClient();
      HttpRequest list =
          HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/flood/configmaps"))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(60))
              .build();
      // The RoleBinding takes effect once the authorizer's watch cache has it: a moment after the
      // create returned. Flood only once the account may list, so every refusal is the limit's.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> http.send(list, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      MeterRegistry meters = server.bean(MeterRegistry.class);
      double rejectedBefore =
          serviceAccountCount(meters, "apiserver.flowcontrol.rejected.requests");
      double dispatchedBefore =
          serviceAccountCount(meters, "apiserver.flowcontrol.dispatched.requests");
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        flood.add(http.sendAsync(list, HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get();
      flooding.set(false);
      List<Integer> adminStatuses = adminCalls.get();
      List<Integer> nodeStatuses = nodeCalls.get();

      List<HttpResponse<String>> refused = new ArrayList<>();
      int served = 0;
      for (CompletableFuture<HttpResponse<String>> f : flood) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
        if (r.statusCode() == 429) {
          refused.add(r);
        } else {
          served++;
          assertThat(r.headers().firstValue("X-Kubernetes-PF-PriorityLevel-UID"))
              .hasValue(workloadLowUid);
        }
      }
      assertThat(refused).isNotEmpty();
      assertThat(served).isPositive();
      HttpResponse<String> one = refused.get(0);
      assertThat(one.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(one.headers().firstValue("X-Kubernetes-PF-FlowSchema-UID"))
          .hasValue(serviceAccountsUid);
      assertThat(one.headers().firstValue("X-Kubernetes-PF-PriorityLevel-UID"))
          .hasValue(workloadLowUid);
      JsonNode status = ApiCalls.parse(one.body());
      assertThat(status.path("kind").asString()).isEqualTo("Status");
      assertThat(status.path("reason").asString()).isEqualTo("TooManyRequests");
      assertThat(status.path("code").asInt()).isEqualTo(429);
      assertThat(status.path("message").asString())
          .isEqualTo("Too many requests, please try again later.");
      assertThat(status.path("details").path("retryAfterSeconds").asInt()).isEqualTo(1);

      // Both kept succeeding during the whole flood.
      assertThat(adminStatuses).isNotEmpty().containsOnly(200);
      assertThat(nodeStatuses).isNotEmpty().containsOnly(200);

      assertThat(serviceAccountCount(meters, "apiserver.flowcontrol.rejected.requests"))
          .isEqualTo(rejectedBefore + refused.size());
      assertThat(serviceAccountCount(meters, "apiserver.flowcontrol.dispatched.requests"))
          .isEqualTo(dispatchedBefore + served);
      // Every seat came back.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  meters
                          .find("apiserver.flowcontrol.current.executing.requests")
                          .tag("priority_level", "workload-low")
                          .gauge()
                          .value()
                      == 0);
    }
  }

  /** The counter's count for the service accounts' flow schema at workload-low, 0 if none yet. */
  private static double serviceAccountCount(MeterRegistry meters, String name) {
    return meters
        .find(name)
        .tag("priority_level", "workload-low")
        .tag("flow_schema", "service-accounts")
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static String uid(ApiCalls api, String plural, String name) {
    return api.get("/apis/flowcontrol.apiserver.k8s.io/v1/" + plural + "/" + name)
        .body()
        .path("metadata")
        .path("uid")
        .asString();
  }

  /** One request after another until the flood is over; the status of each. */
  private static List<Integer> keepCalling(
      AtomicBoolean flooding, WebTestClient client, String path, String flowSchemaUid) {
    List<Integer> statuses = new ArrayList<>();
    do {
      EntityExchangeResult<byte[]> r =
          client.get().uri(path).exchange().expectBody().returnResult();
      statuses.add(r.getStatus().value());
      if (flowSchemaUid != null) {
        assertThat(r.getResponseHeaders().getFirst("X-Kubernetes-PF-FlowSchema-UID"))
            .isEqualTo(flowSchemaUid);
      }
    } while (flooding.get());
    return statuses;
  }
}
