package io.nauta.federation.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.RedisProcess;
import io.nauta.api.support.ReplyDroppingProxy;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.support.Convergence;
import io.nauta.federation.support.MemberRegistration;
import io.nauta.federation.support.TestGateway;
import io.nauta.federation.support.TestTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own Redis fails while 20 Deployments are being propagated to two members: one reply
 * to a binding's write is lost on the way back (Redis ran it), then Redis is killed ({@code kill
 * -9}) and stays down past the lease's renew deadline, then comes back from its AOF. Everything
 * converges: each member holds each Deployment once with its replicas, every binding is scheduled
 * and fully applied with no error left, and the gateway lost its lease without exiting and leads
 * again.
 */
class GatewayRedisFaultsIT {

  private static final int COUNT = 20;
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  private static RedisProcess redis;
  private static ReplyDroppingProxy proxy;
  private static TestApiServer usa;
  private static TestApiServer asia;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisProcess.start("always");
    proxy = new ReplyDroppingProxy(redis.url());
    TestGateway.flushDatabase(12);
    TestGateway.flushDatabase(13);
    usa =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(12),
            "nauta.security.pki-dir=" + Files.createTempDirectory("redis-faults-usa-"));
    asia =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(13),
            "nauta.security.pki-dir=" + Files.createTempDirectory("redis-faults-asia-"));
    gateway =
        TestGateway.start(
            "nauta.redis.url=" + proxy.url(),
            "nauta.federation.leader-election.lease-duration=4s",
            "nauta.federation.leader-election.renew-deadline=3s",
            "nauta.federation.leader-election.retry-period=500ms");
    Kubectl admin = new Kubectl(gateway.kubeconfig());
    MemberRegistration.register(admin, usa, "usa-3", "us");
    MemberRegistration.register(admin, asia, "asia-2", "asia");
    Convergence.duplicateDeploymentsTo(admin, "usa-3", "asia-2");
  }

  @AfterAll
  static void stop() {
    Convergence.closeAll(gateway, usa, asia, proxy, redis);
  }

  @Test
  void everythingConvergesOnceAfterALostReplyAndRedisKilledMidPropagation() throws Exception {
    await().atMost(CONVERGE).until(() -> gateway.runner().isLeading());
    KubeClient gw = gateway.kubeClient();
    ResourceClient<Deployment> templates =
        gw.resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
    // The binding of web-3, written by the detector, loses its reply; so may its first read.
    proxy.dropReplyTo("web-3-deployment", "$2\r\nok\r\n");

    AtomicInteger created = new AtomicInteger();
    Thread creator =
        new Thread(
            () -> {
              for (int i = 0; i < COUNT; i++) {
                createUntilStored(templates, i);
                created.incrementAndGet();
              }
            },
            "template-creator");
    creator.start();

    await().atMost(CONVERGE).until(() -> created.get() >= 8);
    redis.kill9();
    // Down until the gateway notices it cannot renew its lease (renew deadline 3 s).
    await().atMost(Duration.ofSeconds(20)).until(() -> !gateway.runner().isLeading());
    redis.restart("always");
    creator.join(CONVERGE.toMillis());
    assertThat(created.get()).isEqualTo(COUNT);

    long restarted = System.nanoTime();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(this::assertConverged);
    System.out.printf(
        "GatewayRedisFaultsIT: converged %d ms after Redis restarted%n",
        (System.nanoTime() - restarted) / 1_000_000);

    assertThat(proxy.droppedReplies()).as("a reply was lost").isEqualTo(1);
    assertThat(gateway.runner().leaseLosses()).as("the lease was lost").isGreaterThanOrEqualTo(1);
    assertThat(gateway.leaseLosses()).as("no exit").isEmpty();
    assertThat(gateway.runner().isLeading()).isTrue();
  }

  /** Creates web-{@code i} until the gateway stored it; a create that landed unheard is 409. */
  private static void createUntilStored(ResourceClient<Deployment> templates, int i) {
    while (true) {
      try {
        templates
            .create(TestTemplates.deployment("default", "web-" + i, i % 3 + 1))
            .block(Duration.ofSeconds(20));
        return;
      } catch (AlreadyExistsException e) {
        return;
      } catch (RuntimeException e) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void assertConverged() {
    Convergence.assertWebDeployments(usa, COUNT, i -> i % 3 + 1);
    Convergence.assertWebDeployments(asia, COUNT, i -> i % 3 + 1);
    List<ResourceBinding> bindings = Convergence.bindings(gateway);
    assertThat(bindings).hasSize(COUNT);
    bindings.forEach(b -> Convergence.assertFullyAppliedWithoutError(b, 2));
  }
}
