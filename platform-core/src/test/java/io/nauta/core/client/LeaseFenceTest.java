package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeaseFenceTest {

  @Test
  void theHeaderNamesTheLeaseThenTheHolderWhichMayContainSlashes() {
    LeaseFence fence = new LeaseFence("kube-system", "kube-controller-manager", "host/a_1");
    assertThat(fence.headerValue()).isEqualTo("kube-system/kube-controller-manager/host/a_1");
    assertThat(LeaseFence.parse(fence.headerValue())).isEqualTo(fence);
  }

  @Test
  void malformedValuesAreRefusedWithTheExpectedShape() {
    for (String bad : new String[] {"", "a", "a/b", "a/b/", "/b/c", "a//c", "a/b/c\n"}) {
      assertThatThrownBy(() -> LeaseFence.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> LeaseFence.parse("x"))
        .hasMessageContaining("<lease namespace>/<lease name>/<holder identity>");
  }
}
