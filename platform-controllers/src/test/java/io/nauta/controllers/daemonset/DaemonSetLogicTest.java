package io.nauta.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node eligibility and rolling-update plans, table by table, as upstream decides them. */
class DaemonSetLogicTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private static DaemonSet ds(
      Map<String, String> nodeSelector, String maxUnavailable, String maxSurge) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName("agent")
        .withNamespace("default")
        .withUid("uid-1")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "agent")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "agent")
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(nodeSelector)
        .addNewContainer()
        .withName("agent")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(intOrString(maxUnavailable))
        .withMaxSurge(intOrString(maxSurge))
        .endRollingUpdate()
        .endUpdateStrategy()
        .endSpec()
        .build();
  }

  private static IntOrString intOrString(String v) {
    return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
  }

  private static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints)
        .endSpec()
        .build();
  }

  private static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withEffect(effect).build();
  }

  @Test
  void eligibilityFollowsSelectorsAndTaintsWithTheAutomaticTolerations() {
    DaemonSet plain = ds(null, "1", "0");
    DaemonSet ssd = ds(Map.of("disk", "ssd"), "1", "0");
    record Case(String name, Node node, DaemonSet ds, boolean run, boolean stay) {}
    List<Case> cases =
        List.of(
            new Case("plain node", node("n", Map.of()), plain, true, true),
            new Case("selector matches", node("n", Map.of("disk", "ssd")), ssd, true, true),
            new Case("selector does not", node("n", Map.of("disk", "hdd")), ssd, false, false),
            new Case(
                "untolerated NoSchedule: none new, the old stays",
                node("n", Map.of(), taint("dedicated", "NoSchedule")),
                plain,
                false,
                true),
            new Case(
                "untolerated NoExecute: the pod goes",
                node("n", Map.of(), taint("dedicated", "NoExecute")),
                plain,
                false,
                false),
            new Case(
                "not-ready NoExecute is tolerated",
                node("n", Map.of(), taint("node.kubernetes.io/not-ready", "NoExecute")),
                plain,
                true,
                true),
            new Case(
                "cordoned is tolerated",
                node("n", Map.of(), taint("node.kubernetes.io/unschedulable", "NoSchedule")),
                plain,
                true,
                true),
            new Case(
                "network-unavailable only with hostNetwork",
                node("n", Map.of(), taint("node.kubernetes.io/network-unavailable", "NoSchedule")),
                plain,
                false,
                true),
            new Case(
                "PreferNoSchedule does not count",
                node("n", Map.of(), taint("x", "PreferNoSchedule")),
                plain,
                true,
                true));
    for (Case c : cases) {
      NodeEligibility e = NodeEligibility.of(c.node(), c.ds());
      assertThat(e.shouldRun()).as(c.name()).isEqualTo(c.run());
      assertThat(e.shouldContinueRunning()).as(c.name()).isEqualTo(c.stay());
    }
  }

  private static Pod pod(String name, String node, String hash, boolean ready, boolean deleting) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withCreationTimestamp("2026-12-05T11:00:00Z")
        .withDeletionTimestamp(deleting ? "2026-12-05T11:59:00Z" : null)
        .addToLabels("app", "agent")
        .addToLabels(DaemonPods.HASH_LABEL, hash)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .withLastTransitionTime("2026-12-05T11:00:00Z")
        .endCondition()
        .endStatus()
        .build();
  }

  private static List<Node> nodes(int n) {
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(node("n" + i, Map.of()));
    }
    return out;
  }

  private static Map<String, List<Pod>> onNodes(Pod... pods) {
    Map<String, List<Pod>> byNode = new HashMap<>();
    for (Pod p : pods) {
      byNode.computeIfAbsent(p.getSpec().getNodeName(), k -> new ArrayList<>()).add(p);
    }
    return byNode;
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void withoutSurgeOldPodsGoWithinMaxUnavailable() {
    DaemonSet one = ds(null, "1", "0");
    // all old and available: one goes
    var plan =
        RollingUpdate.plan(
            one,
            nodes(4),
            onNodes(
                pod("a", "n0", "old", true, false),
                pod("b", "n1", "old", true, false),
                pod("c", "n2", "old", true, false),
                pod("d", "n3", "old", true, false)),
            "new",
            NOW);
    assertThat(names(plan.delete())).containsExactly("a");
    assertThat(plan.create()).isEmpty();
    // one node between pods (old terminating): nothing more
    plan =
        RollingUpdate.plan(
            one,
            nodes(4),
            onNodes(
                pod("a", "n0", "old", true, true),
                pod("b", "n1", "old", true, false),
                pod("c", "n2", "old", true, false),
                pod("d", "n3", "old", true, false)),
            "new",
            NOW);
    assertThat(plan.delete()).isEmpty();
    // one node with no pod at all (the old one gone, the new one not yet made): nothing more either
    plan =
        RollingUpdate.plan(
            one,
            nodes(4),
            onNodes(
                pod("b", "n1", "old", true, false),
                pod("c", "n2", "old", true, false),
                pod("d", "n3", "old", true, false)),
            "new",
            NOW);
    assertThat(plan.delete()).isEmpty();
    // a new pod not yet ready counts as unavailable
    plan =
        RollingUpdate.plan(
            one,
            nodes(2),
            onNodes(pod("a2", "n0", "new", false, false), pod("b", "n1", "old", true, false)),
            "new",
            NOW);
    assertThat(plan.delete()).isEmpty();
    // an old pod that is down anyway is replaced beyond the budget
    plan =
        RollingUpdate.plan(
            one,
            nodes(3),
            onNodes(
                pod("a2", "n0", "new", false, false),
                pod("b", "n1", "old", false, false),
                pod("c", "n2", "old", true, false)),
            "new",
            NOW);
    assertThat(names(plan.delete())).containsExactly("b");
    // 50% of 4 rounds to 2
    plan =
        RollingUpdate.plan(
            ds(null, "50%", "0"),
            nodes(4),
            onNodes(
                pod("a", "n0", "old", true, false),
                pod("b", "n1", "old", true, false),
                pod("c", "n2", "old", true, false),
                pod("d", "n3", "old", true, false)),
            "new",
            NOW);
    assertThat(plan.delete()).hasSize(2);
  }

  @Test
  void withSurgeANewPodStartsBesideTheOldWhichGoesOnceTheNewIsAvailable() {
    DaemonSet surge = ds(null, "0", "1");
    var plan =
        RollingUpdate.plan(
            surge,
            nodes(2),
            onNodes(pod("a", "n0", "old", true, false), pod("b", "n1", "old", true, false)),
            "new",
            NOW);
    assertThat(plan.create()).containsExactly("n0");
    assertThat(plan.delete()).isEmpty();
    plan =
        RollingUpdate.plan(
            surge,
            nodes(2),
            onNodes(
                pod("a", "n0", "old", true, false),
                pod("a2", "n0", "new", true, false),
                pod("b", "n1", "old", true, false)),
            "new",
            NOW);
    assertThat(names(plan.delete())).containsExactly("a");
    assertThat(plan.create()).containsExactly("n1");
  }

  @Test
  void aPodIsPinnedToItsNodeByNameAndCarriesTheHash() {
    DaemonSet d = ds(null, "1", "0");
    Pod pod = DaemonPods.forNode(d, "n7", "abc");
    assertThat(DaemonPods.targetNode(pod)).isEqualTo("n7");
    assertThat(pod.getMetadata().getLabels()).containsEntry(DaemonPods.HASH_LABEL, "abc");
    assertThat(pod.getMetadata().getGenerateName()).isEqualTo("agent-");
    assertThat(pod.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    // the template is not changed by stamping out pods
    assertThat(d.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(d.getSpec().getTemplate().getSpec().getTolerations()).isNullOrEmpty();
  }

  @Test
  void failedPodsAreReplacedWithADoublingDelay() {
    FailedPodBackoff backoff = new FailedPodBackoff();
    assertThat(backoff.remaining("k", NOW)).isEmpty();
    backoff.next("k", NOW);
    assertThat(backoff.remaining("k", NOW)).contains(java.time.Duration.ofSeconds(1));
    assertThat(backoff.remaining("k", NOW.plusSeconds(1))).isEmpty();
    backoff.next("k", NOW.plusSeconds(1));
    assertThat(backoff.remaining("k", NOW.plusSeconds(1)))
        .contains(java.time.Duration.ofSeconds(2));
    Instant t = NOW;
    for (int i = 0; i < 20; i++) {
      t = t.plusSeconds(1000);
      backoff.next("k", t);
    }
    assertThat(backoff.remaining("k", t)).contains(FailedPodBackoff.MAX);
    assertThat(backoff.remaining("other", t)).isEmpty();
  }
}
