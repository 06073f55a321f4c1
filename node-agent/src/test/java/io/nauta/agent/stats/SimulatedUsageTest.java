package io.nauta.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.SimulatedRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SimulatedUsageTest {

  private static final Instant T0 = Instant.parse("2026-12-06T06:00:00Z");

  private static Pod pod(String name, String annotation, String... containers) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName(name)
            .withUid("uid-" + name)
            .endMetadata()
            .withNewSpec()
            .withNodeName("sim-0")
            .endSpec();
    if (annotation != null) {
      b.editMetadata().addToAnnotations(UsageModel.ANNOTATION, annotation).endMetadata();
    }
    for (String c : containers) {
      b.editSpec()
          .addToContainers(new ContainerBuilder().withName(c).withImage("x").build())
          .endSpec();
    }
    return b.build();
  }

  @Test
  void theAnnotationGivesEachNamedContainerItsUsageAndOthersTheDefault() {
    Map<String, UsageModel.Rate> rates =
        UsageModel.of(
            pod(
                "p",
                "{\"app\": {\"cpu\": \"250m\", \"memory\": \"64Mi\"}, \"side\": {\"cpu\": 2}}"));
    assertThat(UsageModel.rate(rates, "app"))
        .isEqualTo(new UsageModel.Rate(250_000_000L, 64L * 1024 * 1024));
    assertThat(UsageModel.rate(rates, "side"))
        .isEqualTo(new UsageModel.Rate(2_000_000_000L, UsageModel.DEFAULT.memoryBytes()));
    assertThat(UsageModel.rate(rates, "other")).isEqualTo(UsageModel.DEFAULT);
    assertThat(UsageModel.of(pod("p", "not json"))).isEmpty();
    assertThat(UsageModel.of(pod("p", null))).isEmpty();
  }

  @Test
  void countersAdvanceAtTheModelsRateSoAScraperDerivesTheSameFigure() {
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    SimulatedRuntime runtime =
        new SimulatedRuntime(PodCidr.nth("10.244.0.0/16", 0), Duration.ZERO, clock);
    Map<String, Pod> bound = new ConcurrentHashMap<>();
    Pod web = pod("web", "{\"app\": {\"cpu\": \"250m\", \"memory\": \"64Mi\"}}", "app", "log");
    bound.put("web", web);
    runtime.syncPod(web).block();
    StatsSampler sampler =
        new StatsSampler(
            Map.of(
                "sim-0",
                new SimulatedMeter(
                    runtime, (ns, name) -> Optional.ofNullable(bound.get(name)), T0)),
            clock,
            () -> {});

    now.set(T0.plusSeconds(10));
    sampler.sampleAll().block();
    Usage.Node first = sampler.summary("sim-0");
    now.set(T0.plusSeconds(25));
    sampler.sampleAll().block();
    Usage.Node second = sampler.summary("sim-0");

    Usage.Container app1 = first.pods().get(0).containers().get(0);
    Usage.Container app2 = second.pods().get(0).containers().get(0);
    assertThat(app2.name()).isEqualTo("app");
    assertThat(app2.cpu().nanoCores()).isEqualTo(250_000_000L);
    assertThat(app1.cpu().coreNanoSeconds()).isEqualTo(2_500_000_000L);
    assertThat(
            CpuRate.nanoCores(
                app1.cpu().time(),
                app1.cpu().coreNanoSeconds(),
                app2.cpu().time(),
                app2.cpu().coreNanoSeconds()))
        .isEqualTo(250_000_000L);
    assertThat(app2.memory().workingSetBytes()).isEqualTo(64L * 1024 * 1024);
    // The unnamed container at the default; pod and node are the sums.
    Usage.Container log = second.pods().get(0).containers().get(1);
    assertThat(log.cpu().nanoCores()).isEqualTo(UsageModel.DEFAULT.nanoCores());
    long podRate = 250_000_000L + UsageModel.DEFAULT.nanoCores();
    assertThat(second.pods().get(0).cpu().nanoCores()).isEqualTo(podRate);
    assertThat(second.cpu().nanoCores()).isEqualTo(podRate);
    assertThat(second.memory().workingSetBytes())
        .isEqualTo(64L * 1024 * 1024 + UsageModel.DEFAULT.memoryBytes());
    assertThat(second.cpu().coreNanoSeconds())
        .isEqualTo(app2.cpu().coreNanoSeconds() + log.cpu().coreNanoSeconds());

    // A changed annotation bends the counter from the last sample on; it never goes back.
    bound.put("web", pod("web", "{\"app\": {\"cpu\": \"1\"}}", "app", "log"));
    now.set(T0.plusSeconds(35));
    sampler.sampleAll().block();
    Usage.Container app3 = sampler.summary("sim-0").pods().get(0).containers().get(0);
    assertThat(app3.cpu().nanoCores()).isEqualTo(1_000_000_000L);
    assertThat(app3.cpu().coreNanoSeconds())
        .isEqualTo(app2.cpu().coreNanoSeconds() + 10_000_000_000L);

    Map<String, Object> json = SummaryJson.of(sampler.summary("sim-0"));
    assertThat(json).containsKeys("node", "pods");
    @SuppressWarnings("unchecked")
    Map<String, Object> node = (Map<String, Object>) json.get("node");
    assertThat(node)
        .containsEntry("nodeName", "sim-0")
        .containsEntry("startTime", "2026-12-06T06:00:00Z");
    @SuppressWarnings("unchecked")
    Map<String, Object> podRef =
        (Map<String, Object>)
            ((Map<String, Object>) ((List<?>) json.get("pods")).get(0)).get("podRef");
    assertThat(podRef).containsEntry("name", "web").containsEntry("uid", "uid-web");
  }
}
