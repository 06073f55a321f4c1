package io.nauta.scheduler.plugins.interpodaffinity;

import static io.nauta.scheduler.plugins.Fixtures.HOSTNAME;
import static io.nauta.scheduler.plugins.Fixtures.ZONE;
import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static io.nauta.scheduler.plugins.Fixtures.podAffinity;
import static io.nauta.scheduler.plugins.Fixtures.podTerm;
import static io.nauta.scheduler.plugins.Fixtures.rawScores;
import static io.nauta.scheduler.plugins.Fixtures.requiredPodAffinity;
import static io.nauta.scheduler.plugins.Fixtures.requiredPodAntiAffinity;
import static io.nauta.scheduler.plugins.Fixtures.scores;
import static io.nauta.scheduler.plugins.Fixtures.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.Fixtures.PodFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterPodAffinityTest {

  private static final Status AFFINITY =
      Status.unschedulableAndUnresolvable("node(s) didn't match pod affinity rules");
  private static final Status ANTI =
      Status.unschedulable("node(s) didn't match pod anti-affinity rules");
  private static final Status EXISTING =
      Status.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
  private static final Status OK = Status.success();

  private final InterPodAffinity plugin = new InterPodAffinity();

  /**
   * Zone a: a1 (runs db), a2. Zone b: b1 (runs other). "bare" has no zone label. Optional extra
   * pods go on b1.
   */
  private static List<NodeInfo> cluster(PodInfo... onB1) {
    PodInfo[] b1Pods = new PodInfo[onB1.length + 1];
    b1Pods[0] = pod("other").label("app", "other").info();
    System.arraycopy(onB1, 0, b1Pods, 1, onB1.length);
    return List.of(
        node("a1").zone("a").info(pod("db").label("app", "db").info()),
        node("a2").zone("a").info(),
        node("b1").zone("b").info(b1Pods),
        node("bare").info());
  }

  private static Status[] expect(Status a1, Status a2, Status b1, Status bare) {
    return new Status[] {a1, a2, b1, bare};
  }

  private static PodAffinityTerm inNamespaces(PodAffinityTerm term, String... namespaces) {
    return new PodAffinityTermBuilder(term).withNamespaces(namespaces).build();
  }

  private static PodAffinityTerm allNamespaces(PodAffinityTerm term) {
    return new PodAffinityTermBuilder(term).withNamespaceSelector(new LabelSelector()).build();
  }

  static Stream<Arguments> filterCases() {
    PodInfo dbInOtherNamespace = pod("db2").namespace("other").label("app", "cache").info();
    return Stream.of(
        Arguments.of(
            "a pod without affinity goes anywhere", cluster(), pod("web"), expect(OK, OK, OK, OK)),
        Arguments.of(
            "affinity on the hostname keeps the pod with its peer's node",
            cluster(),
            pod("web").affinity(requiredPodAffinity(podTerm(HOSTNAME, "app", "db"))),
            expect(OK, AFFINITY, AFFINITY, AFFINITY)),
        Arguments.of(
            "affinity on the zone allows every node of the peer's zone",
            cluster(),
            pod("web").affinity(requiredPodAffinity(podTerm(ZONE, "app", "db"))),
            expect(OK, OK, AFFINITY, AFFINITY)),
        Arguments.of(
            "all affinity terms must be satisfied by the same pods",
            cluster(),
            pod("web")
                .affinity(
                    requiredPodAffinity(
                        podTerm(ZONE, "app", "db"), podTerm(HOSTNAME, "app", "other"))),
            expect(AFFINITY, AFFINITY, AFFINITY, AFFINITY)),
        Arguments.of(
            "the first pod of a group with affinity to itself may start anywhere labelled",
            cluster(),
            pod("web")
                .label("app", "web")
                .affinity(requiredPodAffinity(podTerm(ZONE, "app", "web"))),
            expect(OK, OK, OK, AFFINITY)),
        Arguments.of(
            "a pod whose affinity nobody matches and that does not match it itself stays pending",
            cluster(),
            pod("web")
                .label("app", "web")
                .affinity(requiredPodAffinity(podTerm(ZONE, "app", "cache"))),
            expect(AFFINITY, AFFINITY, AFFINITY, AFFINITY)),
        Arguments.of(
            "the first-pod exception ends once any pod matches",
            cluster(pod("web-0").label("app", "web").info()),
            pod("web-1")
                .label("app", "web")
                .affinity(requiredPodAffinity(podTerm(ZONE, "app", "web"))),
            expect(AFFINITY, AFFINITY, OK, AFFINITY)),
        Arguments.of(
            "affinity looks only in the pod's own namespace by default",
            cluster(dbInOtherNamespace),
            pod("web").affinity(requiredPodAffinity(podTerm(ZONE, "app", "cache"))),
            expect(AFFINITY, AFFINITY, AFFINITY, AFFINITY)),
        Arguments.of(
            "affinity looks in the namespaces the term lists",
            cluster(dbInOtherNamespace),
            pod("web")
                .affinity(
                    requiredPodAffinity(inNamespaces(podTerm(ZONE, "app", "cache"), "other"))),
            expect(AFFINITY, AFFINITY, OK, AFFINITY)),
        Arguments.of(
            "an empty namespace selector looks in every namespace",
            cluster(dbInOtherNamespace),
            pod("web").affinity(requiredPodAffinity(allNamespaces(podTerm(ZONE, "app", "cache")))),
            expect(AFFINITY, AFFINITY, OK, AFFINITY)),
        Arguments.of(
            "anti-affinity on the hostname avoids the peer's node",
            cluster(),
            pod("web").affinity(requiredPodAntiAffinity(podTerm(HOSTNAME, "app", "db"))),
            expect(ANTI, OK, OK, OK)),
        Arguments.of(
            "anti-affinity on the zone avoids the peer's zone; nodes without the label are fine",
            cluster(),
            pod("web").affinity(requiredPodAntiAffinity(podTerm(ZONE, "app", "db"))),
            expect(ANTI, ANTI, OK, OK)),
        Arguments.of(
            "anti-affinity to its own kind spreads replicas one per zone",
            cluster(pod("web-0").label("app", "web").info()),
            pod("web-1")
                .label("app", "web")
                .affinity(requiredPodAntiAffinity(podTerm(ZONE, "app", "web"))),
            expect(OK, OK, ANTI, OK)),
        Arguments.of(
            "an existing pod's anti-affinity keeps matching pods out of its zone",
            cluster(
                pod("loner").affinity(requiredPodAntiAffinity(podTerm(ZONE, "app", "web"))).info()),
            pod("web").label("app", "web"),
            expect(OK, OK, EXISTING, OK)),
        Arguments.of(
            "an existing pod's anti-affinity does not concern pods it does not select",
            cluster(
                pod("loner").affinity(requiredPodAntiAffinity(podTerm(ZONE, "app", "web"))).info()),
            pod("api").label("app", "api"),
            expect(OK, OK, OK, OK)),
        Arguments.of(
            "an existing pod's anti-affinity looks in its own namespace",
            cluster(
                pod("loner")
                    .namespace("other")
                    .affinity(requiredPodAntiAffinity(podTerm(HOSTNAME, "app", "web")))
                    .info()),
            pod("web").label("app", "web"),
            expect(OK, OK, OK, OK)),
        Arguments.of(
            "affinity is checked before anti-affinity",
            cluster(),
            pod("web")
                .affinity(
                    podAffinity(
                        List.of(podTerm(HOSTNAME, "app", "db")),
                        List.of(podTerm(ZONE, "app", "db")),
                        List.of(),
                        List.of())),
            expect(ANTI, AFFINITY, AFFINITY, AFFINITY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void enforcesRequiredAffinityAndAntiAffinity(
      String description, List<NodeInfo> cluster, PodFixture pod, Status[] expected) {
    PodInfo p = pod.info();
    Status[] actual =
        cluster.stream().map(n -> filter(plugin, p, n, cluster)).toArray(Status[]::new);
    assertThat(actual).containsExactly(expected);
  }

  @Test
  void anInvalidSelectorIsAnError() {
    PodAffinityTerm bad =
        new PodAffinityTermBuilder()
            .withTopologyKey(ZONE)
            .withNewLabelSelector()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("Near")
            .endMatchExpression()
            .endLabelSelector()
            .build();
    PodInfo pod = pod("web").affinity(requiredPodAffinity(bad)).info();
    List<NodeInfo> cluster = cluster();
    assertThat(filter(plugin, pod, cluster.get(0), cluster).code()).isEqualTo(Status.Code.ERROR);
  }

  static Stream<Arguments> scoreCases() {
    return Stream.of(
        Arguments.of(
            "without any affinity terms every node scores 0",
            cluster(),
            pod("web"),
            new long[] {0, 0, 0, 0},
            new long[] {0, 0, 0, 0}),
        Arguments.of(
            "preferred affinity raises the peer's zone",
            cluster(),
            pod("web")
                .affinity(
                    podAffinity(
                        List.of(),
                        List.of(),
                        List.of(weighted(10, podTerm(ZONE, "app", "db"))),
                        List.of())),
            new long[] {10, 10, 0, 0},
            new long[] {100, 100, 0, 0}),
        Arguments.of(
            "preferred anti-affinity lowers the peer's zone",
            cluster(),
            pod("web")
                .affinity(
                    podAffinity(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(weighted(10, podTerm(ZONE, "app", "db"))))),
            new long[] {-10, -10, 0, 0},
            new long[] {0, 0, 100, 100}),
        Arguments.of(
            "weights add up over terms and topology keys",
            cluster(),
            pod("web")
                .affinity(
                    podAffinity(
                        List.of(),
                        List.of(),
                        List.of(
                            weighted(10, podTerm(ZONE, "app", "db")),
                            weighted(30, podTerm(HOSTNAME, "app", "db"))),
                        List.of(weighted(20, podTerm(ZONE, "app", "other"))))),
            new long[] {40, 10, -20, 0},
            new long[] {100, 50, 0, 33}),
        Arguments.of(
            "an existing pod's preferred affinity draws matching pods to its zone",
            cluster(
                pod("cache")
                    .affinity(
                        podAffinity(
                            List.of(),
                            List.of(),
                            List.of(weighted(50, podTerm(ZONE, "app", "web"))),
                            List.of()))
                    .info()),
            pod("web").label("app", "web"),
            new long[] {0, 0, 50, 0},
            new long[] {0, 0, 100, 0}),
        Arguments.of(
            "an existing pod's preferred anti-affinity pushes matching pods away",
            cluster(
                pod("cache")
                    .affinity(
                        podAffinity(
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(weighted(50, podTerm(HOSTNAME, "app", "web")))))
                    .info()),
            pod("web").label("app", "web"),
            new long[] {0, 0, -50, 0},
            new long[] {100, 100, 0, 100}),
        Arguments.of(
            "an existing pod's required affinity counts with weight 1",
            cluster(pod("cache").affinity(requiredPodAffinity(podTerm(ZONE, "app", "web"))).info()),
            pod("web").label("app", "web"),
            new long[] {0, 0, 1, 0},
            new long[] {0, 0, 100, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void scoresPreferredTermsPerTopologyDomain(
      String description, List<NodeInfo> cluster, PodFixture pod, long[] raw, long[] normalized) {
    PodInfo p = pod.info();
    assertThat(rawScores(plugin, p, cluster)).containsExactly(raw);
    assertThat(scores(plugin, p, cluster)).containsExactly(normalized);
  }

  @Test
  void scoresCountPodsOnNodesThatAreNotFeasible() {
    List<NodeInfo> cluster = cluster();
    PodInfo pod =
        pod("web")
            .affinity(
                podAffinity(
                    List.of(),
                    List.of(),
                    List.of(weighted(10, podTerm(ZONE, "app", "db"))),
                    List.of()))
            .info();
    // a1, where db runs, is not feasible; a2 shares its zone.
    assertThat(scores(plugin, pod, cluster.subList(1, 3), cluster)).containsExactly(100, 0);
  }
}
