package io.nauta.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.informer.InformerStore;
import io.nauta.scheduler.framework.Plugin;
import io.nauta.scheduler.framework.Profile;
import io.nauta.scheduler.plugins.volumebinding.VolumeBinding;
import io.nauta.scheduler.plugins.volumebinding.VolumeCache;
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
  void volumeBindingFiltersWhereKubeSchedulerRunsItAndAlsoReservesAndPreBinds() {
    VolumeBinding volumes =
        new VolumeBinding(
            new VolumeCache(new InformerStore<>(), new InformerStore<>(), new InformerStore<>()),
            null);
    Profile profile = DefaultProfile.create("default-scheduler", volumes);

    assertThat(profile.filters())
        .extracting(Plugin::name)
        .containsSubsequence("NodeResourcesFit", "VolumeBinding", "InterPodAffinity");
    assertThat(profile.reservePlugins()).containsExactly(volumes);
    assertThat(profile.preBindPlugins()).containsExactly(volumes);
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
