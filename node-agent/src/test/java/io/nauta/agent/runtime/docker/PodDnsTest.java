package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOptionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDnsTest {

  private final PodDns dns = new PodDns(List.of("10.96.0.10"), "cluster.local");

  @Test
  void clusterFirstIsTheDefaultAndUsesTheClusterDnsWithTheNamespacesSearchPath() {
    PodDns.Settings s = dns.settings(pod(null, null));

    assertThat(s.nameservers()).containsExactly("10.96.0.10");
    assertThat(s.searches())
        .containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local");
    assertThat(s.options()).containsExactly("ndots:5");
    assertThat(dns.settings(pod("ClusterFirstWithHostNet", null)).nameservers())
        .containsExactly("10.96.0.10");
  }

  @Test
  void onTheHostsNetworkOnlyClusterFirstWithHostNetUsesTheClusterDns() {
    Pod clusterFirst =
        new PodBuilder(pod("ClusterFirst", null))
            .editSpec()
            .withHostNetwork(true)
            .endSpec()
            .build();
    Pod withHostNet =
        new PodBuilder(pod("ClusterFirstWithHostNet", null))
            .editSpec()
            .withHostNetwork(true)
            .endSpec()
            .build();

    assertThat(dns.settings(clusterFirst).isDefault()).isTrue();
    assertThat(dns.settings(withHostNet).nameservers()).containsExactly("10.96.0.10");
  }

  @Test
  void defaultResolvesAsTheNode() {
    assertThat(dns.settings(pod("Default", null)).isDefault()).isTrue();
  }

  @Test
  void withoutAClusterDnsClusterFirstFallsBackToTheNodes() {
    assertThat(PodDns.none().settings(pod("ClusterFirst", null)).isDefault()).isTrue();
  }

  @Test
  void noneTakesOnlyTheDnsConfig() {
    PodDns.Settings s =
        dns.settings(
            pod(
                "None",
                new PodDNSConfigBuilder()
                    .withNameservers("192.0.2.1")
                    .withSearches("example.test")
                    .withOptions(new PodDNSConfigOptionBuilder().withName("edns0").build())
                    .build()));

    assertThat(s.nameservers()).containsExactly("192.0.2.1");
    assertThat(s.searches()).containsExactly("example.test");
    assertThat(s.options()).containsExactly("edns0");
  }

  @Test
  void dnsConfigIsAppendedAndItsOptionsWinByName() {
    PodDns.Settings s =
        dns.settings(
            pod(
                "ClusterFirst",
                new PodDNSConfigBuilder()
                    .withSearches("example.test")
                    .withOptions(
                        new PodDNSConfigOptionBuilder().withName("ndots").withValue("2").build())
                    .build()));

    assertThat(s.searches()).endsWith("example.test").hasSize(4);
    assertThat(s.options()).containsExactly("ndots:2");
  }

  @Test
  void resolvConfIsWrittenInTheKubeletsLayout() {
    assertThat(
            ResolvConf.render(
                new PodDns(List.of("10.96.0.10"), "cluster.local").settings(pod(null, null))))
        .isEqualTo(
            "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
                + "nameserver 10.96.0.10\n"
                + "options ndots:5\n");
  }

  private static Pod pod(String policy, io.fabric8.kubernetes.api.model.PodDNSConfig config) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("p")
        .endMetadata()
        .withNewSpec()
        .withDnsPolicy(policy)
        .withDnsConfig(config)
        .endSpec()
        .build();
  }
}
