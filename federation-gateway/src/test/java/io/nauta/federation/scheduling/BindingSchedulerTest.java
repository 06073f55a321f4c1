package io.nauta.federation.scheduling;

import static io.nauta.federation.scheduling.Fixtures.cluster;
import static io.nauta.federation.scheduling.Fixtures.replicas;
import static io.nauta.federation.scheduling.Fixtures.spec;
import static io.nauta.federation.scheduling.Fixtures.withClusters;
import static io.nauta.federation.scheduling.Fixtures.withReplicas;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.TargetCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingSchedulerTest {

  private static final Instant NOW = Instant.parse("2026-12-05T22:00:00Z");

  private static final List<Cluster> THREE =
      List.of(
          cluster("usa-3", "us", 10), cluster("asia-2", "asia", 20), cluster("europe-1", "eu", 30));

  private static final String STATIC_1_2_0 =
      """
      resource: {apiVersion: apps/v1, kind: Deployment, namespace: default, name: web, uid: u-1}
      replicas: 9
      placement:
        clusterAffinity: {clusterNames: [usa-3, asia-2, europe-1]}
        replicaScheduling:
          replicaSchedulingType: Divided
          replicaDivisionPreference: Weighted
          weightPreference:
            staticWeightList:
              - targetCluster: {clusterNames: [usa-3]}
                weight: 1
              - targetCluster: {clusterNames: [asia-2]}
                weight: 2
      """;

  private static final String DYNAMIC =
      """
      resource: {apiVersion: apps/v1, kind: Deployment, namespace: default, name: web, uid: u-1}
      replicas: 6
      placement:
        replicaScheduling:
          replicaSchedulingType: Divided
          replicaDivisionPreference: Weighted
          weightPreference: {dynamicWeight: AvailableReplicas}
      """;

  private static ScheduleResult schedule(ResourceBindingSpec spec, List<Cluster> clusters) {
    return BindingScheduler.schedule(spec, null, clusters, NOW);
  }

  private static Map<String, Integer> placed(ResourceBindingSpec spec, List<Cluster> clusters) {
    ScheduleResult result = schedule(spec, clusters);
    assertThat(result.scheduled()).as(result.message()).isTrue();
    return replicas(result.clusters());
  }

  private static List<TargetCluster> targets(Map<String, Integer> replicas) {
    return replicas.entrySet().stream()
        .map(e -> new TargetCluster(e.getKey(), e.getValue(), null))
        .toList();
  }

  @Test
  void staticWeightsOneTwoZeroPlaceThreeAndSixAndNothingOnTheUnweightedCluster() {
    ScheduleResult result = schedule(spec(STATIC_1_2_0), THREE);

    assertThat(result.scheduled()).isTrue();
    assertThat(result.reason()).isEqualTo("Success");
    assertThat(result.message()).isEqualTo("Binding has been scheduled successfully.");
    assertThat(replicas(result.clusters()))
        .containsExactly(Map.entry("asia-2", 6), Map.entry("usa-3", 3));
  }

  @Test
  void staticWeightsScaleUpAndBackDown() {
    ResourceBindingSpec nine = spec(STATIC_1_2_0);
    Map<String, Integer> first = placed(nine, THREE);
    ResourceBindingSpec twelve = withClusters(withReplicas(nine, 12), targets(first));
    Map<String, Integer> scaled = placed(twelve, THREE);
    assertThat(scaled).isEqualTo(Map.of("usa-3", 4, "asia-2", 8));

    ResourceBindingSpec back = withClusters(withReplicas(nine, 9), targets(scaled));
    assertThat(placed(back, THREE)).isEqualTo(first);
  }

  @Test
  void staticWeightsOneToThreeApproximateAsKarmadaDocuments() {
    ResourceBindingSpec spec = spec(STATIC_1_2_0.replace("weight: 2", "weight: 3"));
    assertThat(placed(spec, THREE)).isEqualTo(Map.of("usa-3", 2, "asia-2", 7));
  }

  @Test
  void staticWeightsWithoutAnyWeightedClusterWeighEveryClusterOne() {
    ResourceBindingSpec spec =
        spec(STATIC_1_2_0.replace("[usa-3]", "[nowhere]").replace("[asia-2]", "[nowhere]"));
    assertThat(placed(spec, THREE)).isEqualTo(Map.of("usa-3", 3, "asia-2", 3, "europe-1", 3));
  }

  @Test
  void staticWeightsMatchTargetClustersByLabelAndTakeTheHighestWeight() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 8
            placement:
              replicaScheduling:
                replicaSchedulingType: Divided
                weightPreference:
                  staticWeightList:
                    - targetCluster: {labelSelector: {matchLabels: {name: usa-3}}}
                      weight: 1
                    - targetCluster: {fieldSelector: {matchExpressions: [{key: region, operator: In, values: [us, asia]}]}}
                      weight: 3
            """);
    assertThat(placed(spec, THREE)).isEqualTo(Map.of("usa-3", 4, "asia-2", 4));
  }

  @Test
  void staticWeightsGiveALostClustersReplicasToTheOthers() {
    Map<String, Integer> before = placed(spec(STATIC_1_2_0), THREE);
    ResourceBindingSpec again = withClusters(spec(STATIC_1_2_0), targets(before));

    assertThat(placed(again, List.of(THREE.get(0), THREE.get(2)))).isEqualTo(Map.of("usa-3", 9));
  }

  @Test
  void equalWeightsBreakTiesByFewerReplicasThenNameInAnOrderSetByTheUid() {
    String spec =
        """
        resource: {kind: Deployment, name: web, uid: "%s"}
        replicas: 3
        placement:
          clusterAffinity: {clusterNames: [usa-3, asia-2]}
          replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted}
        """;
    String even = uidWithHashParity(0);
    String odd = uidWithHashParity(1);

    assertThat(placed(spec(spec.formatted(even)), THREE))
        .isEqualTo(Map.of("asia-2", 2, "usa-3", 1));
    assertThat(placed(spec(spec.formatted(odd)), THREE)).isEqualTo(Map.of("asia-2", 1, "usa-3", 2));
    assertThat(placed(spec(spec.formatted(odd)), THREE))
        .isEqualTo(placed(spec(spec.formatted(odd)), THREE));
  }

  private static String uidWithHashParity(int parity) {
    for (int i = 0; ; i++) {
      String uid = "uid-" + i;
      if ((Webster.fnv32a(uid) & 1) == parity) {
        return uid;
      }
    }
  }

  @Test
  void dynamicWeightsFollowEachClustersRoom() {
    assertThat(placed(spec(DYNAMIC), THREE))
        .isEqualTo(Map.of("usa-3", 1, "asia-2", 2, "europe-1", 3));
  }

  @Test
  void dynamicWeightsScaleUpOnTopOfThePreviousAssignmentAndDownInProportion() {
    ResourceBindingSpec six = spec(DYNAMIC);
    // A previous decision that does not follow the weights: a scale-up keeps it and adds.
    Map<String, Integer> previous = Map.of("usa-3", 4, "asia-2", 1, "europe-1", 1);
    Map<String, Integer> twelve =
        placed(withClusters(withReplicas(six, 12), targets(previous)), THREE);
    assertThat(twelve).isEqualTo(Map.of("usa-3", 5, "asia-2", 3, "europe-1", 4));

    Map<String, Integer> down = placed(withClusters(withReplicas(six, 6), targets(twelve)), THREE);
    assertThat(down.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
    assertThat(down).allSatisfy((name, r) -> assertThat(r).isLessThanOrEqualTo(twelve.get(name)));
    assertThat(down).isEqualTo(Map.of("usa-3", 2, "asia-2", 2, "europe-1", 2));
  }

  @Test
  void nothingMovesWhenNothingChanged() {
    Map<String, Integer> previous = Map.of("usa-3", 4, "asia-2", 1, "europe-1", 1);
    ResourceBindingSpec same = withClusters(spec(DYNAMIC), targets(previous));
    assertThat(placed(same, THREE)).isEqualTo(previous);
    assertThat(placed(same, THREE)).isEqualTo(previous);
  }

  @Test
  void dynamicWeightsMoveOnlyALostClustersReplicas() {
    Map<String, Integer> previous = Map.of("usa-3", 1, "asia-2", 2, "europe-1", 3);
    ResourceBindingSpec spec = withClusters(spec(DYNAMIC), targets(previous));

    Map<String, Integer> after = placed(spec, List.of(THREE.get(0), THREE.get(1)));

    assertThat(after).isEqualTo(Map.of("usa-3", 2, "asia-2", 4));
  }

  @Test
  void aNoExecuteTaintEvictsGracefullyAndKeepsTheTotal() {
    Map<String, Integer> previous = Map.of("usa-3", 1, "asia-2", 2, "europe-1", 3);
    ResourceBindingSpec spec = withClusters(spec(DYNAMIC), targets(previous));
    Cluster tainted =
        cluster(
            """
            metadata: {name: europe-1}
            spec: {region: eu, taints: [{key: maintenance, value: "yes", effect: NoExecute}]}
            status: {resourceSummary: {allocatable: {pods: "30"}}}
            """);

    ScheduleResult result = schedule(spec, List.of(THREE.get(0), THREE.get(1), tainted));

    assertThat(result.scheduled()).isTrue();
    assertThat(replicas(result.clusters())).isEqualTo(Map.of("usa-3", 2, "asia-2", 4));
    assertThat(result.evictions()).hasSize(1);
    GracefulEvictionTask task = result.evictions().get(0);
    assertThat(task.fromCluster()).isEqualTo("europe-1");
    assertThat(task.replicas()).isEqualTo(3);
    assertThat(task.reason()).isEqualTo("TaintUntolerated");
    assertThat(task.producer()).isEqualTo("TaintManager");
    assertThat(task.message()).contains("maintenance=yes:NoExecute");
    assertThat(task.creationTimestamp()).isEqualTo("2026-12-05T22:00:00Z");
  }

  @Test
  void aClusterThatReturnsGetsNothingBack() {
    // After the eviction above: the task is still there, then gone; neither moves replicas.
    ResourceBindingSpec evicted =
        spec(
            DYNAMIC
                + """
                clusters: [{name: usa-3, replicas: 2}, {name: asia-2, replicas: 4}]
                gracefulEvictionTasks: [{fromCluster: europe-1, replicas: 3, reason: TaintUntolerated, producer: TaintManager}]
                """);
    assertThat(placed(evicted, THREE)).isEqualTo(Map.of("usa-3", 2, "asia-2", 4));
    ResourceBindingSpec done =
        spec(DYNAMIC + "clusters: [{name: usa-3, replicas: 2}, {name: asia-2, replicas: 4}]\n");
    assertThat(placed(done, THREE)).isEqualTo(Map.of("usa-3", 2, "asia-2", 4));
  }

  @Test
  void aTaintToleratedForAWhileEvictsWhenTheTolerationRunsOut() {
    String tolerating =
        DYNAMIC.replace(
                "placement:\n",
                "placement:\n  clusterTolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]\n")
            + "clusters: [{name: usa-3, replicas: 1}, {name: asia-2, replicas: 2}, {name: europe-1, replicas: 3}]\n";
    String taint =
        """
        metadata: {name: europe-1}
        spec: {region: eu, taints: [{key: maintenance, effect: NoExecute, timeAdded: "%s"}]}
        status: {resourceSummary: {allocatable: {pods: "30"}}}
        """;
    Cluster recent = cluster(taint.formatted(NOW.minusSeconds(20)));
    ScheduleResult waiting =
        schedule(spec(tolerating), List.of(THREE.get(0), THREE.get(1), recent));
    assertThat(waiting.evictions()).isEmpty();
    assertThat(replicas(waiting.clusters())).containsEntry("europe-1", 3);
    assertThat(waiting.recheckAfter()).isEqualTo(Duration.ofSeconds(40));

    Cluster old = cluster(taint.formatted(NOW.minusSeconds(61)));
    ScheduleResult evicted = schedule(spec(tolerating), List.of(THREE.get(0), THREE.get(1), old));
    assertThat(evicted.evictions())
        .extracting(GracefulEvictionTask::fromCluster)
        .containsExactly("europe-1");
    assertThat(replicas(evicted.clusters())).isEqualTo(Map.of("usa-3", 2, "asia-2", 4));
  }

  @Test
  void aNoScheduleTaintKeepsNewBindingsOffButLeavesExistingOnes() {
    Cluster tainted =
        cluster(
            """
            metadata: {name: europe-1}
            spec: {region: eu, taints: [{key: cluster.karmada.io/not-ready, effect: NoSchedule}]}
            status: {resourceSummary: {allocatable: {pods: "30"}}}
            """);
    List<Cluster> clusters = List.of(THREE.get(0), THREE.get(1), tainted);
    assertThat(placed(spec(DYNAMIC), clusters)).isEqualTo(Map.of("usa-3", 2, "asia-2", 4));

    Map<String, Integer> previous = Map.of("usa-3", 1, "asia-2", 2, "europe-1", 3);
    assertThat(placed(withClusters(spec(DYNAMIC), targets(previous)), clusters))
        .isEqualTo(previous);

    ResourceBindingSpec tolerating =
        spec(
            DYNAMIC.replace(
                "placement:\n",
                "placement:\n  clusterTolerations: [{key: cluster.karmada.io/not-ready, operator: Exists}]\n"));
    assertThat(placed(tolerating, clusters)).containsKey("europe-1");
  }

  @Test
  void noFittingClusterSaysWhyPerCluster() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 2
            placement:
              clusterAffinity: {clusterNames: [usa-3, asia-2]}
            """);
    Cluster tainted =
        cluster(
            """
            metadata: {name: usa-3}
            spec: {taints: [{key: cluster.karmada.io/unreachable, effect: NoSchedule}]}
            """);

    ScheduleResult result = schedule(spec, List.of(tainted, THREE.get(2)));

    assertThat(result.scheduled()).isFalse();
    assertThat(result.reason()).isEqualTo("NoClusterFit");
    assertThat(result.message())
        .isEqualTo(
            "0/2 clusters are available: 1 cluster(s) did not match the placement cluster affinity"
                + " constraint, 1 cluster(s) had untolerated taint"
                + " {cluster.karmada.io/unreachable:NoSchedule}.");
    assertThat(schedule(spec, List.of()).message())
        .isEqualTo("0/0 clusters are available: no cluster exists.");
  }

  @Test
  void dynamicWeightsBeyondEveryClustersRoomAreUnschedulable() {
    ScheduleResult result = schedule(withReplicas(spec(DYNAMIC), 61), THREE);
    assertThat(result.scheduled()).isFalse();
    assertThat(result.reason()).isEqualTo("Unschedulable");
    assertThat(result.message())
        .isEqualTo("Clusters available replicas 60 are not enough to schedule.");
  }

  @Test
  void dynamicWeightsDivideByWhatTheTemplatesRequestsLeaveRoomFor() {
    List<Cluster> clusters =
        List.of(
            cluster(
                """
                metadata: {name: small}
                status: {resourceSummary: {allocatable: {pods: "110", cpu: "4", memory: 8Gi}, allocated: {pods: "10", cpu: "3", memory: 1Gi}}}
                """),
            cluster(
                """
                metadata: {name: big}
                status: {resourceSummary: {allocatable: {pods: "110", cpu: "8", memory: 8Gi}, allocated: {cpu: 500m}}}
                """));
    ResourceBindingSpec spec =
        spec(
            DYNAMIC.replace("replicas: 6", "replicas: 17")
                + "replicaRequirements: {resourceRequest: {cpu: 500m, memory: 256Mi}}\n");
    // small: 1 CPU left = 2 replicas; big: 7.5 CPU left = 15 replicas.
    assertThat(placed(spec, clusters)).isEqualTo(Map.of("small", 2, "big", 15));
  }

  @Test
  void aggregatedUsesTheFewestClustersByRoom() {
    String aggregated =
        """
        resource: {kind: Deployment, name: web}
        replicas: %d
        placement:
          replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}
        """;
    List<Cluster> clusters =
        List.of(cluster("a", "r", 5), cluster("b", "r", 10), cluster("c", "r", 3));
    assertThat(placed(spec(aggregated.formatted(8)), clusters)).isEqualTo(Map.of("b", 8));
    assertThat(placed(spec(aggregated.formatted(12)), clusters)).isEqualTo(Map.of("b", 8, "a", 4));
    // Scaling up on top of b keeps b first even when another cluster now has more room.
    ResourceBindingSpec grown =
        withClusters(spec(aggregated.formatted(10)), targets(Map.of("b", 8)));
    List<Cluster> roomier =
        List.of(cluster("a", "r", 50), cluster("b", "r", 2), cluster("c", "r", 3));
    assertThat(placed(grown, roomier)).isEqualTo(Map.of("b", 10));
  }

  @Test
  void duplicatedGivesEveryClusterAllReplicas() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 3
            placement:
              clusterAffinity: {exclude: [asia-2]}
              replicaScheduling: {replicaSchedulingType: Duplicated}
            """);
    assertThat(placed(spec, THREE)).isEqualTo(Map.of("usa-3", 3, "europe-1", 3));
  }

  @Test
  void templatesWithoutReplicasGoToEveryClusterWithoutReplicas() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {apiVersion: v1, kind: ConfigMap, namespace: default, name: settings}
            placement:
              clusterAffinity: {fieldSelector: {matchExpressions: [{key: region, operator: NotIn, values: [asia]}]}}
              replicaScheduling: {replicaSchedulingType: Divided}
            """);
    ScheduleResult result = schedule(spec, THREE);
    assertThat(result.clusters())
        .containsExactly(
            new TargetCluster("europe-1", null, null), new TargetCluster("usa-3", null, null));
  }

  @Test
  void aClusterSpreadConstraintKeepsTheBestClustersWithinItsGroups() {
    String spread =
        """
        resource: {kind: Deployment, name: web}
        replicas: 2
        placement:
          spreadConstraints: [{spreadByField: cluster, minGroups: %d, maxGroups: %d}]
        """;
    // Duplicated: the clusters with the most room first.
    assertThat(placed(spec(spread.formatted(1, 2)), THREE)).containsOnlyKeys("europe-1", "asia-2");

    ScheduleResult tooFew = schedule(spec(spread.formatted(4, 4)), THREE);
    assertThat(tooFew.reason()).isEqualTo("NoClusterFit");
    assertThat(tooFew.message())
        .isEqualTo(
            "the number of feasible clusters (3) is less than spreadConstraint.MinGroups (4)");
  }

  @Test
  void aDividedClusterSpreadSwapsInClustersWithRoomForTheReplicas() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 40
            placement:
              clusterAffinity: {clusterNames: [m1, m2, m3]}
              spreadConstraints: [{spreadByField: cluster, minGroups: 2, maxGroups: 2}]
              replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}
            clusters: [{name: m1, replicas: 1}, {name: m2, replicas: 1}]
            """);
    // m1 and m2 score 100 (already used) but hold 31 + 1 replicas; m3 takes m2's place.
    List<Cluster> clusters =
        List.of(cluster("m1", "r", 30), cluster("m2", "r", 0), cluster("m3", "r", 60));
    Map<String, Integer> result = placed(withReplicas(spec, 40), clusters);
    assertThat(result).containsOnlyKeys("m1", "m3");
    assertThat(result.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
  }

  @Test
  void aRegionSpreadConstraintTakesTheBestClusterOfEachRegion() {
    List<Cluster> clusters =
        List.of(
            cluster("us-1", "us", 5),
            cluster("us-2", "us", 50),
            cluster("eu-1", "eu", 10),
            cluster("asia-1", "asia", 10));
    String spread =
        """
        resource: {kind: Deployment, name: web}
        replicas: 3
        placement:
          spreadConstraints:
            - {spreadByField: region, minGroups: %d, maxGroups: 3}
            - {spreadByField: cluster, minGroups: 3, maxGroups: 3}
        """;
    assertThat(placed(spec(spread.formatted(3)), clusters))
        .containsOnlyKeys("us-2", "eu-1", "asia-1");

    ScheduleResult tooFew = schedule(spec(spread.formatted(4)), clusters);
    assertThat(tooFew.reason()).isEqualTo("NoClusterFit");
    assertThat(tooFew.message())
        .isEqualTo(
            "the number of feasible regions (3) is less than spreadConstraint.MinGroups (4)");
  }

  @Test
  void aRegionSpreadPicksTheRegionsThatHoldEnoughClusters() {
    List<Cluster> clusters =
        List.of(
            cluster("us-1", "us", 5),
            cluster("us-2", "us", 5),
            cluster("eu-1", "eu", 10),
            cluster("asia-1", "asia", 10));
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 3
            placement:
              spreadConstraints:
                - {spreadByField: region, minGroups: 1, maxGroups: 1}
                - {spreadByField: cluster, minGroups: 2, maxGroups: 2}
            """);
    // Only us has two clusters.
    assertThat(placed(spec, clusters)).containsOnlyKeys("us-1", "us-2");
  }

  @Test
  void twoGroupLevelSpreadConstraintsAreRefusedNotIgnored() {
    ResourceBindingSpec spec =
        spec(
            """
            resource: {kind: Deployment, name: web}
            replicas: 3
            placement:
              spreadConstraints:
                - {spreadByField: region, minGroups: 1}
                - {spreadByField: zone, minGroups: 1}
                - {spreadByField: cluster, minGroups: 1}
            """);
    ScheduleResult result = schedule(spec, THREE);
    assertThat(result.scheduled()).isFalse();
    assertThat(result.reason()).isEqualTo("NoClusterFit");
    assertThat(result.message()).contains("region and zone");
  }
}
