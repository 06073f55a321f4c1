package io.nauta.scheduler.plugins.nodeaffinity;

import static io.nauta.scheduler.plugins.Fixtures.expr;
import static io.nauta.scheduler.plugins.Fixtures.fieldTerm;
import static io.nauta.scheduler.plugins.Fixtures.filter;
import static io.nauta.scheduler.plugins.Fixtures.node;
import static io.nauta.scheduler.plugins.Fixtures.pod;
import static io.nauta.scheduler.plugins.Fixtures.preferredNodeAffinity;
import static io.nauta.scheduler.plugins.Fixtures.rawScores;
import static io.nauta.scheduler.plugins.Fixtures.requiredNodeAffinity;
import static io.nauta.scheduler.plugins.Fixtures.scores;
import static io.nauta.scheduler.plugins.Fixtures.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
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

class NodeAffinityTest {

  private static final Status MISMATCH =
      Status.unschedulableAndUnresolvable("node(s) didn't match Pod's node affinity/selector");

  private final NodeAffinity plugin = new NodeAffinity();

  /** node "n1" with disk=ssd, cores=8, zone=a. */
  private static NodeInfo ssdNode() {
    return node("n1").label("disk", "ssd").label("cores", "8").zone("a").info();
  }

  private static Arguments required(
      String description, Status expected, NodeSelectorTerm... terms) {
    return Arguments.of(description, pod("p").affinity(requiredNodeAffinity(terms)), expected);
  }

  static Stream<Arguments> filterCases() {
    Status ok = Status.success();
    return Stream.of(
        Arguments.of("a pod without selector or affinity fits", pod("p"), ok),
        Arguments.of("a matching node selector fits", pod("p").nodeSelector("disk", "ssd"), ok),
        Arguments.of(
            "a node selector with another value does not",
            pod("p").nodeSelector("disk", "hdd"),
            MISMATCH),
        Arguments.of(
            "a node selector on a missing label does not",
            pod("p").nodeSelector("gpu", "yes"),
            MISMATCH),
        Arguments.of(
            "every node selector label must match",
            pod("p").nodeSelector("disk", "ssd").nodeSelector("cores", "4"),
            MISMATCH),
        required("In matches one of the values", ok, term(expr("disk", "In", "hdd", "ssd"))),
        required("In without the value fails", MISMATCH, term(expr("disk", "In", "hdd"))),
        required("In on a missing label fails", MISMATCH, term(expr("gpu", "In", "yes"))),
        required("NotIn passes for other values", ok, term(expr("disk", "NotIn", "hdd"))),
        required("NotIn passes for a missing label", ok, term(expr("gpu", "NotIn", "yes"))),
        required("NotIn fails for a listed value", MISMATCH, term(expr("disk", "NotIn", "ssd"))),
        required("Exists passes when the label is there", ok, term(expr("disk", "Exists"))),
        required("Exists fails when it is not", MISMATCH, term(expr("gpu", "Exists"))),
        required(
            "DoesNotExist passes when the label is absent", ok, term(expr("gpu", "DoesNotExist"))),
        required(
            "DoesNotExist fails when it is there", MISMATCH, term(expr("disk", "DoesNotExist"))),
        required("Gt passes for a larger integer", ok, term(expr("cores", "Gt", "4"))),
        required("Gt fails for an equal integer", MISMATCH, term(expr("cores", "Gt", "8"))),
        required("Lt passes for a smaller integer", ok, term(expr("cores", "Lt", "16"))),
        required("Lt fails for a larger integer", MISMATCH, term(expr("cores", "Lt", "2"))),
        required("Gt fails on a non-integer label", MISMATCH, term(expr("disk", "Gt", "1"))),
        required(
            "Gt with a non-integer value is invalid", MISMATCH, term(expr("cores", "Gt", "four"))),
        required("Gt on a missing label fails", MISMATCH, term(expr("gpu", "Gt", "1"))),
        required("an unknown operator is invalid", MISMATCH, term(expr("disk", "Equals", "ssd"))),
        required("In without values is invalid", MISMATCH, term(expr("disk", "In"))),
        required(
            "expressions within a term are ANDed",
            MISMATCH,
            term(expr("disk", "In", "ssd"), expr("cores", "Gt", "16"))),
        required(
            "terms are ORed",
            ok,
            term(expr("disk", "In", "hdd")),
            term(expr("topology.kubernetes.io/zone", "In", "a"))),
        required("an empty term matches nothing", MISMATCH, new NodeSelectorTerm()),
        required("no terms match nothing", MISMATCH),
        required(
            "matchFields In on the node name", ok, fieldTerm(expr("metadata.name", "In", "n1"))),
        required(
            "matchFields In on another name",
            MISMATCH,
            fieldTerm(expr("metadata.name", "In", "n2"))),
        required(
            "matchFields NotIn on the node name",
            MISMATCH,
            fieldTerm(expr("metadata.name", "NotIn", "n1"))),
        required(
            "matchFields on another field is invalid",
            MISMATCH,
            fieldTerm(expr("metadata.uid", "In", "n1"))),
        Arguments.of(
            "node selector and affinity must both match",
            pod("p")
                .nodeSelector("disk", "hdd")
                .affinity(requiredNodeAffinity(term(expr("disk", "Exists")))),
            MISMATCH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void keepsPodsOnNodesMatchingTheirSelectorAndRequiredAffinity(
      String description, PodFixture pod, Status expected) {
    assertThat(filter(plugin, pod.info(), ssdNode())).isEqualTo(expected);
  }

  @Test
  void scoresTheSumOfMatchingPreferredWeightsNormalizedToTheBest() {
    List<NodeInfo> nodes =
        List.of(
            node("both").label("disk", "ssd").zone("a").info(),
            node("ssd").label("disk", "ssd").zone("b").info(),
            node("none").zone("b").info());
    PodInfo pod =
        pod("p")
            .affinity(
                preferredNodeAffinity(
                    5, term(expr("disk", "In", "ssd")),
                    10, term(expr("topology.kubernetes.io/zone", "In", "a")),
                    0, term(expr("disk", "Exists"))))
            .info();

    assertThat(rawScores(plugin, pod, nodes)).containsExactly(15, 5, 0);
    assertThat(scores(plugin, pod, nodes)).containsExactly(100, 33, 0);
  }

  @Test
  void aPodWithoutPreferencesScoresZeroEverywhere() {
    List<NodeInfo> nodes = List.of(ssdNode(), node("n2").info());
    assertThat(scores(plugin, pod("p").info(), nodes)).containsExactly(0, 0);
  }
}
