package io.nauta.scheduler.plugins.spreading;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.scheduler.cache.SchedulerCache;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-node sibling counts the scheduler cache keeps for spreading give the scores that scanning
 * every pod of every node gave (the plugin's former way): on a seeded random cluster whose pods
 * come and go through the cache as the informer and the scheduler move them (bound, assumed,
 * forgotten, confirmed, being deleted, finished, deleted).
 */
class SelectorSpreadCountsTest {

  private static final List<String> NAMESPACES = List.of("a", "b");
  private static final List<String> OWNERS = List.of("rs-1", "rs-2", "rs-3", "rs-4");

  private final SelectorSpread plugin = new SelectorSpread();

  @Test
  void countsKeptByTheCacheScoreAsScanningEveryPodDid() {
    for (long seed = 1; seed <= 20; seed++) {
      checkCluster(new Random(seed), seed);
    }
  }

  private void checkCluster(Random random, long seed) {
    SchedulerCache cache = new SchedulerCache(Duration.ofSeconds(30));
    int nodeCount = 3 + random.nextInt(20);
    for (int i = 0; i < nodeCount; i++) {
      cache.addOrUpdateNode(node("n" + i, random.nextInt(3) == 0 ? null : "z" + random.nextInt(3)));
    }
    // uid -> the pod as the cache last heard of it (bound, or assumed while bound is null).
    Map<String, Pod> live = new HashMap<>();
    List<String> assumed = new ArrayList<>();
    int next = 0;
    for (int step = 0; step < 400; step++) {
      int op = random.nextInt(8);
      List<String> uids = new ArrayList<>(live.keySet());
      String any = uids.isEmpty() ? null : uids.get(random.nextInt(uids.size()));
      switch (op) {
        case 0, 1 -> {
          Pod pod = randomPod(random, "p" + next++, "n" + random.nextInt(nodeCount));
          cache.addOrUpdatePod(pod);
          live.put(uid(pod), pod);
        }
        case 2 -> {
          Pod pod = randomPod(random, "p" + next++, null);
          cache.assume(PodInfo.of(pod), "n" + random.nextInt(nodeCount));
          live.put(uid(pod), pod);
          assumed.add(uid(pod));
        }
        case 3 -> {
          if (!assumed.isEmpty()) {
            // The binding failed, or the informer confirmed it on the node it was assumed on.
            String uid = assumed.remove(random.nextInt(assumed.size()));
            if (random.nextBoolean()) {
              cache.forget(uid);
              live.remove(uid);
            } else {
              String nodeName = nodeOf(cache, uid);
              cache.finishBinding(uid);
              Pod bound =
                  new PodBuilder(live.get(uid)).editSpec().withNodeName(nodeName).endSpec().build();
              cache.addOrUpdatePod(bound);
              live.put(uid, bound);
            }
          }
        }
        case 4 -> {
          if (any != null && !assumed.contains(any)) {
            Pod deleting =
                new PodBuilder(live.get(any))
                    .editMetadata()
                    .withDeletionTimestamp("2026-01-01T00:00:00Z")
                    .endMetadata()
                    .build();
            cache.addOrUpdatePod(deleting);
            live.put(any, deleting);
          }
        }
        case 5 -> {
          if (any != null && !assumed.contains(any)) {
            cache.removePod(any);
            live.remove(any);
          }
        }
        case 6 -> {
          if (any != null && !assumed.contains(any)) {
            Pod done =
                new PodBuilder(live.get(any))
                    .withNewStatus()
                    .withPhase("Succeeded")
                    .endStatus()
                    .build();
            cache.addOrUpdatePod(done);
            live.remove(any);
          }
        }
        default -> {
          Pod pending = randomPod(random, "pending" + step, null);
          compareScores(cache, PodInfo.of(pending), random, "seed " + seed + " step " + step);
        }
      }
    }
  }

  private void compareScores(SchedulerCache cache, PodInfo pod, Random random, String where) {
    cache.withSnapshot(
        snapshot -> {
          List<NodeInfo> feasible = new ArrayList<>();
          for (NodeInfo n : snapshot.nodes()) {
            if (random.nextInt(4) != 0) {
              feasible.add(n);
            }
          }
          long[] expected = scannedScores(pod, feasible);
          assertThat(scores(pod, feasible, snapshot)).as(where).containsExactly(expected);
          return null;
        });
  }

  private long[] scores(PodInfo pod, List<NodeInfo> feasible, ClusterSnapshot snapshot) {
    CycleState state = new CycleState();
    plugin.preScore(state, pod, feasible, snapshot);
    long[] scores = new long[feasible.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = plugin.score(state, pod, feasible.get(i));
    }
    plugin.normalize(state, pod, feasible, scores);
    return scores;
  }

  /** The former plugin: scan every pod of every feasible node for live siblings. */
  private long[] scannedScores(PodInfo pod, List<NodeInfo> feasible) {
    long[] raw = new long[feasible.size()];
    String owner = pod.controllerUid();
    if (owner != null) {
      for (int i = 0; i < raw.length; i++) {
        for (PodInfo other : feasible.get(i).pods()) {
          if (owner.equals(other.controllerUid())
              && pod.namespace().equals(other.namespace())
              && other.pod().getMetadata().getDeletionTimestamp() == null) {
            raw[i]++;
          }
        }
      }
    }
    plugin.normalize(new CycleState(), pod, feasible, raw);
    return raw;
  }

  private static String nodeOf(SchedulerCache cache, String uid) {
    return cache.withSnapshot(
        s -> s.nodes().stream().filter(n -> n.hasPod(uid)).findFirst().orElseThrow().name());
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }

  private static Pod randomPod(Random random, String name, String nodeName) {
    String namespace = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withUid("uid-" + namespace + "-" + name)
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName)
            .endSpec();
    if (random.nextInt(5) != 0) {
      String owner = OWNERS.get(random.nextInt(OWNERS.size()));
      b.editMetadata()
          .addNewOwnerReference()
          .withApiVersion("apps/v1")
          .withKind("ReplicaSet")
          .withName(owner)
          .withUid(owner)
          // Now and then an owner that is not the controller: it must not count.
          .withController(random.nextInt(6) != 0)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  private static Node node(String name, String zone) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    if (zone != null) {
      b.editMetadata().addToLabels(SelectorSpread.ZONE, zone).endMetadata();
    }
    return b.build();
  }
}
