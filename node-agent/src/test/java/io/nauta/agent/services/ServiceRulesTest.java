package io.nauta.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceRulesTest {

  private static final ChainNames NAMES = new ChainNames("NAUTA-abc123");
  private static final ServiceRules RULES = new ServiceRules(NAMES, "10.244.0.0/16");
  private static final String WEB = "default/web:http/tcp";

  private static Service service(String type, String clusterIp, Integer nodePort, String... ports) {
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("web")
            .endMetadata()
            .withNewSpec()
            .withType(type)
            .withClusterIP(clusterIp)
            .endSpec();
    for (String p : ports) {
      String[] f = p.split("/");
      b.editSpec()
          .addNewPort()
          .withName(f[0].isEmpty() ? null : f[0])
          .withPort(Integer.parseInt(f[1]))
          .withProtocol(f.length > 2 ? f[2] : "TCP")
          .withTargetPort(new IntOrString("web"))
          .withNodePort(nodePort)
          .endPort()
          .endSpec();
    }
    return b.build();
  }

  /** Endpoints with one subset: ready and not-ready IPs, port named {@code name} → {@code port}. */
  private static Endpoints endpoints(
      String name, int port, List<String> ready, List<String> notReady) {
    return new EndpointsBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName("web")
        .endMetadata()
        .addNewSubset()
        .addAllToAddresses(
            ready.stream().map(ip -> new EndpointAddressBuilder().withIp(ip).build()).toList())
        .addAllToNotReadyAddresses(
            notReady.stream().map(ip -> new EndpointAddressBuilder().withIp(ip).build()).toList())
        .addNewPort()
        .withName(name)
        .withPort(port)
        .withProtocol("TCP")
        .endPort()
        .endSubset()
        .build();
  }

  private static RuleSet render(Service s, Endpoints e) {
    return RULES.render(
        List.of(s), key -> key.equals("default/web") ? Optional.ofNullable(e) : Optional.empty());
  }

  /** The rules of a table that mention the service (the fixed ones left out). */
  private static List<String> serviceRules(RuleSet r) {
    return Stream.concat(r.nat().rules().stream(), r.filter().rules().stream())
        .filter(l -> l.contains("default/web"))
        .toList();
  }

  static Stream<Arguments> cases() {
    String svc = NAMES.service(WEB);
    String sep1 = NAMES.endpoint(WEB, "10.244.1.2:8080");
    String sep2 = NAMES.endpoint(WEB, "10.244.1.3:8080");
    String sep3 = NAMES.endpoint(WEB, "10.244.2.2:8080");
    return Stream.of(
        Arguments.of(
            "one ready endpoint: the portal jumps to the service chain, which DNATs to it",
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            endpoints("http", 8080, List.of("10.244.1.2"), List.of()),
            List.of(
                "-A NAUTA-abc123-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment"
                    + " --comment \"default/web:http\" -j "
                    + svc,
                "-A " + svc + " -m comment --comment \"default/web:http\" -j " + sep1,
                "-A "
                    + sep1
                    + " -s 10.244.1.2/32 -m comment --comment \"default/web:http\" -j"
                    + " NAUTA-abc123-MARK-MASQ",
                "-A "
                    + sep1
                    + " -p tcp -m tcp -m comment --comment \"default/web:http\" -j DNAT"
                    + " --to-destination 10.244.1.2:8080")),
        Arguments.of(
            "three endpoints: equal odds, 1/3 then 1/2 then the rest; not-ready ones left out",
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            endpoints(
                "http",
                8080,
                List.of("10.244.2.2", "10.244.1.3", "10.244.1.2"),
                List.of("10.244.9.9")),
            List.of(
                "-A NAUTA-abc123-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment"
                    + " --comment \"default/web:http\" -j "
                    + svc,
                "-A "
                    + svc
                    + " -m comment --comment \"default/web:http\" -m statistic --mode random"
                    + " --probability 0.3333333333 -j "
                    + sep1,
                "-A "
                    + svc
                    + " -m comment --comment \"default/web:http\" -m statistic --mode random"
                    + " --probability 0.5000000000 -j "
                    + sep2,
                "-A " + svc + " -m comment --comment \"default/web:http\" -j " + sep3,
                "-A "
                    + sep1
                    + " -s 10.244.1.2/32 -m comment --comment \"default/web:http\" -j"
                    + " NAUTA-abc123-MARK-MASQ",
                "-A "
                    + sep1
                    + " -p tcp -m tcp -m comment --comment \"default/web:http\" -j DNAT"
                    + " --to-destination 10.244.1.2:8080",
                "-A "
                    + sep2
                    + " -s 10.244.1.3/32 -m comment --comment \"default/web:http\" -j"
                    + " NAUTA-abc123-MARK-MASQ",
                "-A "
                    + sep2
                    + " -p tcp -m tcp -m comment --comment \"default/web:http\" -j DNAT"
                    + " --to-destination 10.244.1.3:8080",
                "-A "
                    + sep3
                    + " -s 10.244.2.2/32 -m comment --comment \"default/web:http\" -j"
                    + " NAUTA-abc123-MARK-MASQ",
                "-A "
                    + sep3
                    + " -p tcp -m tcp -m comment --comment \"default/web:http\" -j DNAT"
                    + " --to-destination 10.244.2.2:8080")),
        Arguments.of(
            "NodePort: the node port on any local address leads to the same service chain",
            service("NodePort", "10.96.0.10", 30080, "http/80"),
            endpoints("http", 8080, List.of("10.244.1.2"), List.of()),
            List.of(
                "-A NAUTA-abc123-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment"
                    + " --comment \"default/web:http\" -j "
                    + svc,
                "-A NAUTA-abc123-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment"
                    + " \"default/web:http\" -j "
                    + svc,
                "-A " + svc + " -m comment --comment \"default/web:http\" -j " + sep1,
                "-A "
                    + sep1
                    + " -s 10.244.1.2/32 -m comment --comment \"default/web:http\" -j"
                    + " NAUTA-abc123-MARK-MASQ",
                "-A "
                    + sep1
                    + " -p tcp -m tcp -m comment --comment \"default/web:http\" -j DNAT"
                    + " --to-destination 10.244.1.2:8080")),
        Arguments.of(
            "only not-ready endpoints: the cluster IP and node port are rejected, no DNAT",
            service("NodePort", "10.96.0.10", 30080, "http/80"),
            endpoints("http", 8080, List.of(), List.of("10.244.1.2")),
            List.of(
                "-A NAUTA-abc123-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment"
                    + " --comment \"default/web:http has no endpoints\" -j REJECT",
                "-A NAUTA-abc123-SERVICES -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080"
                    + " -m comment --comment \"default/web:http has no endpoints\" -j REJECT")),
        Arguments.of(
            "no Endpoints object at all: rejected",
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            null,
            List.of(
                "-A NAUTA-abc123-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment"
                    + " --comment \"default/web:http has no endpoints\" -j REJECT")),
        Arguments.of(
            "endpoints of another service port name do not serve this one",
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            endpoints("metrics", 9090, List.of("10.244.1.2"), List.of()),
            List.of(
                "-A NAUTA-abc123-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment"
                    + " --comment \"default/web:http has no endpoints\" -j REJECT")),
        Arguments.of(
            "headless service: nothing",
            service("ClusterIP", "None", null, "http/80"),
            endpoints("http", 8080, List.of("10.244.1.2"), List.of()),
            List.of()),
        Arguments.of(
            "SCTP is not proxied",
            service("ClusterIP", "10.96.0.10", null, "http/80/SCTP"),
            endpoints("http", 8080, List.of("10.244.1.2"), List.of()),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersServicePorts(String name, Service s, Endpoints e, List<String> expected) {
    assertThat(serviceRules(render(s, e))).containsExactlyElementsOf(expected);
  }

  @Test
  void unnamedPortMatchesTheUnnamedEndpointPortAndUdpIsProxiedToo() {
    Service s = service("ClusterIP", "10.96.0.53", null, "/53/UDP");
    Endpoints e =
        new EndpointsBuilder(endpoints("", 5353, List.of("10.244.1.2"), List.of()))
            .editFirstSubset()
            .editFirstPort()
            .withName(null)
            .withProtocol("UDP")
            .endPort()
            .endSubset()
            .build();
    String id = "default/web:/udp";
    assertThat(serviceRules(render(s, e)))
        .contains(
            "-A NAUTA-abc123-SERVICES -d 10.96.0.53/32 -p udp -m udp --dport 53 -m comment"
                + " --comment \"default/web:\" -j "
                + NAMES.service(id),
            "-A "
                + NAMES.endpoint(id, "10.244.1.2:5353")
                + " -p udp -m udp -m comment --comment"
                + " \"default/web:\" -j DNAT --to-destination 10.244.1.2:5353");
  }

  @Test
  void alwaysMasqueradesServiceTrafficAndLetsPodsOfDifferentNodesMeetWithoutNat() {
    RuleSet r = RULES.render(List.of(), key -> Optional.empty());
    assertThat(r.nat().rules())
        .containsExactly(
            "-A NAUTA-abc123-SERVICES -m addrtype --dst-type LOCAL -j NAUTA-abc123-NODEPORTS",
            "-A NAUTA-abc123-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
            "-A NAUTA-abc123-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
            "-A NAUTA-abc123-POSTROUTING -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT");
    assertThat(r.filter().rules())
        .contains("-A NAUTA-abc123-FORWARD -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT");
  }

  @Test
  void letsPodsOfPeerClustersMeetOursBothWaysWithoutNatAndNothingElse() {
    RuleSet r =
        new ServiceRules(NAMES, "10.245.0.0/16", List.of("10.244.0.0/16", "10.246.0.0/16"))
            .render(List.of(), key -> Optional.empty());
    assertThat(r.nat().rules())
        .containsSubsequence(
            "-A NAUTA-abc123-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
            "-A NAUTA-abc123-POSTROUTING -s 10.245.0.0/16 -d 10.245.0.0/16 -j ACCEPT",
            "-A NAUTA-abc123-POSTROUTING -s 10.245.0.0/16 -d 10.244.0.0/16 -j ACCEPT",
            "-A NAUTA-abc123-POSTROUTING -s 10.245.0.0/16 -d 10.246.0.0/16 -j ACCEPT");
    assertThat(r.filter().rules().stream().filter(rule -> rule.contains("-FORWARD ")))
        .containsExactly(
            "-A NAUTA-abc123-FORWARD -s 10.245.0.0/16 -d 10.245.0.0/16 -j ACCEPT",
            "-A NAUTA-abc123-FORWARD -s 10.245.0.0/16 -d 10.244.0.0/16 -j ACCEPT",
            "-A NAUTA-abc123-FORWARD -s 10.244.0.0/16 -d 10.245.0.0/16 -j ACCEPT",
            "-A NAUTA-abc123-FORWARD -s 10.245.0.0/16 -d 10.246.0.0/16 -j ACCEPT",
            "-A NAUTA-abc123-FORWARD -s 10.246.0.0/16 -d 10.245.0.0/16 -j ACCEPT");
    assertThat(r.filter().rules())
        .contains("-A NAUTA-abc123-OUTPUT -d 10.244.0.0/16 -m conntrack --ctstate DNAT -j ACCEPT");
    // Without peers, no rule names another range.
    assertThat(String.join("\n", RULES.render(List.of(), key -> Optional.empty()).filter().rules()))
        .doesNotContain("10.245.")
        .doesNotContain("10.246.");
  }

  @Test
  void serviceChainsMasqueradeTrafficFromOutsideThePodNetworkAndAPodSentToItself() {
    RuleSet r =
        render(
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            endpoints("http", 8080, List.of("10.244.1.2"), List.of()));
    String svc = NAMES.service(WEB);
    List<String> chainRules =
        r.nat().rules().stream().filter(l -> l.startsWith("-A " + svc + " ")).toList();
    // A pod's own address survives (the endpoint may be on another node: its reply goes back by
    // the pod network's routes, not through this node's NAT).
    assertThat(chainRules.get(0))
        .isEqualTo("-A " + svc + " ! -s 10.244.0.0/16 -j NAUTA-abc123-MARK-MASQ");
    String sep = NAMES.endpoint(WEB, "10.244.1.2:8080");
    assertThat(r.nat().chains()).contains(svc, sep);
    List<String> endpointRules =
        r.nat().rules().stream().filter(l -> l.startsWith("-A " + sep + " ")).toList();
    assertThat(endpointRules.get(0))
        .startsWith("-A " + sep + " -s 10.244.1.2/32 ")
        .endsWith(" -j NAUTA-abc123-MARK-MASQ");
    assertThat(endpointRules.get(1)).endsWith("-j DNAT --to-destination 10.244.1.2:8080");
  }

  @Test
  void restoreScriptDeclaresOurChainsAndDeletesOnlyOurStaleOnes() {
    RuleSet r = RULES.render(List.of(), key -> Optional.empty());
    String stale = NAMES.service("default/gone:http/tcp");
    String script = r.restoreScript(Set.of(stale, "NAUTA-abc123-SERVICES"), Set.of());
    assertThat(script)
        .startsWith("*nat\n:NAUTA-abc123-SERVICES - [0:0]\n")
        .contains(":" + stale + " - [0:0]\n", "-X " + stale + "\nCOMMIT\n*filter\n")
        .doesNotContain("-X NAUTA-abc123-SERVICES")
        .endsWith("COMMIT\n");
    assertThat(RuleSet.deleteScript(Set.of(stale), Set.of()))
        .isEqualTo("*nat\n:" + stale + " - [0:0]\n-X " + stale + "\nCOMMIT\n");
  }

  @Test
  void chainNamesFitIptablesAndDifferPerAgent() {
    ChainNames a = ChainNames.forNodes(List.of("node-0", "node-1"));
    assertThat(a).isEqualTo(ChainNames.forNodes(List.of("node-1", "node-0")));
    assertThat(a).isNotEqualTo(ChainNames.forNodes(List.of("node-0")));
    assertThat(a.prefix()).matches("NAUTA-[0-9a-f]{6}");
    for (String chain :
        List.of(
            a.service("ns/a-very-long-service-name:port/tcp"),
            a.endpoint("x", "1.2.3.4:5"),
            a.nodePorts(),
            a.postrouting())) {
      assertThat(chain.length()).isLessThanOrEqualTo(28);
      assertThat(chain).matches(ChainNames.PATTERN);
    }
    assertThat(a.service("ns/a:p/tcp")).isNotEqualTo(a.service("ns/b:p/tcp"));
  }

  @Test
  void neverDnatsToLoopbackLinkLocalOrUnspecifiedEndpointAddresses() {
    RuleSet r =
        render(
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            endpoints(
                "http",
                8080,
                List.of(
                    "10.244.1.2",
                    "127.0.0.1",
                    "127.8.9.10",
                    "169.254.169.254",
                    "0.0.0.0",
                    "::1",
                    "fe80::1",
                    "::ffff:127.0.0.1",
                    "metadata.internal",
                    "300.1.1.1"),
                List.of()));

    assertThat(serviceRules(r))
        .filteredOn(l -> l.contains("DNAT"))
        .containsExactly(
            "-A "
                + NAMES.endpoint(WEB, "10.244.1.2:8080")
                + " -p tcp -m tcp -m comment --comment \"default/web:http\" -j DNAT"
                + " --to-destination 10.244.1.2:8080");
  }

  @Test
  void aServiceWhoseOnlyEndpointsAreLoopbackIsRejectedAsOneWithout() {
    RuleSet r =
        render(
            service("ClusterIP", "10.96.0.10", null, "http/80"),
            endpoints("http", 8080, List.of("127.0.0.1", "169.254.1.1"), List.of()));

    assertThat(serviceRules(r))
        .noneMatch(l -> l.contains("DNAT"))
        .anyMatch(l -> l.contains("-j REJECT"));
  }
}
