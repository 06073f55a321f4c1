package io.nauta.federation.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.support.Convergence;
import io.nauta.federation.support.MemberRegistration;
import io.nauta.federation.support.TestGateway;
import io.nauta.federation.support.TestTemplates;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * Two gateway replicas on one Redis and a real member: the leader whose lease is taken over stops
 * its controllers and fences its member writes at once, keeps serving its API (no exit), and
 * campaigns again; whichever replica leads next converges the member without a second copy, and the
 * deposed one, once it leads again, propagates afresh in the same JVM.
 */
class LeaseLossIT {

  private static final int GATEWAY_DB = 10;
  private static final int MEMBER_DB = 11;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String LEASE_NS = "kube-system";
  private static final String LEASE = "karmada-controller-manager";
  private static final URI MEMBER_WRITE =
      URI.create("https://127.0.0.1:1/apis/apps/v1/namespaces/default/deployments");

  private static TestApiServer member;
  private static TestGateway a;
  private static TestGateway b;
  private static ResourceClient<Deployment> memberDeployments;

  @BeforeAll
  static void start() throws IOException {
    TestGateway.flushDatabase(GATEWAY_DB);
    TestGateway.flushDatabase(MEMBER_DB);
    member =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(MEMBER_DB),
            "nauta.security.pki-dir=" + Files.createTempDirectory("lease-loss-member-"));
    String[] props = {
      "nauta.redis.url=" + TestGateway.redisUrl(GATEWAY_DB),
      "nauta.federation.leader-election.lease-duration=4s",
      "nauta.federation.leader-election.renew-deadline=3s",
      "nauta.federation.leader-election.retry-period=500ms"
    };
    a = TestGateway.start(props);
    b = TestGateway.start(props);
    Kubectl admin = new Kubectl(a.kubeconfig());
    MemberRegistration.register(admin, member, "usa-3", "us");
    Convergence.duplicateDeploymentsTo(admin, "usa-3");
    memberDeployments =
        member.kubeClient().resource(BuiltInResources.DEPLOYMENTS, Deployment.class);
  }

  @AfterAll
  static void stop() {
    Convergence.closeAll(a, b, member);
  }

  @Test
  void aDeposedLeaderStopsItsControllersKeepsServingAndLeadsAgainLater() {
    await().atMost(WAIT).until(() -> a.runner().isLeading() || b.runner().isLeading());
    TestGateway leader = a.runner().isLeading() ? a : b;
    TestGateway standby = leader == a ? b : a;
    assertThat(standby.runner().isLeading()).isFalse();
    create(leader, "before", 2);
    String uid = awaitInMember("before", 2);

    // Someone else holds the lease now, fresh for 3 s (again if a renewal got in between).
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(
            () -> {
              takeOver(standby.kubeClient());
              return true;
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> !leader.runner().isLeading());
    assertThat(leader.runner().leaderFence().refusal(HttpMethod.POST, MEMBER_WRITE))
        .as("the deposed leader's member writes are refused")
        .isNotNull();
    assertThat(leader.runner().leaseLosses()).isEqualTo(1);
    assertThat(leader.leaseLosses()).as("no exit, no loss action").isEmpty();
    assertThat(leader.runner().isRunning()).isTrue();

    // Its API still serves: a template written through it is propagated by whoever leads next.
    create(leader, "during", 3);
    await().atMost(WAIT).until(() -> a.runner().isLeading() || b.runner().isLeading());
    awaitInMember("during", 3);
    assertThat(memberDeployments.get("default", "before").block().getMetadata().getUid())
        .as("the member's object was not deleted and made again by the new term")
        .isEqualTo(uid);

    // The deposed replica campaigned on: with the other one gone, it leads and propagates again.
    standby.close();
    if (standby == a) {
      a = null;
    } else {
      b = null;
    }
    await().atMost(WAIT).until(() -> leader.runner().isLeading());
    create(leader, "after", 1);
    awaitInMember("after", 1);
    assertThat(names()).containsExactlyInAnyOrder("before", "during", "after");
    assertThat(leader.leaseLosses()).isEmpty();
  }

  private static void create(TestGateway gateway, String name, int replicas) {
    gateway
        .kubeClient()
        .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
        .create(TestTemplates.deployment("default", name, replicas))
        .block();
  }

  /** Waits for the member's copy with {@code replicas}; returns its uid. */
  private static String awaitInMember(String name, int replicas) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                memberDeployments.get("default", name).block().getSpec().getReplicas() == replicas);
    return memberDeployments.get("default", name).block().getMetadata().getUid();
  }

  private static List<String> names() {
    return memberDeployments
        .list("default", io.nauta.core.client.ListOptions.none())
        .block()
        .items()
        .stream()
        .map(d -> d.getMetadata().getName())
        .toList();
  }

  /** Writes the lease as held by another process, as a replica that took it over would. */
  private static void takeOver(KubeClient admin) {
    ResourceClient<Lease> leases = admin.resource(BuiltInResources.LEASES, Lease.class);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    Lease current = leases.get(LEASE_NS, LEASE).block();
    leases
        .update(
            new LeaseBuilder(current)
                .editSpec()
                .withHolderIdentity("intruder")
                .withLeaseDurationSeconds(3)
                .withAcquireTime(now)
                .withRenewTime(now)
                .endSpec()
                .build())
        .block();
  }
}
