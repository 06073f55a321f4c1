package io.nauta.core.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.FakeApiServer;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Leader election runs on a client of its own, as kube-controller-manager's: a component whose
 * client is saturated (its rate limit spent for minutes ahead by a queue of writes) still renews
 * its lease.
 */
class LeaderElectionClientTest {

  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
  private static final String ME = "saturated-1";

  @Test
  void aComponentWhoseClientIsSaturatedStillRenewsItsLease() {
    AtomicBoolean created = new AtomicBoolean();
    AtomicInteger version = new AtomicInteger(1);
    AtomicInteger renewals = new AtomicInteger();
    try (FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (call.equals("GET " + LEASES + "/saturated")) {
                return created.get()
                    ? new Reply(200, lease(version.get()))
                    : new Reply(
                        404,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            + "\"reason\":\"NotFound\",\"code\":404}");
              }
              if (call.equals("POST " + LEASES)) {
                created.set(true);
                return new Reply(201, lease(version.get()));
              }
              if (call.equals("PUT " + LEASES + "/saturated")) {
                renewals.incrementAndGet();
                return new Reply(200, lease(version.incrementAndGet()));
              }
              return new Reply(201, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}");
            })) {
      List<String> losses = new CopyOnWriteArrayList<>();
      ComponentRunner runner =
          ComponentRunner.builder("saturated", ClientConfig.fromUrl(server.url()))
              // One request now, then one every 100 s: the queue below spends it for an hour.
              .rateLimit(new ClientRateLimit(0.01, 1))
              .leaderElection(
                  LeaderElectionConfig.of("kube-system", "saturated", ME)
                      .withTimings(
                          Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(200)))
              .onLeaseLost(losses::add)
              .build();
      // The flood of creates, queued for a token before the campaign begins.
      Disposable flood =
          Flux.range(0, 40)
              .flatMap(
                  i ->
                      runner
                          .client()
                          .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
                          .create(configMap(i)),
                  40)
              .subscribe(null, e -> {});
      try {
        runner.start();
        try {
          await().atMost(Duration.ofSeconds(10)).until(runner::isLeading);
        } catch (Throwable t) {
          System.err.println("DEBUG " + server.requests());
          throw t;
        }
        int before = renewals.get();
        // Three renew deadlines: each would have lost the lease had a renewal waited for a token.
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(5))
            .until(() -> losses.isEmpty() && runner.isLeading());
        assertThat(renewals.get() - before).isGreaterThanOrEqualTo(5);
        assertThat(runner.leaseLost()).isFalse();
        // The main client really was saturated: at most its one token's create went out.
        assertThat(server.requests().stream().filter(r -> r.contains("/configmaps")).count())
            .isLessThanOrEqualTo(1);
      } finally {
        flood.dispose();
        runner.stop();
      }
    }
  }

  private static String lease(int resourceVersion) {
    // MicroTime: RFC 3339 with exactly six fractional digits.
    String now =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    return "{\"kind\":\"Lease\",\"apiVersion\":\"coordination.k8s.io/v1\",\"metadata\":{"
        + "\"name\":\"saturated\",\"namespace\":\"kube-system\",\"resourceVersion\":\""
        + resourceVersion
        + "\"},\"spec\":{\"holderIdentity\":\""
        + ME
        + "\",\"leaseDurationSeconds\":2,\"acquireTime\":\""
        + now
        + "\",\"renewTime\":\""
        + now
        + "\",\"leaseTransitions\":0}}";
  }

  private static ConfigMap configMap(int i) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("flood-" + i)
        .withNamespace("default")
        .endMetadata()
        .build();
  }
}
