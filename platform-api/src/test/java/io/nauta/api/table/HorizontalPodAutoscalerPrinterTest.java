package io.nauta.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** TARGETS as upstream's formatHPAMetrics writes it. */
class HorizontalPodAutoscalerPrinterTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static String targets(String specs, String statuses) {
    return HorizontalPodAutoscalerPrinter.targets(
        MAPPER.readTree(specs), MAPPER.readTree(statuses));
  }

  private static final String CPU50 =
      "{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":50}}}";
  private static final String MEM =
      "{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"200Mi\"}}}";
  private static final String PODS =
      "{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"qps\"},\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"10\"}}}";

  @Test
  void showsCurrentOverTargetPerMetric() {
    assertThat(targets("[" + CPU50 + "]", "[]")).isEqualTo("cpu: <unknown>/50%");
    assertThat(
            targets(
                "[" + CPU50 + "," + MEM + "]",
                "[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":{\"averageUtilization\":85,\"averageValue\":\"85m\"}}},"
                    + "{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"current\":{\"averageValue\":\"150Mi\"}}}]"))
        .isEqualTo("cpu: 85%/50%, memory: 150Mi/200Mi");
  }

  @Test
  void showsTwoAndCountsTheRest() {
    assertThat(targets("[" + CPU50 + "," + MEM + "," + PODS + "]", "[]"))
        .isEqualTo("cpu: <unknown>/50%, memory: <unknown>/200Mi + 1 more...");
    assertThat(targets("[]", "[]")).isEqualTo("<none>");
  }
}
