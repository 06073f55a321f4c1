package io.nauta.federation.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.LocalSecretReference;
import io.nauta.federation.support.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's failover taint with a real member cluster (an API server on its own Redis database)
 * and short intervals: enabled, a member stopped turns {@code Ready=Unknown}, and only once that
 * has lasted the eviction timeout gets {@code cluster.karmada.io/unreachable:NoExecute}, even when
 * the gateway was restarted in between (the time is the condition's, not the gateway's memory);
 * back, it loses that taint and keeps the user's own. Off (the default), no {@code NoExecute} taint
 * ever.
 */
class FailoverTaintIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final String TOKEN = "failover-member-admin-token";
  private static final String CLUSTER = "member";

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private TestApiServer member;
  private int memberPort;
  private int memberDb;

  @AfterEach
  void stop() {
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception e) {
        // already stopped
      }
    }
  }

  private static String[] gatewayProps(int db, boolean failover) {
    List<String> props =
        new ArrayList<>(
            List.of(
                "nauta.redis.url=" + TestGateway.redisUrl(db),
                "nauta.federation.cluster.probe-interval=1s",
                "nauta.federation.cluster.probe-timeout=1s",
                "nauta.federation.cluster.failure-threshold=2",
                "nauta.federation.cluster.summary-interval=1s",
                "nauta.federation.cluster.failover.eviction-timeout=" + GRACE.toSeconds() + "s"));
    if (failover) {
      props.add("nauta.federation.cluster.failover.enabled=true");
    }
    return props.toArray(String[]::new);
  }

  private TestGateway gateway(int db, boolean failover) {
    TestGateway g = TestGateway.start(gatewayProps(db, failover));
    running.add(g);
    return g;
  }

  private void startMember(int db, String... more) throws IOException {
    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, TOKEN + ",member-admin,uid-1,\"system:masters\"\n");
    List<String> props = new ArrayList<>();
    props.add("nauta.redis.url=" + TestGateway.redisUrl(db));
    props.add("nauta.security.token-auth-file=" + tokens);
    props.addAll(List.of(more));
    member = TestApiServer.start(props.toArray(String[]::new));
    running.add(member);
    memberPort = member.port();
    memberDb = db;
  }

  private void restartMember() throws IOException {
    startMember(memberDb, "server.port=" + memberPort);
  }

  /** Registers the member with Karmada's token/caBundle Secret. */
  private void register(TestGateway gateway) throws IOException {
    KubeClient admin = gateway.kubeClient();
    admin
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("karmada-cluster")
                .endMetadata()
                .build())
        .block(WAIT);
    admin
        .resource(BuiltInResources.SECRETS, Secret.class)
        .create(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("karmada-cluster")
                .withName(CLUSTER)
                .endMetadata()
                .withData(
                    Map.of(
                        Karmada.SECRET_TOKEN_KEY,
                        base64(TOKEN),
                        Karmada.SECRET_CA_DATA_KEY,
                        base64(Files.readString(member.pkiDir().resolve("server-ca.crt")))))
                .build())
        .block(WAIT);
    clusters(gateway)
        .create(
            new Cluster(
                new ObjectMetaBuilder().withName(CLUSTER).build(),
                new ClusterSpec(
                    null,
                    Karmada.SYNC_MODE_PUSH,
                    member.url(),
                    new LocalSecretReference("karmada-cluster", CLUSTER),
                    null,
                    null,
                    null,
                    null,
                    null,
                    "us-east",
                    null,
                    null,
                    null,
                    null),
                null))
        .block(WAIT);
    awaitReady(gateway, "True");
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ResourceClient<Cluster> clusters(TestGateway gateway) {
    return gateway.kubeClient().resource(KarmadaResources.CLUSTERS, Cluster.class);
  }

  private static Cluster get(TestGateway gateway) {
    return clusters(gateway).get(null, CLUSTER).block(WAIT);
  }

  private static Condition ready(Cluster c) {
    return c.status() == null ? null : ClusterStatusController.readyCondition(c.status());
  }

  private static Condition awaitReady(TestGateway gateway, String status) {
    await()
        .atMost(WAIT)
        .until(() -> ready(get(gateway)) != null && status.equals(ready(get(gateway)).getStatus()));
    return ready(get(gateway));
  }

  private static List<Taint> taints(Cluster c) {
    return c.spec().taints() == null ? List.of() : c.spec().taints();
  }

  private static Optional<Taint> noExecute(Cluster c, String key) {
    return taints(c).stream()
        .filter(
            t -> key.equals(t.getKey()) && Karmada.TAINT_EFFECT_NO_EXECUTE.equals(t.getEffect()))
        .findFirst();
  }

  private static List<Event> taintEvents(TestGateway gateway) {
    return gateway
        .kubeClient()
        .resource(BuiltInResources.EVENTS, Event.class)
        .list("default", ListOptions.none())
        .block(WAIT)
        .items()
        .stream()
        .filter(
            e ->
                "Cluster".equals(e.getInvolvedObject().getKind())
                    && CLUSTER.equals(e.getInvolvedObject().getName())
                    && Karmada.EVENT_REASON_TAINT_CLUSTER_SUCCEED.equals(e.getReason()))
        .toList();
  }

  private static void awaitTaintEvent(TestGateway gateway, String message) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(taintEvents(gateway))
                    .anySatisfy(e -> assertThat(e.getMessage()).startsWith(message)));
  }

  @Test
  void enabledTaintsAMemberUnreachableForTheTimeoutEvenAcrossARestartAndUntaintsItsOwnOnly()
      throws Exception {
    TestGateway.flushDatabase(5);
    TestGateway.flushDatabase(6);
    startMember(6);
    TestGateway first = gateway(5, true);
    register(first);
    // The user's own NoExecute taint, which the gateway must never take away.
    Taint users =
        new TaintBuilder()
            .withKey("maintenance")
            .withEffect(Karmada.TAINT_EFFECT_NO_EXECUTE)
            .build();
    Cluster c = get(first);
    clusters(first).update(c.withSpec(c.spec().withTaints(List.of(users)))).block(WAIT);

    member.close();
    Condition unknown = awaitReady(first, "Unknown");
    Instant since = Instant.parse(unknown.getLastTransitionTime());
    // Unreachable, not yet for the timeout: the scheduling taint only.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(taints(get(first)))
                    .anySatisfy(
                        t -> assertThat(t.getKey()).isEqualTo(Karmada.TAINT_CLUSTER_UNREACHABLE)));
    // (On a machine slow enough that the grace ran out meanwhile, the NoExecute taint may be there
    // already: then it must not have come before the grace.)
    noExecute(get(first), Karmada.TAINT_CLUSTER_UNREACHABLE)
        .ifPresent(
            t ->
                assertThat(Instant.parse(t.getTimeAdded()))
                    .as("a NoExecute taint added before the grace ran out")
                    .isAfterOrEqualTo(since.plus(GRACE)));

    // The gateway goes away while the timeout runs and is back only after it ran out: the one
    // that leads then taints at once, from the condition's time, not after a timeout of its own.
    first.close();
    Duration left = Duration.between(Instant.now(), since.plus(GRACE).plusSeconds(1));
    if (!left.isNegative()) {
      Thread.sleep(left.toMillis());
    }
    TestGateway second = gateway(5, true);
    await().atMost(WAIT).until(() -> second.runner().isLeading());
    Instant leading = Instant.now();
    await()
        .atMost(WAIT)
        .until(() -> noExecute(get(second), Karmada.TAINT_CLUSTER_UNREACHABLE).isPresent());
    Cluster tainted = get(second);
    Taint ours = noExecute(tainted, Karmada.TAINT_CLUSTER_UNREACHABLE).orElseThrow();
    Instant added = Instant.parse(ours.getTimeAdded());
    assertThat(added).isAfterOrEqualTo(since.plus(GRACE));
    assertThat(added).isBefore(leading.plus(GRACE).minusSeconds(3));
    assertThat(ready(tainted).getStatus()).isEqualTo("Unknown");
    assertThat(ready(tainted).getLastTransitionTime()).isEqualTo(unknown.getLastTransitionTime());
    assertThat(taints(tainted)).contains(users);
    awaitTaintEvent(second, "Added taint cluster.karmada.io/unreachable:NoExecute");

    restartMember();
    awaitReady(second, "True");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Cluster back = get(second);
              assertThat(noExecute(back, Karmada.TAINT_CLUSTER_UNREACHABLE)).isEmpty();
              // The user's taint stays; the scheduling taints are gone too.
              assertThat(taints(back)).containsExactly(users);
              assertThat(back.getMetadata().getAnnotations())
                  .doesNotContainKey(FailoverTaintController.OWNED_TAINT_ANNOTATION);
            });
    awaitTaintEvent(second, "Removed taint cluster.karmada.io/unreachable:NoExecute");
  }

  @Test
  void offByDefaultNoNoExecuteTaintEver() throws Exception {
    TestGateway.flushDatabase(7);
    TestGateway.flushDatabase(8);
    startMember(8);
    TestGateway gateway = gateway(7, false);
    assertThat(gateway.bean(ClusterProperties.class).failover().enabled()).isFalse();
    register(gateway);

    member.close();
    Condition unknown = awaitReady(gateway, "Unknown");
    Instant until = Instant.parse(unknown.getLastTransitionTime()).plus(GRACE.multipliedBy(2));
    while (Instant.now().isBefore(until)) {
      Cluster c = get(gateway);
      assertThat(ready(c).getStatus()).isEqualTo("Unknown");
      assertThat(taints(c))
          .noneSatisfy(t -> assertThat(t.getEffect()).isEqualTo(Karmada.TAINT_EFFECT_NO_EXECUTE));
      Thread.sleep(500);
    }
    assertThat(taints(get(gateway)))
        .anySatisfy(
            t -> {
              assertThat(t.getKey()).isEqualTo(Karmada.TAINT_CLUSTER_UNREACHABLE);
              assertThat(t.getEffect()).isEqualTo(Karmada.TAINT_EFFECT_NO_SCHEDULE);
            });
    assertThat(taintEvents(gateway)).isEmpty();
  }
}
