package io.nauta.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** v2 -> v1 -> v2 loses nothing; v1's CPU fields map to v2's Resource cpu metric. */
class AutoscalingConversionTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String V2 =
      """
      {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
       "metadata":{"name":"web","namespace":"demo"},
       "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
         "minReplicas":1,"maxReplicas":4,
         "metrics":[
           {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
           {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"200Mi"}}}],
         "behavior":{"scaleDown":{"stabilizationWindowSeconds":60,"selectPolicy":"Max",
           "policies":[{"type":"Percent","value":50,"periodSeconds":15}]}}},
       "status":{"currentReplicas":2,"desiredReplicas":3,
         "currentMetrics":[
           {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":85,"averageValue":"85m"}}}],
         "conditions":[{"type":"AbleToScale","status":"True","reason":"ReadyForNewScale"}]}}
      """;

  @Test
  void v1ShowsTheCpuTargetAndKeepsTheRestInAnnotations() {
    ObjectNode v2 = (ObjectNode) JSON.readTree(V2);
    ObjectNode v1 = AutoscalingConversion.toV1(v2);
    assertThat(v1.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
    assertThat(v1.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
    assertThat(v1.path("spec").has("metrics")).isFalse();
    assertThat(v1.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(85);
    assertThat(
            v1.path("metadata").path("annotations").path(AutoscalingConversion.METRICS).asString())
        .contains("memory");

    ObjectNode back = AutoscalingConversion.toV2(v1.deepCopy());
    // the current cpu metric's averageValue is not in v1: it comes back with the utilization only
    ((ObjectNode) v2.path("status").path("currentMetrics").get(0).path("resource").path("current"))
        .remove("averageValue");
    assertThat(back).isEqualTo(v2);
  }

  @Test
  void aV1BodyBecomesAResourceCpuMetric() {
    ObjectNode v1 =
        (ObjectNode)
            JSON.readTree(
                """
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
                 "metadata":{"name":"web"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":4,
                   "targetCPUUtilizationPercentage":50}}
                """);
    ObjectNode v2 = AutoscalingConversion.toV2(v1);
    assertThat(v2.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
    assertThat(v2.path("spec").path("metrics").get(0).path("resource").path("target"))
        .isEqualTo(JSON.readTree("{\"type\":\"Utilization\",\"averageUtilization\":50}"));
    assertThat(v2.path("metadata").has("annotations")).isFalse();
  }
}
