package io.nauta.controllers.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** PodMetrics as metrics-server serves them, summed per pod as upstream's client sums them. */
class ApiPodMetricsSourceTest {

  private static final String LIST =
      """
      {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","items":[
        {"metadata":{"name":"web-1","namespace":"demo"},"timestamp":"2026-12-06T12:00:00Z",
         "window":"15.011s","containers":[
           {"name":"app","usage":{"cpu":"250m","memory":"12Mi"}},
           {"name":"sidecar","usage":{"cpu":"50m","memory":"4Mi"}}]},
        {"metadata":{"name":"web-2","namespace":"demo"},"timestamp":"2026-12-06T12:00:01Z",
         "window":"1m0s","containers":[
           {"name":"app","usage":{"memory":"10Mi"}}]}]}
      """;

  private static Map<String, PodMetric> parse(String resource, String container) {
    return ApiPodMetricsSource.parse(
        JsonMapper.builder().build().readTree(LIST), resource, container);
  }

  @Test
  void sumsTheContainersOfEachPod() {
    Map<String, PodMetric> cpu = parse("cpu", null);
    // web-2 has no cpu sample: left out, the calculator treats it as missing
    assertThat(cpu).containsOnlyKeys("web-1");
    assertThat(cpu.get("web-1").milliValue()).isEqualTo(300);
    assertThat(cpu.get("web-1").timestamp()).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
    assertThat(cpu.get("web-1").window()).isEqualTo(Duration.ofMillis(15011));
    assertThat(parse("memory", null).get("web-2").window()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aContainerResourceTakesThatContainerOnly() {
    assertThat(parse("cpu", "app").get("web-1").milliValue()).isEqualTo(250);
    assertThat(parse("cpu", "db")).isEmpty();
  }
}
