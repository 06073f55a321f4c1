package io.nauta.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.scheduler.framework.Plugin;
import io.nauta.scheduler.framework.Profile;
import org.junit.jupiter.api.Test;

class DefaultProfileTest {

  @Test
  void filtersRunInKubeSchedulersOrder() {
    Profile profile = DefaultProfile.create("default-scheduler");

    assertThat(profile.schedulerName()).isEqualTo("default-scheduler");
    assertThat(profile.filters())
        .extracting(Plugin::name)
        .containsExactly(
            "NodeUnschedulable",
            "NodeReady",
            "TaintToleration",
            "NodeAffinity",
            "NodePorts",
            "NodeResourcesFit",
            "InterPodAffinity");
  }

  @Test
  void scoresCarryKubernetesDefaultWeights() {
    Profile profile = DefaultProfile.create("default-scheduler");

    assertThat(profile.scores())
        .extracting(ws -> ws.plugin().name() + "=" + ws.weight())
        .containsExactlyInAnyOrder(
            "TaintToleration=3",
            "NodeAffinity=2",
            "NodeResourcesFit=1",
            "NodeResourcesBalancedAllocation=1",
            "InterPodAffinity=2",
            "SelectorSpread=2");
  }
}
