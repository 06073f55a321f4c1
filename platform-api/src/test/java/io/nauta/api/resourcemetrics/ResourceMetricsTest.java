package io.nauta.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.resourcemetrics.MetricsStorage.ContainerUsage;
import io.nauta.api.resourcemetrics.MetricsStorage.PodUsage;
import io.nauta.api.resourcemetrics.MetricsStorage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** metrics-server's decoding, storage and usage arithmetic, and how it writes quantities. */
class ResourceMetricsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");
  private static final String STARTED = "2026-12-06T04:00:00Z";

  /** A Summary with the node and pod "demo/web" (containers app and side) at {@code t}. */
  private static NodeSummary summary(
      Instant t, long nodeCumulative, long appCumulative, String sideCpu, String appStart) {
    String json =
        """
        {"node": {"nodeName": "n1", "startTime": "%1$s",
                  "cpu": {"time": "%2$s", "usageNanoCores": 400000000,
                          "usageCoreNanoSeconds": %3$d},
                  "memory": {"time": "%2$s", "workingSetBytes": 268435456}},
         "pods": [
           {"podRef": {"name": "web", "namespace": "demo", "uid": "u1"},
            "containers": [
              {"name": "app", "startTime": "%5$s",
               "cpu": {"time": "%2$s", "usageNanoCores": 90000000, "usageCoreNanoSeconds": %4$d},
               "memory": {"time": "%2$s", "workingSetBytes": 67108864}},
              {"name": "side", "startTime": "%1$s", "cpu": %6$s,
               "memory": {"time": "%2$s", "workingSetBytes": 1000}}]},
           {"podRef": {"name": "half", "namespace": "demo", "uid": "u2"},
            "containers": [
              {"name": "a", "cpu": {"time": "%2$s", "usageCoreNanoSeconds": 5},
               "memory": {"time": "%2$s", "workingSetBytes": 1}},
              {"name": "b", "memory": {"time": "%2$s", "workingSetBytes": 1}}]}]}
        """
            .formatted(STARTED, t, nodeCumulative, appCumulative, appStart, sideCpu);
    return NodeSummary.decode(JSON.readTree(json));
  }

  private static String sideCpu(Instant t, long cumulative) {
    return "{\"time\": \"" + t + "\", \"usageCoreNanoSeconds\": " + cumulative + "}";
  }

  @Test
  void cpuIsTheCumulativeGrowthOverTheWindowBetweenTwoScrapes() {
    MetricsStorage storage = new MetricsStorage(Duration.ofSeconds(15));
    Instant t1 = T0.plusMillis(15_500);
    storage.store(Map.of("n1", summary(T0, 1_000_000_000L, 0, sideCpu(T0, 0), STARTED)));
    storage.store(
        Map.of(
            "n1",
            summary(
                t1,
                1_000_000_000L + 7_750_000_000L, // 0.5 core over 15.5 s
                1_550_000_000L, // 100m
                sideCpu(t1, 310_000_000L), // 20m
                STARTED)));

    assertThat(storage.node("n1"))
        .contains(new Usage(t1, Duration.ofMillis(15_500), 500_000_000L, 268_435_456L));
    PodUsage web = storage.pod("demo", "web").orElseThrow();
    assertThat(web.timestamp()).isEqualTo(t1);
    assertThat(web.window()).isEqualTo(Duration.ofMillis(15_500));
    assertThat(web.containers())
        .containsExactly(
            new ContainerUsage("app", 100_000_000L, 67_108_864L),
            new ContainerUsage("side", 20_000_000L, 1000L));
  }

  @Test
  void onePointGivesTheAgentsOwnRateOverTheResolutionOrNothingWithoutIt() {
    MetricsStorage storage = new MetricsStorage(Duration.ofSeconds(15));
    storage.store(Map.of("n1", summary(T0, 10, 10, sideCpu(T0, 10), STARTED)));

    assertThat(storage.node("n1"))
        .contains(new Usage(T0, Duration.ofSeconds(15), 400_000_000L, 268_435_456L));
    // "side" has no usageNanoCores: the pod waits for a second point, as every container must
    // have usage for the pod to appear.
    assertThat(storage.pod("demo", "web")).isEmpty();
  }

  @Test
  void aPodWithAContainerLackingCpuNeverAppears() {
    MetricsStorage storage = new MetricsStorage(Duration.ofSeconds(15));
    storage.store(Map.of("n1", summary(T0, 10, 10, sideCpu(T0, 10), STARTED)));
    storage.store(
        Map.of(
            "n1", summary(T0.plusSeconds(15), 20, 20, sideCpu(T0.plusSeconds(15), 20), STARTED)));

    assertThat(storage.pod("demo", "web")).isPresent();
    assertThat(storage.pod("demo", "half")).isEmpty();
  }

  @Test
  void aRestartedContainerWaitsForAFreshPairAndAGoneNodeDropsOut() {
    MetricsStorage storage = new MetricsStorage(Duration.ofSeconds(15));
    Instant t1 = T0.plusSeconds(15);
    Instant t2 = T0.plusSeconds(30);
    storage.store(Map.of("n1", summary(T0, 10, 1_000, sideCpu(T0, 10), STARTED)));
    storage.store(Map.of("n1", summary(t1, 20, 2_000, sideCpu(t1, 20), STARTED)));
    assertThat(storage.pod("demo", "web")).isPresent();

    // "app" restarted: its counter began again; its old point must not be subtracted.
    storage.store(Map.of("n1", summary(t2, 30, 5, sideCpu(t2, 30), t2.toString())));
    // app has usageNanoCores: the single fresh point answers with it.
    assertThat(storage.pod("demo", "web").orElseThrow().containers().get(0).nanoCores())
        .isEqualTo(90_000_000L);

    storage.store(Map.of());
    assertThat(storage.node("n1")).isEmpty();
    assertThat(storage.pod("demo", "web")).isEmpty();
  }

  @Test
  void aRepeatedSummaryKeepsThePairAndADecreaseGivesNothing() {
    MetricsStorage storage = new MetricsStorage(Duration.ofSeconds(15));
    Instant t1 = T0.plusSeconds(10);
    NodeSummary second = summary(t1, 1_000_000_010L, 20, sideCpu(t1, 20), STARTED);
    storage.store(Map.of("n1", summary(T0, 10, 10, sideCpu(T0, 10), STARTED)));
    storage.store(Map.of("n1", second));
    storage.store(Map.of("n1", second)); // a node that timed out keeps its last summary
    assertThat(storage.node("n1").orElseThrow().nanoCores()).isEqualTo(100_000_000L);

    Instant t2 = T0.plusSeconds(20);
    storage.store(Map.of("n1", summary(t2, 5, 30, sideCpu(t2, 30), STARTED)));
    assertThat(storage.node("n1")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "500000000, 500m",
    "15000000, 15m",
    "1500000, 1500u",
    "123456789, 123456789n",
    "2000000000, 2",
    "2000000000000, 2k"
  })
  void cpuIsWrittenAsKubernetesCanonicalDecimalQuantity(long nanoCores, String text) {
    assertThat(MetricsFormat.cpu(nanoCores)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "512, 512",
    "1000, 1k",
    "1024, 1Ki",
    "1536, 1536",
    "268435456, 256Mi",
    "3221225472, 3Gi",
    "123456789, 123456789"
  })
  void memoryIsWrittenAsKubernetesCanonicalBinaryQuantity(long bytes, String text) {
    assertThat(MetricsFormat.memory(bytes)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "15000000000, 15s",
    "15500000000, 15.5s",
    "15018345123, 15.018345123s",
    "60500000000, 1m0.5s",
    "3723000000000, 1h2m3s",
    "500000000, 500ms",
    "1500, 1.5µs",
    "7, 7ns"
  })
  void windowIsWrittenAsGoWritesADuration(long nanos, String text) {
    assertThat(MetricsFormat.duration(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @Test
  void timestampIsAWholeSecondRfc3339Time() {
    assertThat(MetricsFormat.time(Instant.parse("2026-12-06T05:00:01.987Z")))
        .isEqualTo("2026-12-06T05:00:01Z");
  }
}
