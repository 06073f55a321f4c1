package io.nauta.federation.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.BlackHoleProxy;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.AggregatedStatusItem;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.support.Convergence;
import io.nauta.federation.support.MemberRegistration;
import io.nauta.federation.support.TestGateway;
import io.nauta.federation.support.TestTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member whose API goes silent (a {@link BlackHoleProxy}: connections stay open, nothing answers)
 * while Deployments are propagated to it and to a healthy member: the healthy one gets them, the
 * Cluster turns {@code Ready=Unknown}, each binding says the silent member was not applied; when
 * the member answers again it converges, one copy of each, and no binding keeps an error.
 *
 * <p>Propagation writes nothing to a member whose Cluster is not Ready (as Karmada's execution
 * controller): a write to a silent member would hang for the client's request timeout (45 s) and
 * hold a propagation worker that long, so with more bindings than workers (6 and 5 here) the
 * healthy member would wait that long for the last one. Here the templates are written once the
 * Cluster says Unknown, and the healthy member must have them all well within that timeout.
 */
class MemberUnreachableIT {

  private static final int COUNT = 6;
  private static final Duration WAIT = Duration.ofSeconds(120);

  private static TestApiServer usa;
  private static TestApiServer asia;
  private static BlackHoleProxy asiaLink;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws IOException {
    TestGateway.flushDatabase(14);
    TestGateway.flushDatabase(15);
    TestGateway.flushDatabase(6);
    usa =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(15),
            "nauta.security.pki-dir=" + Files.createTempDirectory("unreachable-usa-"));
    asia =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(6),
            "nauta.security.pki-dir=" + Files.createTempDirectory("unreachable-asia-"));
    asiaLink = BlackHoleProxy.to(asia.url());
    gateway =
        TestGateway.start(
            "nauta.redis.url=" + TestGateway.redisUrl(14),
            "nauta.federation.cluster.probe-interval=1s",
            "nauta.federation.cluster.probe-timeout=1s",
            "nauta.federation.cluster.failure-threshold=2");
    Kubectl admin = new Kubectl(gateway.kubeconfig());
    MemberRegistration.register(admin, usa, "usa-3", "us");
    MemberRegistration.register(
        admin, asia, "asia-2", "asia", asiaLink.url().replace("http://", "https://"));
    Convergence.duplicateDeploymentsTo(admin, "usa-3", "asia-2");
  }

  @AfterAll
  static void stop() {
    Convergence.closeAll(gateway, asiaLink, usa, asia);
  }

  @Test
  void aSilentMemberIsReportedAndConvergesWithoutDuplicatesWhenItAnswersAgain() {
    await().atMost(WAIT).until(() -> clusterReady("asia-2").equals("True"));
    asiaLink.blackHole();
    long cut = System.nanoTime();
    await().atMost(WAIT).until(() -> clusterReady("asia-2").equals("Unknown"));
    ResourceClient<Deployment> templates =
        gateway.kubeClient().resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    for (int i = 0; i < COUNT; i++) {
      templates.create(TestTemplates.deployment("default", "web-" + i, i + 1)).block();
    }

    // Well within the 45 s a write to the silent member would hang: no worker waits on it.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertMember(usa));
    System.out.printf("MemberUnreachableIT: healthy member had all %d ms after the cut%n", ms(cut));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (ResourceBinding b : bindings()) {
                assertThat(
                        Convergence.condition(
                            b.status().conditions(), Karmada.CONDITION_FULLY_APPLIED))
                    .isEqualTo("False");
                AggregatedStatusItem silent = item(b, "asia-2");
                assertThat(silent.applied()).isFalse();
                assertThat(silent.appliedMessage()).contains("asia-2");
              }
            });
    System.out.printf("MemberUnreachableIT: every binding said so %d ms after the cut%n", ms(cut));

    asiaLink.forward();
    asiaLink.closeBlackHoled();
    long back = System.nanoTime();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertMember(asia);
              assertMember(usa);
              bindings().forEach(b -> Convergence.assertFullyAppliedWithoutError(b, 2));
            });
    System.out.printf("MemberUnreachableIT: converged %d ms after the member was back%n", ms(back));
    assertThat(clusterReady("asia-2")).isEqualTo("True");
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static void assertMember(TestApiServer member) {
    Convergence.assertWebDeployments(member, COUNT, i -> i + 1);
  }

  private static List<ResourceBinding> bindings() {
    List<ResourceBinding> all = Convergence.bindings(gateway);
    assertThat(all).hasSize(COUNT);
    return all;
  }

  private static AggregatedStatusItem item(ResourceBinding b, String cluster) {
    return b.status().aggregatedStatus().stream()
        .filter(i -> i.clusterName().equals(cluster))
        .findFirst()
        .orElseThrow();
  }

  private static String clusterReady(String name) {
    Cluster c =
        gateway
            .kubeClient()
            .resource(KarmadaResources.CLUSTERS, Cluster.class)
            .get(null, name)
            .block();
    if (c.status() == null) {
      return "";
    }
    return Convergence.condition(c.status().conditions(), Karmada.CLUSTER_CONDITION_READY);
  }
}
