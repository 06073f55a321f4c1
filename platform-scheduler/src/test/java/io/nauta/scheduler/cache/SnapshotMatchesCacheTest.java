package io.nauta.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.plugins.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a cycle reads from the cache's snapshot, which copies only the nodes changed since the last
 * cycle and keeps its lists of nodes holding affinity pods, equals what the former way gave: the
 * cache's nodes read directly, the lists by filtering every node, a node's readiness by walking its
 * conditions. On seeded random clusters whose nodes come, change (readiness, cordon, deletion) and
 * go, and whose pods (some with pod affinity or anti-affinity) are bound, assumed, forgotten,
 * confirmed, expired, finished and deleted, with cycles in between.
 */
class SnapshotMatchesCacheTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  @Test
  void theSnapshotAndItsListsEqualAFullScanOfTheCache() {
    for (long seed = 1; seed <= 30; seed++) {
      checkCluster(new Random(seed), "seed " + seed);
    }
  }

  private void checkCluster(Random random, String seed) {
    AtomicLong now = new AtomicLong();
    SchedulerCache cache = new SchedulerCache(TTL, now::get);
    // The expected state, kept by this test: the Node objects, and each pod's node.
    Map<String, Node> nodes = new TreeMap<>();
    Map<String, PodInfo> podInfos = new HashMap<>();
    Map<String, String> podNodes = new HashMap<>();
    List<String> assumed = new ArrayList<>();
    int nodeNames = 4 + random.nextInt(12);
    int next = 0;
    for (int step = 0; step < 500; step++) {
      String nodeName = "n" + random.nextInt(nodeNames);
      List<String> uids = new ArrayList<>(podNodes.keySet());
      String anyPod = uids.isEmpty() ? null : uids.get(random.nextInt(uids.size()));
      switch (random.nextInt(12)) {
        case 0, 1 -> {
          Node node = randomNode(random, nodeName);
          cache.addOrUpdateNode(node);
          nodes.put(nodeName, node);
        }
        case 2 -> {
          cache.removeNode(nodeName);
          nodes.remove(nodeName);
        }
        case 3, 4 -> {
          Pod pod = randomPod(random, "p" + next++);
          pod.getSpec().setNodeName(nodeName);
          cache.addOrUpdatePod(pod);
          put(podInfos, podNodes, PodInfo.of(pod), nodeName);
        }
        case 5, 6 -> {
          PodInfo pod = PodInfo.of(randomPod(random, "p" + next++));
          cache.assume(pod, nodeName);
          put(podInfos, podNodes, pod, nodeName);
          assumed.add(pod.uid());
        }
        case 7 -> {
          if (!assumed.isEmpty()) {
            String uid = assumed.remove(random.nextInt(assumed.size()));
            if (random.nextBoolean()) {
              cache.forget(uid);
              podNodes.remove(uid);
            } else {
              // The informer shows it bound where it was assumed.
              Pod bound = podInfos.get(uid).pod();
              bound.getSpec().setNodeName(podNodes.get(uid));
              cache.addOrUpdatePod(bound);
            }
          }
        }
        case 8 -> {
          if (anyPod != null) {
            cache.removePod(anyPod);
            podNodes.remove(anyPod);
            assumed.remove(anyPod);
          }
        }
        case 9 -> {
          if (random.nextInt(4) == 0) {
            // Every assumption expires: its binding timed out and the TTL passed.
            now.addAndGet(SchedulerCache.BINDING_TIMEOUT.plus(TTL).plusSeconds(1).toNanos());
            assertThat(cache.expireAssumed()).as(seed).isEqualTo(assumed.size());
            assumed.forEach(podNodes::remove);
            assumed.clear();
          }
        }
        default -> {
          String where = seed + " step " + step;
          cache.withSnapshot(s -> compare(s, nodes, podInfos, podNodes, where));
        }
      }
    }
  }

  private static Void compare(
      ClusterSnapshot snapshot,
      Map<String, Node> nodes,
      Map<String, PodInfo> podInfos,
      Map<String, String> podNodes,
      String where) {
    assertThat(snapshot.nodes().stream().map(NodeInfo::name).toList())
        .as(where)
        .containsExactlyElementsOf(nodes.keySet());
    for (NodeInfo info : snapshot.nodes()) {
      String at = where + " node " + info.name();
      assertThat(snapshot.get(info.name())).as(at).isSameAs(info);
      Node node = nodes.get(info.name());
      assertThat(info.node()).as(at).isSameAs(node);
      // Readiness as NodeReady worked it out before: walking the conditions.
      assertThat(info.readyCondition()).as(at).isEqualTo(walkConditions(node));
      assertThat(info.unschedulable())
          .as(at)
          .isEqualTo(Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
      assertThat(info.beingDeleted())
          .as(at)
          .isEqualTo(node.getMetadata().getDeletionTimestamp() != null);
      TreeSet<String> expectedPods = new TreeSet<>();
      long cpu = 0;
      for (Map.Entry<String, String> e : podNodes.entrySet()) {
        if (e.getValue().equals(info.name())) {
          expectedPods.add(e.getKey());
          cpu += podInfos.get(e.getKey()).requests().milliCpu();
        }
      }
      assertThat(new TreeSet<>(info.pods().stream().map(PodInfo::uid).toList()))
          .as(at)
          .isEqualTo(expectedPods);
      assertThat(info.requested().milliCpu()).as(at).isEqualTo(cpu);
      assertThat(info.podsWithAffinity())
          .as(at)
          .isEqualTo(info.pods().stream().filter(PodInfo::hasPodAffinityTerms).count());
    }
    // The lists the snapshot keeps, against filtering every node (ClusterSnapshot's defaults).
    ClusterSnapshot scanned = ClusterSnapshot.of(snapshot.nodes());
    assertThat(snapshot.nodesWithAffinityPods())
        .as(where)
        .containsExactlyElementsOf(scanned.nodesWithAffinityPods());
    assertThat(snapshot.nodesWithRequiredAntiAffinityPods())
        .as(where)
        .containsExactlyElementsOf(scanned.nodesWithRequiredAntiAffinityPods());
    return null;
  }

  private static void put(
      Map<String, PodInfo> podInfos, Map<String, String> podNodes, PodInfo pod, String node) {
    podInfos.put(pod.uid(), pod);
    podNodes.put(pod.uid(), node);
  }

  /** NodeReady's former per-pod walk over the node's conditions. */
  private static String walkConditions(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return c.getStatus() == null ? "" : c.getStatus();
      }
    }
    return null;
  }

  private static Node randomNode(Random random, String name) {
    Fixtures.NodeFixture node = Fixtures.node(name).cpuMemory("8", "16Gi");
    node.zone("z" + random.nextInt(3));
    switch (random.nextInt(4)) {
      case 0 -> node.ready("False");
      case 1 -> node.ready("Unknown");
      case 2 -> node.ready("True");
      default -> {}
    }
    if (random.nextInt(5) == 0) {
      node.unschedulable();
    }
    if (random.nextInt(8) == 0) {
      node.deleting();
    }
    return node.build();
  }

  private static Pod randomPod(Random random, String name) {
    Fixtures.PodFixture pod =
        Fixtures.pod(name)
            .label("app", "a" + random.nextInt(3))
            .container("cpu", (100 * (1 + random.nextInt(5))) + "m");
    switch (random.nextInt(6)) {
      case 0 ->
          pod.affinity(
              Fixtures.requiredPodAntiAffinity(Fixtures.podTerm(Fixtures.HOSTNAME, "app", "a0")));
      case 1 ->
          pod.affinity(Fixtures.requiredPodAffinity(Fixtures.podTerm(Fixtures.ZONE, "app", "a1")));
      case 2 ->
          pod.affinity(
              Fixtures.podAffinity(
                  List.of(),
                  List.of(),
                  List.of(),
                  List.of(Fixtures.weighted(10, Fixtures.podTerm(Fixtures.ZONE, "app", "a2")))));
      default -> {}
    }
    if (random.nextInt(3) == 0) {
      pod.owner("rs-" + random.nextInt(2));
    }
    return pod.build();
  }
}
