package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission's lookups of other objects (the namespace, its LimitRanges and quotas) come from each
 * API server's watch cache, not from Redis on every create (issue 13). What a client wrote through
 * a server decides its next create there at once; two servers on one Redis, each with a cache that
 * may lag behind the other's quota charges, never admit more than a quota allows, because every
 * charge is a compare-and-swap on the quota in Redis.
 */
class AdmissionFromCacheIT {

  private static TestApiServer a;
  private static TestApiServer b;
  private static ApiCalls onA;
  private static ApiCalls onB;

  @BeforeAll
  static void start() {
    a = TestApiServer.startOnEmptyRedis();
    b = TestApiServer.start();
    onA = new ApiCalls(a);
    onB = new ApiCalls(b);
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void whatAClientJustWroteThroughAServerDecidesTheNextCreateThere() {
    for (int i = 0; i < 5; i++) {
      String ns = "own-writes-" + i;
      String pods = "/api/v1/namespaces/" + ns + "/pods";
      assertThat(onA.post("/api/v1/namespaces", Objects.namespace(ns)).status()).isEqualTo(201);
      assertThat(
              onA.post(
                      "/api/v1/namespaces/" + ns + "/limitranges",
                      """
                      {"metadata":{"name":"defaults"},"spec":{"limits":[{"type":"Container",
                       "defaultRequest":{"cpu":"150m"},"default":{"cpu":"300m"}}]}}""")
                  .status())
          .isEqualTo(201);

      ApiCalls.Response pod = onA.post(pods, Objects.pod("first"));

      assertThat(pod.status()).isEqualTo(201);
      assertThat(pod.body().at("/spec/containers/0/resources/requests/cpu").asString())
          .isEqualTo("150m");

      assertThat(
              onA.patch(
                      "/api/v1/namespaces/" + ns,
                      "application/merge-patch+json",
                      """
                      {"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"restricted"}}}""")
                  .status())
          .isEqualTo(200);

      ApiCalls.Response refused = onA.post(pods, Objects.pod("second"));

      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body().path("message").asString())
          .startsWith("pods \"second\" is forbidden: violates PodSecurity \"restricted:latest\"");
    }
  }

  @Test
  void twoServersNeverAdmitMorePodsThanTheQuotaTheyShareAllows() throws Exception {
    String ns = "shared-quota";
    assertThat(onA.post("/api/v1/namespaces", Objects.namespace(ns)).status()).isEqualTo(201);
    String quotas = "/api/v1/namespaces/" + ns + "/resourcequotas";
    assertThat(
            onA.post(quotas, "{\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":{\"pods\":\"5\"}}}")
                .status())
        .isEqualTo(201);
    // As the quota controller would write it: nothing used yet.
    String rv = onA.get(quotas + "/q").body().at("/metadata/resourceVersion").asString();
    assertThat(
            onA.put(
                    quotas + "/q/status",
                    """
                    {"metadata":{"name":"q","resourceVersion":"%s"},"spec":{"hard":{"pods":"5"}},
                     "status":{"hard":{"pods":"5"},"used":{"pods":"0"}}}"""
                        .formatted(rv))
                .status())
        .isEqualTo(200);

    int creates = 16;
    List<Callable<ApiCalls.Response>> calls = new ArrayList<>();
    for (int i = 0; i < creates; i++) {
      ApiCalls via = i % 2 == 0 ? onA : onB;
      String name = "p-" + i;
      calls.add(() -> via.post("/api/v1/namespaces/" + ns + "/pods", Objects.pod(name)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(creates);
    List<ApiCalls.Response> answers = new ArrayList<>();
    try {
      for (Future<ApiCalls.Response> f : pool.invokeAll(calls)) {
        answers.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(5);
    assertThat(answers.stream().filter(r -> r.status() != 201))
        .hasSize(creates - 5)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(403);
              assertThat(r.body().path("message").asString()).contains("exceeded quota: q");
            });
    assertThat(onB.get(quotas + "/q").body().at("/status/used/pods").asString()).isEqualTo("5");
    assertThat(onB.get("/api/v1/namespaces/" + ns + "/pods").body().path("items")).hasSize(5);
  }
}
