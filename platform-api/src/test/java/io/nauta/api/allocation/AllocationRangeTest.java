package io.nauta.api.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AllocationRangeTest {

  static final AllocationRange SERVICES = AllocationRange.cidr("10.96.0.0/16");
  static final AllocationRange NODE_PORTS = AllocationRange.ports("30000-32767");

  static Stream<Arguments> members() {
    return Stream.of(
        Arguments.of(SERVICES, "10.96.0.1", 0L),
        Arguments.of(SERVICES, "10.96.1.0", 255L),
        Arguments.of(SERVICES, "10.96.255.254", 65533L),
        Arguments.of(SERVICES, "10.96.0.0", null), // network address
        Arguments.of(SERVICES, "10.96.255.255", null), // broadcast address
        Arguments.of(SERVICES, "10.97.0.1", null),
        Arguments.of(SERVICES, "10.96.0", null),
        Arguments.of(SERVICES, "10.96.0.256", null),
        Arguments.of(SERVICES, "None", null),
        Arguments.of(NODE_PORTS, "30000", 0L),
        Arguments.of(NODE_PORTS, "32767", 2767L),
        Arguments.of(NODE_PORTS, "29999", null),
        Arguments.of(NODE_PORTS, "32768", null),
        Arguments.of(NODE_PORTS, "http", null));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("members")
  void findsTheOffsetOfMembersInsideTheRangeOnly(
      AllocationRange range, String member, Long offset) {
    assertThat(range.offsetOf(member))
        .isEqualTo(offset == null ? OptionalLong.empty() : OptionalLong.of(offset));
    if (offset != null) {
      assertThat(range.memberAt(offset)).isEqualTo(member);
    }
  }

  @Test
  void rangesHaveTheSizeKubernetesAllocatesFrom() {
    assertThat(SERVICES.size()).isEqualTo(65534);
    assertThat(AllocationRange.cidr("10.0.0.0/24").size()).isEqualTo(254);
    assertThat(AllocationRange.cidr("10.0.0.77/24").memberAt(0)).isEqualTo("10.0.0.1");
    assertThat(NODE_PORTS.size()).isEqualTo(2768);
  }

  @Test
  void refusesMalformedRanges() {
    assertThatThrownBy(() -> AllocationRange.cidr("10.96.0.0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AllocationRange.cidr("10.96.0.0/31"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AllocationRange.ports("32767-30000"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
