package io.nauta.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PodCidrTest {

  @Test
  void theNthNodeGetsTheNthSlash24OfTheClusterRange() {
    assertThat(PodCidr.nth("10.244.0.0/16", 0).cidr()).isEqualTo("10.244.0.0/24");
    assertThat(PodCidr.nth("10.244.0.0/16", 7).cidr()).isEqualTo("10.244.7.0/24");
    assertThat(PodCidr.nth("10.0.0.0/8", 300).cidr()).isEqualTo("10.1.44.0/24");
  }

  @Test
  void aSlash24sIndexIsFoundBackAndOnlyInsideTheClusterRange() {
    assertThat(PodCidr.indexIn("10.244.0.0/16", "10.244.7.0/24")).isEqualTo(7);
    assertThat(PodCidr.indexIn("10.0.0.0/8", "10.1.44.0/24")).isEqualTo(300);
    assertThat(PodCidr.indexIn("10.244.0.0/16", "10.245.0.0/24")).isEqualTo(-1);
    assertThat(PodCidr.indexIn("10.244.0.0/16", "10.243.255.0/24")).isEqualTo(-1);
    assertThat(PodCidr.indexIn("10.244.0.0/16", "10.244.7.0/25")).isEqualTo(-1);
    assertThat(PodCidr.indexIn("10.244.0.0/16", null)).isEqualTo(-1);
  }

  @Test
  void theFirstFreeRangeIsTheLowestNoNodeHas() {
    assertThat(PodCidr.firstFree("10.244.0.0/16", java.util.List.of())).isZero();
    assertThat(
            PodCidr.firstFree(
                "10.244.0.0/16",
                java.util.List.of("10.244.0.0/24", "10.244.2.0/24", "192.168.0.0/24")))
        .isEqualTo(1);
    assertThatThrownBy(
            () ->
                PodCidr.firstFree(
                    "10.244.0.0/23", java.util.List.of("10.244.0.0/24", "10.244.1.0/24")))
        .hasMessageContaining("every /24 of 10.244.0.0/23");
  }

  @Test
  void refusesAnIndexBeyondTheRange() {
    assertThatThrownBy(() -> PodCidr.nth("10.244.0.0/16", 256))
        .hasMessageContaining("256 nodes at most");
  }

  @Test
  void aReleasedAddressIsNotHandedOutAgainAtOnce() {
    PodCidr cidr = PodCidr.nth("10.244.0.0/16", 3);
    assertThat(cidr.allocate()).isEqualTo("10.244.3.2");
    assertThat(cidr.allocate()).isEqualTo("10.244.3.3");
    cidr.release("10.244.3.2");
    assertThat(cidr.allocate()).isEqualTo("10.244.3.4");
    cidr.release("10.244.3.4");
    assertThat(cidr.allocate()).isEqualTo("10.244.3.5");
  }

  @Test
  void wrapsAroundToTheFreedAddressesAtTheEndOfTheRange() {
    PodCidr cidr = PodCidr.nth("10.244.0.0/16", 3);
    for (int i = 0; i < 253; i++) {
      cidr.allocate();
    }
    cidr.release("10.244.3.7");
    cidr.release("10.244.3.3");
    assertThat(cidr.allocate()).isEqualTo("10.244.3.3");
    assertThat(cidr.allocate()).isEqualTo("10.244.3.7");
  }

  @Test
  void afterAdoptingAddressesStartsAboveTheHighestInUse() {
    PodCidr cidr = PodCidr.nth("10.244.0.0/16", 3);
    cidr.reserve("10.244.3.9");
    cidr.reserve("10.244.3.4");
    assertThat(cidr.allocate()).isEqualTo("10.244.3.10");
  }

  @Test
  void runsOutAfter253Addresses() {
    PodCidr cidr = PodCidr.nth("10.244.0.0/16", 0);
    for (int i = 0; i < 253; i++) {
      cidr.allocate();
    }
    assertThatThrownBy(cidr::allocate).hasMessageContaining("no free pod IP");
  }
}
