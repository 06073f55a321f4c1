package io.nauta.federation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.ClusterStatus;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.cluster.FailoverTaintController.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failover taint's decisions, from the Cluster alone (no member, no server). */
class FailoverTaintControllerTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final ClusterProperties.Failover ON =
      new ClusterProperties.Failover(true, Duration.ofMinutes(5));
  private static final ClusterProperties.Failover OFF =
      new ClusterProperties.Failover(false, Duration.ofMinutes(5));

  private static final Taint USERS_NO_EXECUTE = taint("maintenance", "NoExecute", null);
  private static final Taint NOT_READY_NO_SCHEDULE =
      taint(Karmada.TAINT_CLUSTER_NOT_READY, "NoSchedule", "2026-12-05T11:00:00Z");

  private static Taint taint(String key, String effect, String timeAdded) {
    return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(timeAdded).build();
  }

  private static Cluster cluster(
      String ready, Duration since, List<Taint> taints, Map<String, String> annotations) {
    ClusterStatus status =
        ready == null
            ? null
            : new ClusterStatus(
                null,
                null,
                List.of(
                    new ConditionBuilder()
                        .withType(Karmada.CLUSTER_CONDITION_READY)
                        .withStatus(ready)
                        .withLastTransitionTime(NOW.minus(since).toString())
                        .build()),
                null,
                null,
                null);
    return new Cluster(
        new ObjectMetaBuilder()
            .withName("c1")
            .withCreationTimestamp("2026-12-01T00:00:00Z")
            .withAnnotations(annotations)
            .build(),
        new ClusterSpec(
            null,
            Karmada.SYNC_MODE_PUSH,
            "https://127.0.0.1:1",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            taints,
            null),
        status);
  }

  private static Map<String, String> owning(Taint t) {
    return Map.of(
        FailoverTaintController.OWNED_TAINT_ANNOTATION, t.getKey() + "@" + t.getTimeAdded());
  }

  @Test
  void offByDefaultItNeverTaints() {
    Plan p =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofHours(1), List.of(), null), OFF, NOW);
    assertThat(p.changed()).isFalse();
    assertThat(p.due()).isNull();
  }

  @Test
  void notReadyForLessThanTheTimeoutWaitsUntilItIsDue() {
    Plan p =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofMinutes(4), List.of(NOT_READY_NO_SCHEDULE), null),
            ON,
            NOW);
    assertThat(p.changed()).isFalse();
    assertThat(p.due()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void unknownForTheTimeoutGetsTheUnreachableNoExecuteTaintMarkedAsTheGateways() {
    Plan p =
        FailoverTaintController.plan(
            cluster(
                "Unknown",
                Duration.ofMinutes(5),
                List.of(NOT_READY_NO_SCHEDULE, USERS_NO_EXECUTE),
                null),
            ON,
            NOW);
    assertThat(p.changed()).isTrue();
    assertThat(p.added().getKey()).isEqualTo(Karmada.TAINT_CLUSTER_UNREACHABLE);
    assertThat(p.added().getEffect()).isEqualTo("NoExecute");
    assertThat(p.added().getTimeAdded()).isEqualTo("2026-12-05T12:00:00Z");
    assertThat(p.removed()).isNull();
    assertThat(p.taints()).containsExactly(NOT_READY_NO_SCHEDULE, USERS_NO_EXECUTE, p.added());
    assertThat(p.owned()).isEqualTo("cluster.karmada.io/unreachable@2026-12-05T12:00:00Z");
  }

  @Test
  void falseForTheTimeoutGetsTheNotReadyOne() {
    Plan p =
        FailoverTaintController.plan(
            cluster("False", Duration.ofMinutes(6), List.of(), null), ON, NOW);
    assertThat(p.added().getKey()).isEqualTo(Karmada.TAINT_CLUSTER_NOT_READY);
    assertThat(p.added().getEffect()).isEqualTo("NoExecute");
  }

  @Test
  void alreadyTaintedNothingMore() {
    Taint ours = taint(Karmada.TAINT_CLUSTER_UNREACHABLE, "NoExecute", "2026-12-05T11:50:00Z");
    Plan p =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofMinutes(15), List.of(ours), owning(ours)), ON, NOW);
    assertThat(p.changed()).isFalse();
    assertThat(p.due()).isNull();
  }

  @Test
  void readyAgainLosesOnlyTheGatewaysTaint() {
    Taint ours = taint(Karmada.TAINT_CLUSTER_UNREACHABLE, "NoExecute", "2026-12-05T11:50:00Z");
    Plan p =
        FailoverTaintController.plan(
            cluster(
                "True",
                Duration.ofSeconds(1),
                List.of(USERS_NO_EXECUTE, ours, NOT_READY_NO_SCHEDULE),
                owning(ours)),
            ON,
            NOW);
    assertThat(p.changed()).isTrue();
    assertThat(p.removed()).isEqualTo(ours);
    assertThat(p.added()).isNull();
    assertThat(p.taints()).containsExactly(USERS_NO_EXECUTE, NOT_READY_NO_SCHEDULE);
    assertThat(p.owned()).isNull();
  }

  @Test
  void theUsersOwnNoExecuteTaintOfTheSameKeyIsNeitherDoubledNorRemoved() {
    Taint users = taint(Karmada.TAINT_CLUSTER_UNREACHABLE, "NoExecute", null);
    Plan notReady =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofMinutes(10), List.of(users), null), ON, NOW);
    assertThat(notReady.changed()).isFalse();
    Plan ready =
        FailoverTaintController.plan(
            cluster("True", Duration.ofMinutes(1), List.of(users), null), ON, NOW);
    assertThat(ready.changed()).isFalse();
    // One the user put back with a time of their own after the gateway's was removed is theirs.
    Taint again = taint(Karmada.TAINT_CLUSTER_UNREACHABLE, "NoExecute", "2026-12-05T11:59:00Z");
    Plan later =
        FailoverTaintController.plan(
            cluster(
                "True",
                Duration.ofMinutes(1),
                List.of(again),
                owning(
                    taint(Karmada.TAINT_CLUSTER_UNREACHABLE, "NoExecute", "2026-12-05T11:00:00Z"))),
            ON,
            NOW);
    assertThat(later.removed()).isNull();
    assertThat(later.taints()).containsExactly(again);
    // The stale mark is dropped.
    assertThat(later.changed()).isTrue();
    assertThat(later.owned()).isNull();
  }

  @Test
  void notReadyTurningUnknownSwapsTheTaintOnlyOnceUnknownLastedTheTimeout() {
    Taint ours = taint(Karmada.TAINT_CLUSTER_NOT_READY, "NoExecute", "2026-12-05T11:00:00Z");
    Plan soon =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofMinutes(1), List.of(ours), owning(ours)), ON, NOW);
    assertThat(soon.changed()).isFalse();
    assertThat(soon.due()).isEqualTo(Duration.ofMinutes(4));
    Plan later =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofMinutes(5), List.of(ours), owning(ours)), ON, NOW);
    assertThat(later.removed()).isEqualTo(ours);
    assertThat(later.added().getKey()).isEqualTo(Karmada.TAINT_CLUSTER_UNREACHABLE);
    assertThat(later.taints()).containsExactly(later.added());
  }

  @Test
  void turnedOffItTakesBackItsOwnTaint() {
    Taint ours = taint(Karmada.TAINT_CLUSTER_UNREACHABLE, "NoExecute", "2026-12-05T11:50:00Z");
    Plan p =
        FailoverTaintController.plan(
            cluster("Unknown", Duration.ofHours(1), List.of(ours, USERS_NO_EXECUTE), owning(ours)),
            OFF,
            NOW);
    assertThat(p.removed()).isEqualTo(ours);
    assertThat(p.taints()).containsExactly(USERS_NO_EXECUTE);
  }

  @Test
  void aClusterNeverProbedIsNotTainted() {
    Plan p = FailoverTaintController.plan(cluster(null, Duration.ZERO, null, null), ON, NOW);
    assertThat(p.changed()).isFalse();
    assertThat(p.due()).isNull();
  }

  @Test
  void withoutATransitionTimeTheClusterCreationCounts() {
    Cluster c = cluster("Unknown", Duration.ZERO, List.of(), null);
    c.status().conditions().get(0).setLastTransitionTime(null);
    Plan p = FailoverTaintController.plan(c, ON, NOW);
    assertThat(p.added()).isNotNull();
  }
}
