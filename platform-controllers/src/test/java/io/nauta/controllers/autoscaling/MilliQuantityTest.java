package io.nauta.controllers.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Status quantities as {@code resource.NewMilliQuantity(v, DecimalSI).String()} writes them. */
class MilliQuantityTest {

  @Test
  void writesMilliUnitsOrTheLargestExactDecimalSuffix() {
    assertThat(HorizontalPodAutoscalerController.formatMilli(85)).isEqualTo("85m");
    assertThat(HorizontalPodAutoscalerController.formatMilli(1500)).isEqualTo("1500m");
    assertThat(HorizontalPodAutoscalerController.formatMilli(2000)).isEqualTo("2");
    assertThat(HorizontalPodAutoscalerController.formatMilli(0)).isEqualTo("0");
    assertThat(HorizontalPodAutoscalerController.formatMilli(3_000_000)).isEqualTo("3k");
    // 12Mi of memory in millibytes: not a multiple of 1000 bytes' powers
    assertThat(HorizontalPodAutoscalerController.formatMilli(12_582_912_000L))
        .isEqualTo("12582912");
    assertThat(HorizontalPodAutoscalerController.formatMilli(200_000_000_000L)).isEqualTo("200M");
  }
}
