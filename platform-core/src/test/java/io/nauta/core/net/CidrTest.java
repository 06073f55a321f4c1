package io.nauta.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** IP blocks as Go parses them, containment, and a block with holes cut out. */
class CidrTest {

  private static Cidr cidr(String s) {
    return Cidr.parse(s).orElseThrow();
  }

  private static List<String> minus(String block, String... holes) {
    return cidr(block).minus(List.of(holes).stream().map(CidrTest::cidr).toList()).stream()
        .map(Cidr::toString)
        .toList();
  }

  @Test
  void parsesToTheNetworkAndRefusesWhatIsNoCidr() {
    assertThat(cidr("10.1.2.3/8")).hasToString("10.0.0.0/8");
    assertThat(cidr("200.100.0.0/16")).hasToString("200.100.0.0/16");
    assertThat(cidr("0.0.0.0/0")).hasToString("0.0.0.0/0");
    assertThat(cidr("2001:db8::1/64").isIpv4()).isFalse();
    assertThat(Cidr.parse("10.0.0.0")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("example.com/8")).isEmpty();
  }

  @Test
  void containsBlocksAndAddressesOfItsOwnFamilyInsideIt() {
    assertThat(cidr("10.0.0.0/8").contains(cidr("10.200.0.0/16"))).isTrue();
    assertThat(cidr("10.0.0.0/16").contains(cidr("10.0.0.0/8"))).isFalse();
    assertThat(cidr("10.0.0.0/8").contains(cidr("11.0.0.0/16"))).isFalse();
    assertThat(cidr("10.0.0.0/8").contains("10.9.8.7")).isTrue();
    assertThat(cidr("10.0.0.0/8").contains("2001:db8::1")).isFalse();
    assertThat(cidr("2001:db8::/32").contains("2001:db8::1")).isTrue();
  }

  @Test
  void cutsHolesOutIntoTheFewestBlocks() {
    assertThat(minus("10.0.0.0/24")).containsExactly("10.0.0.0/24");
    assertThat(minus("10.0.0.0/24", "10.0.0.0/25")).containsExactly("10.0.0.128/25");
    assertThat(minus("10.0.0.0/24", "10.0.0.64/26"))
        .containsExactly("10.0.0.0/26", "10.0.0.128/25");
    assertThat(minus("10.0.0.0/30", "10.0.0.1/32", "10.0.0.2/32"))
        .containsExactly("10.0.0.0/32", "10.0.0.3/32");
    assertThat(minus("0.0.0.0/0", "10.0.0.0/8")).hasSize(8).doesNotContain("10.0.0.0/8");
    assertThat(minus("10.0.0.0/24", "10.0.0.0/16")).isEmpty();
    assertThat(minus("10.0.0.0/24", "192.168.0.0/16")).containsExactly("10.0.0.0/24");
  }
}
