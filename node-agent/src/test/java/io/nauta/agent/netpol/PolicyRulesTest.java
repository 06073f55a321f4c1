package io.nauta.agent.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.Iptables;
import io.nauta.agent.services.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Policies, pods and namespaces in; what each local pod may receive and send, and its rules, out.
 */
class PolicyRulesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Pod WEB = pod("a", "web", "node-0", "10.0.0.2", Map.of("app", "web"));
  private static final Pod CLIENT =
      pod("a", "client", "node-1", "10.0.1.2", Map.of("app", "client"));
  private static final Pod INTRUDER =
      pod("b", "intruder", "node-0", "10.0.0.3", Map.of("app", "client"));
  private static final List<Pod> PODS = List.of(WEB, CLIENT, INTRUDER);
  private static final List<Namespace> NAMESPACES =
      List.of(namespace("a", Map.of()), namespace("b", Map.of("team", "b")));

  private static Pod pod(
      String ns, String name, String node, String ip, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .addNewPort()
        .withName("dns")
        .withContainerPort(53)
        .withProtocol("UDP")
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .endStatus()
        .build();
  }

  private static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  private static NetworkPolicy policy(String ns, String spec) {
    return JSON.readValue(
        """
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
         "metadata": {"name": "np", "namespace": "%s"}, "spec": %s}
        """
            .formatted(ns, spec),
        NetworkPolicy.class);
  }

  /** The firewalls of the pods on node-0 (web and intruder), as strings. */
  private static List<String> onNode0(NetworkPolicy... policies) {
    return PolicyRules.compute(List.of(policies), PODS, NAMESPACES, "node-0"::equals).stream()
        .map(PodFirewall::toString)
        .toList();
  }

  @Test
  void aPodNoPolicySelectsIsLeftAlone() {
    assertThat(onNode0()).isEmpty();
    assertThat(onNode0(policy("a", "{\"podSelector\": {\"matchLabels\": {\"app\": \"db\"}}}")))
        .isEmpty();
  }

  @Test
  void aSelectedPodWithoutRulesDeniesAllIngressOnly() {
    assertThat(onNode0(policy("a", "{\"podSelector\": {}}")))
        .containsExactly("a/web (10.0.0.2): ingress deny, egress open");
  }

  @Test
  void aPodSelectorPeerIsThePolicysNamespacesPodsWhereverTheyRun() {
    NetworkPolicy np =
        policy(
            "a",
            """
            {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
             "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}}],
                          "ports": [{"protocol": "TCP", "port": 8080}]}]}
            """);
    // client runs on node-1; intruder has the same label in namespace b
    assertThat(onNode0(np))
        .containsExactly("a/web (10.0.0.2): ingress [10.0.1.2/32 TCP:8080], egress open");
  }

  @Test
  void aNamespaceSelectorPeerIsEveryPodOfTheMatchingNamespacesAndBothTogetherNarrowIt() {
    NetworkPolicy byNamespace =
        policy(
            "a",
            """
            {"podSelector": {"matchLabels": {"app": "web"}},
             "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}},
                                   {"namespaceSelector": {"matchLabels": {"team": "b"}}}]}]}
            """);
    assertThat(onNode0(byNamespace))
        .containsExactly("a/web (10.0.0.2): ingress [10.0.1.2/32, 10.0.0.3/32], egress open");
    NetworkPolicy both =
        policy(
            "a",
            """
            {"podSelector": {"matchLabels": {"app": "web"}},
             "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "b"}},
                                    "podSelector": {"matchLabels": {"app": "nobody"}}}]}]}
            """);
    assertThat(onNode0(both)).containsExactly("a/web (10.0.0.2): ingress deny, egress open");
  }

  @Test
  void anIpBlockLosesItsExceptionsAndPortsTakeRangesNamesAndProtocols() {
    NetworkPolicy np =
        policy(
            "a",
            """
            {"podSelector": {"matchLabels": {"app": "web"}},
             "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/24", "except": ["10.0.0.0/26", "10.0.0.128/25"]}}],
                          "ports": [{"port": 9000, "endPort": 9010}, {"port": "dns", "protocol": "UDP"},
                                    {"port": "missing"}, {"protocol": "SCTP"}]}]}
            """);
    assertThat(onNode0(np))
        .containsExactly(
            "a/web (10.0.0.2): ingress [10.0.0.64/26 TCP:9000-9010, 10.0.0.64/26 UDP:53,"
                + " 10.0.0.64/26 SCTP], egress open");
  }

  @Test
  void egressDefaultDenyThenDnsAndANamedPortOnTheDestination() {
    NetworkPolicy deny = policy("a", "{\"podSelector\": {}, \"policyTypes\": [\"Egress\"]}");
    NetworkPolicy dns =
        policy(
            "a",
            """
            {"podSelector": {}, "policyTypes": ["Egress"],
             "egress": [{"ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
                        {"to": [{"namespaceSelector": {}}], "ports": [{"port": "http"}]}]}
            """);
    assertThat(onNode0(deny)).containsExactly("a/web (10.0.0.2): ingress open, egress deny");
    assertThat(onNode0(deny, dns))
        .containsExactly(
            "a/web (10.0.0.2): ingress open, egress [any UDP:53, any TCP:53, 10.0.0.2/32 TCP:8080,"
                + " 10.0.1.2/32 TCP:8080, 10.0.0.3/32 TCP:8080]");
  }

  @Test
  void theKubeDnsEndpointsOnTheHostArePodsOfKubeSystemServingTheServicesPort53OnTheirOwn() {
    Endpoints dns =
        new EndpointsBuilder()
            .withNewMetadata()
            .withNamespace("kube-system")
            .withName("kube-dns")
            .withLabels(Map.of("k8s-app", "kube-dns"))
            .endMetadata()
            .addNewSubset()
            .addNewAddress()
            .withIp("192.168.5.1")
            .endAddress()
            .addNewPort()
            .withName("dns")
            .withProtocol("UDP")
            .withPort(10053)
            .endPort()
            .addNewPort()
            .withName("dns-tcp")
            .withProtocol("TCP")
            .withPort(10053)
            .endPort()
            .endSubset()
            .build();
    // Another Endpoints of kube-system is no DNS server.
    Endpoints other =
        new EndpointsBuilder(dns).editMetadata().withName("other").endMetadata().build();
    List<Namespace> namespaces = new java.util.ArrayList<>(NAMESPACES);
    namespaces.add(namespace("kube-system", Map.of()));
    NetworkPolicy deny = policy("a", "{\"podSelector\": {}, \"policyTypes\": [\"Egress\"]}");
    NetworkPolicy allowDns =
        policy(
            "a",
            """
            {"podSelector": {}, "policyTypes": ["Egress"],
             "egress": [
               {"to": [{"namespaceSelector": {"matchLabels":
                          {"kubernetes.io/metadata.name": "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
               {"to": [{"podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]}]}
            """);
    NetworkPolicy byName =
        policy(
            "a",
            """
            {"podSelector": {}, "policyTypes": ["Egress"],
             "egress": [{"to": [{"ipBlock": {"cidr": "192.168.0.0/16"}}],
                         "ports": [{"port": "dns-tcp"}]}]}
            """);
    java.util.function.Function<NetworkPolicy[], List<String>> onNode0 =
        ps ->
            PolicyRules.compute(
                    List.of(ps), PODS, namespaces, List.of(dns, other), "node-0"::equals)
                .stream()
                .map(PodFirewall::toString)
                .toList();
    // a plain deny blocks DNS too; the namespace selector (with the Service's label) allows it, a
    // rule's 53 reaching the server's own port; a pod selector alone stays in the policy's
    // namespace; the port names of the Endpoints resolve on the server
    assertThat(onNode0.apply(new NetworkPolicy[] {deny}))
        .containsExactly("a/web (10.0.0.2): ingress open, egress deny");
    assertThat(onNode0.apply(new NetworkPolicy[] {deny, allowDns}))
        .containsExactly(
            "a/web (10.0.0.2): ingress open, egress [192.168.5.1/32 UDP:53,"
                + " 192.168.5.1/32 TCP:53, 192.168.5.1/32 UDP:10053, 192.168.5.1/32 TCP:10053]");
    assertThat(onNode0.apply(new NetworkPolicy[] {byName}))
        .containsExactly("a/web (10.0.0.2): ingress open, egress [192.168.5.1/32 TCP:10053]");
    // without the Endpoints, the same policy allows nothing on the host
    assertThat(
            PolicyRules.compute(List.of(allowDns), PODS, namespaces, List.of(), "node-0"::equals)
                .stream()
                .map(PodFirewall::toString))
        .containsExactly("a/web (10.0.0.2): ingress open, egress deny");
  }

  @Test
  void policyTypesDefaultAsTheApiServerDefaultsThem() {
    NetworkPolicy withEgress =
        policy(
            "a",
            "{\"podSelector\": {}, \"egress\": [{\"ports\": [{\"port\": 53, \"protocol\": \"UDP\"}]}]}");
    assertThat(onNode0(withEgress))
        .containsExactly("a/web (10.0.0.2): ingress deny, egress [any UDP:53]");
  }

  @Test
  void rendersPerPodChainsBehindConntrackThatReturnWhatIsAllowedAndDropTheRest() {
    ChainNames names = new ChainNames("NAUTA-abcdef");
    List<PodFirewall> pods =
        List.of(
            new PodFirewall(
                "a/web",
                "10.0.0.2",
                List.of(
                    new Allow("10.0.1.2/32", "TCP", 8080, null),
                    new Allow(null, "UDP", 9000, 9010)),
                List.of()));
    RuleSet.Table table = PolicyChains.render(pods, names);
    String in = names.chain("NPI", "a/web");
    String out = names.chain("NPE", "a/web");
    assertThat(table.chains()).containsExactly("NAUTA-abcdef-NETPOL", in, out);
    assertThat(in.length()).isLessThanOrEqualTo(28);
    assertThat(table.rules())
        .containsExactly(
            "-A NAUTA-abcdef-NETPOL -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
            "-A NAUTA-abcdef-NETPOL -d 10.0.0.2/32 -m comment --comment a/web -j " + in,
            "-A NAUTA-abcdef-NETPOL -s 10.0.0.2/32 -m comment --comment a/web -j " + out,
            "-A " + in + " -s 10.0.1.2/32 -p tcp -m tcp --dport 8080 -j RETURN",
            "-A " + in + " -p udp -m udp --dport 9000:9010 -j RETURN",
            "-A " + in + " -j DROP",
            "-A " + out + " -j DROP");
  }

  @Test
  void theMainChainIsHookedFirstFromForwardAndInputBesideTheServiceProxysHooks() {
    String proxy = "-m comment --comment nauta-services -j NAUTA-aa0000-INPUT";
    String ours = "-m comment --comment nauta-netpol -j NAUTA-abcdef-NETPOL";
    List<String> commands = new ArrayList<>();
    String[] filter = {
      "-A INPUT " + proxy + "\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o br-1 -j ACCEPT\n"
    };
    Iptables iptables =
        new Iptables() {
          @Override
          public String save() {
            return "*nat\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n"
                + ":DOCKER-USER - [0:0]\n:NAUTA-aa0000-INPUT - [0:0]\n"
                + filter[0]
                + "COMMIT\n";
          }

          @Override
          public void restore(String input) {}

          @Override
          public void run(String table, List<String> args) {
            commands.add(table + " " + String.join(" ", args));
          }
        };
    IptablesPolicies policies = new IptablesPolicies(new ChainNames("NAUTA-abcdef"), iptables);
    policies.apply(List.of());
    // first in both; the service proxy's INPUT hook stays where it is (agents never fight)
    assertThat(commands)
        .containsExactly("filter -I FORWARD 1 " + ours, "filter -I INPUT 1 " + ours);

    // behind the service proxy's hook (another agent's) is in place: nothing to do
    commands.clear();
    filter[0] =
        "-A INPUT "
            + proxy
            + "\n-A INPUT "
            + ours
            + "\n-A FORWARD "
            + ours
            + "\n-A FORWARD -j DOCKER-USER\n";
    policies.apply(List.of());
    assertThat(commands).isEmpty();

    // a graceful stop deletes both jumps (then the chains, in one restore)
    policies.close();
    assertThat(commands)
        .containsExactlyInAnyOrder("filter -D INPUT " + ours, "filter -D FORWARD " + ours);
  }
}
