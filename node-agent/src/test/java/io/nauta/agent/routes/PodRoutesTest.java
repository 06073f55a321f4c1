package io.nauta.agent.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.nauta.agent.routes.IpRoutes.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodRoutesTest {

  private static final int PROTO = 197;

  /** The kernel's routes of our protocol, and what was asked of {@code ip}. */
  static final class FakeIp extends IpRoutes {
    final Set<Route> routes = new LinkedHashSet<>();
    final List<String> commands = new ArrayList<>();
    final Set<String> offLink = new LinkedHashSet<>();
    Set<String> addresses = Set.of("127.0.0.1", "192.0.2.10", "10.244.0.1");
    boolean broken;

    @Override
    public List<Route> list(int protocol) {
      assertThat(protocol).isEqualTo(PROTO);
      if (broken) {
        throw new IpException("ip: cannot talk to the kernel", null);
      }
      return List.copyOf(routes);
    }

    @Override
    public void replace(Route r, int protocol) {
      commands.add("replace " + r.destination() + " via " + r.gateway() + " proto " + protocol);
      if (offLink.contains(r.gateway())) {
        throw new IpException("Error: Nexthop has invalid gateway.", null);
      }
      routes.removeIf(x -> x.destination().equals(r.destination()));
      routes.add(r);
    }

    @Override
    public void delete(Route r, int protocol) {
      commands.add("del " + r.destination() + " via " + r.gateway() + " proto " + protocol);
      routes.remove(r);
    }

    @Override
    public Set<String> localAddresses() {
      return addresses;
    }
  }

  private final FakeIp ip = new FakeIp();
  private final List<Node> nodes = new ArrayList<>();
  private final PodRoutes routes =
      new PodRoutes(
          null,
          () -> List.copyOf(nodes),
          "10.244.0.0/16",
          Set.of("here"),
          Set.of("10.244.0.0/24"),
          ip,
          PROTO,
          Duration.ofMillis(200),
          Duration.ofSeconds(30));

  private static Node node(String name, String podCidr, String internalIp) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    b.withNewSpec().withPodCIDR(podCidr).endSpec();
    b.withNewStatus()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(name)
        .endAddress()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(internalIp)
        .endAddress()
        .endStatus();
    return b.build();
  }

  @Test
  void routesEveryOtherNodesPodRangeViaItsInternalIp() {
    nodes.add(node("here", "10.244.0.0/24", "192.0.2.10"));
    nodes.add(node("b", "10.244.1.0/24", "192.0.2.11"));
    nodes.add(node("c", "10.244.2.0/24", "192.0.2.12"));
    routes.sync();
    assertThat(ip.commands)
        .containsExactly(
            "replace 10.244.1.0/24 via 192.0.2.11 proto 197",
            "replace 10.244.2.0/24 via 192.0.2.12 proto 197");
  }

  @Test
  void leavesOutNodesOnThisHostOnLoopbackOrWithoutRangeOrAddressOrOutsideThePodNetwork() {
    nodes.add(node("same-host", "10.244.3.0/24", "192.0.2.10")); // an address of this host
    nodes.add(node("simulated", "10.244.4.0/24", "127.1.0.5"));
    nodes.add(node("no-range", null, "192.0.2.13"));
    nodes.add(node("no-address", "10.244.6.0/24", null));
    nodes.add(node("not-an-ip", "10.244.7.0/24", "node-7.example"));
    nodes.add(node("elsewhere", "10.99.0.0/24", "192.0.2.14")); // not in 10.244.0.0/16
    nodes.add(node("claims-ours", "10.244.0.0/24", "192.0.2.15")); // this node's bridge's range
    Node noStatus = node("no-status", "10.244.8.0/24", "192.0.2.16");
    noStatus.setStatus(null);
    nodes.add(noStatus);
    routes.sync();
    assertThat(ip.commands).isEmpty();
  }

  @Test
  void anUnchangedNodeSetChangesNothingAndARemovedRouteIsRepaired() {
    nodes.add(node("b", "10.244.1.0/24", "192.0.2.11"));
    routes.sync();
    routes.sync();
    assertThat(ip.commands).containsExactly("replace 10.244.1.0/24 via 192.0.2.11 proto 197");
    ip.routes.clear(); // someone ran ip route del
    routes.sync();
    assertThat(ip.commands).hasSize(2).last().isEqualTo(ip.commands.get(0));
  }

  @Test
  void aNodeGoneOrMovedLosesItsRouteAndOnlyOurPodNetworkRoutesAreTouched() {
    // Left by an earlier run (the agent restarted): one still wanted, one stale, one another
    // cluster's (its pod network is not ours), all of our protocol.
    ip.routes.add(new Route("10.244.1.0/24", "192.0.2.11"));
    ip.routes.add(new Route("10.244.9.0/24", "192.0.2.19"));
    ip.routes.add(new Route("10.245.1.0/24", "192.0.2.30"));
    nodes.add(node("b", "10.244.1.0/24", "192.0.2.11"));
    nodes.add(node("c", "10.244.2.0/24", "192.0.2.12"));
    routes.sync();
    assertThat(ip.commands)
        .containsExactly(
            "del 10.244.9.0/24 via 192.0.2.19 proto 197",
            "replace 10.244.2.0/24 via 192.0.2.12 proto 197");

    ip.commands.clear();
    nodes.set(0, node("b", "10.244.1.0/24", "192.0.2.21")); // b has a new address
    nodes.remove(1); // c was deleted
    routes.sync();
    assertThat(ip.commands)
        .containsExactly(
            "del 10.244.1.0/24 via 192.0.2.11 proto 197",
            "del 10.244.2.0/24 via 192.0.2.12 proto 197",
            "replace 10.244.1.0/24 via 192.0.2.21 proto 197");
    assertThat(ip.routes)
        .containsExactlyInAnyOrder(
            new Route("10.244.1.0/24", "192.0.2.21"), new Route("10.245.1.0/24", "192.0.2.30"));
  }

  @Test
  void aGatewayIpRefusesDoesNotStopTheOthersAndIsTriedAgain() {
    ip.offLink.add("198.51.100.7");
    nodes.add(node("far", "10.244.1.0/24", "198.51.100.7"));
    nodes.add(node("near", "10.244.2.0/24", "192.0.2.12"));
    routes.sync();
    routes.sync();
    assertThat(ip.routes).containsExactly(new Route("10.244.2.0/24", "192.0.2.12"));
    assertThat(ip.commands)
        .containsExactly(
            "replace 10.244.1.0/24 via 198.51.100.7 proto 197",
            "replace 10.244.2.0/24 via 192.0.2.12 proto 197",
            "replace 10.244.1.0/24 via 198.51.100.7 proto 197");
    ip.offLink.clear(); // the network changed
    routes.sync();
    assertThat(ip.routes).contains(new Route("10.244.1.0/24", "198.51.100.7"));
  }

  @Test
  void whenIpFailsTheSyncFailsAndChangesNothing() {
    nodes.add(node("b", "10.244.1.0/24", "192.0.2.11"));
    ip.broken = true;
    org.assertj.core.api.Assertions.assertThatThrownBy(routes::sync)
        .isInstanceOf(IpRoutes.IpException.class);
    assertThat(ip.commands).isEmpty();
  }

  @Test
  void closeRemovesOurRoutesInThePodNetworkOnly() {
    ip.routes.add(new Route("10.245.1.0/24", "192.0.2.30"));
    nodes.add(node("b", "10.244.1.0/24", "192.0.2.11"));
    routes.sync();
    routes.close();
    assertThat(ip.routes).containsExactly(new Route("10.245.1.0/24", "192.0.2.30"));
  }

  @Test
  void parsesWhatIpRouteShowPrints() {
    String out =
        "10.244.1.0/24 via 192.0.2.11 dev eth0 \n"
            + "10.244.2.0/24 via 10.250.3.2 dev nauta-v1 onlink \n"
            + "10.244.3.7 via 192.0.2.12 dev eth0 \n"
            + "10.244.4.0/24 dev br-1 scope link \n\n";
    assertThat(IpRoutes.parse(out))
        .containsExactly(
            new Route("10.244.1.0/24", "192.0.2.11"),
            new Route("10.244.2.0/24", "10.250.3.2"),
            new Route("10.244.3.7/32", "192.0.2.12"));
  }

  @Test
  void withinComparesIpv4Ranges() {
    assertThat(RoutePlan.within("10.244.3.0/24", "10.244.0.0/16")).isTrue();
    assertThat(RoutePlan.within("10.245.3.0/24", "10.244.0.0/16")).isFalse();
    assertThat(RoutePlan.within("10.0.0.0/8", "10.244.0.0/16")).isFalse();
    assertThat(RoutePlan.within("10.244.0.0/16", "10.244.0.0/16")).isTrue();
    assertThat(RoutePlan.within("10.244.300.0/24", "10.244.0.0/16")).isFalse();
    assertThat(RoutePlan.within("fd00::/64", "10.244.0.0/16")).isFalse();
  }
}
