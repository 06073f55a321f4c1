package io.nauta.agent.runtime.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {

  private static Service svc(String ns, String name, String ip, Object... ports) {
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withClusterIP(ip)
            .endSpec();
    for (int i = 0; i < ports.length; i += 3) {
      b.editSpec()
          .addToPorts(
              new ServicePortBuilder()
                  .withName((String) ports[i])
                  .withPort((Integer) ports[i + 1])
                  .withProtocol((String) ports[i + 2])
                  .build())
          .endSpec();
    }
    return b.build();
  }

  @Test
  void givesEveryLinkVariableOfANamespacesServices() {
    Map<String, String> env =
        ServiceEnv.of(
            List.of(svc("shop", "my-db", "10.96.0.7", "sql", 5432, "TCP", "metrics", 9187, "UDP")),
            "shop",
            true);

    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("MY_DB_SERVICE_HOST", "10.96.0.7"),
                Map.entry("MY_DB_SERVICE_PORT", "5432"),
                Map.entry("MY_DB_SERVICE_PORT_SQL", "5432"),
                Map.entry("MY_DB_SERVICE_PORT_METRICS", "9187"),
                Map.entry("MY_DB_PORT", "tcp://10.96.0.7:5432"),
                Map.entry("MY_DB_PORT_5432_TCP", "tcp://10.96.0.7:5432"),
                Map.entry("MY_DB_PORT_5432_TCP_PROTO", "tcp"),
                Map.entry("MY_DB_PORT_5432_TCP_PORT", "5432"),
                Map.entry("MY_DB_PORT_5432_TCP_ADDR", "10.96.0.7"),
                Map.entry("MY_DB_PORT_9187_UDP", "udp://10.96.0.7:9187"),
                Map.entry("MY_DB_PORT_9187_UDP_PROTO", "udp"),
                Map.entry("MY_DB_PORT_9187_UDP_PORT", "9187"),
                Map.entry("MY_DB_PORT_9187_UDP_ADDR", "10.96.0.7")));
  }

  @Test
  void skipsHeadlessServicesAndOtherNamespacesButAlwaysAddsTheApiServersService() {
    List<Service> all =
        List.of(
            svc("default", "kubernetes", "10.96.0.1", "https", 443, "TCP"),
            svc("shop", "headless", "None", null, 80, "TCP"),
            svc("shop", "no-ip", "", null, 80, "TCP"),
            svc("other", "web", "10.96.0.9", null, 80, "TCP"),
            svc("shop", "web", "10.96.0.8", null, 80, "TCP"));

    assertThat(ServiceEnv.of(all, "shop", true).keySet())
        .filteredOn(k -> k.endsWith("_SERVICE_HOST"))
        .containsExactlyInAnyOrder("KUBERNETES_SERVICE_HOST", "WEB_SERVICE_HOST");
    assertThat(ServiceEnv.of(all, "shop", true)).containsEntry("WEB_SERVICE_HOST", "10.96.0.8");
    // enableServiceLinks: false leaves only the API server's.
    assertThat(ServiceEnv.of(all, "shop", false).keySet())
        .filteredOn(k -> k.endsWith("_SERVICE_HOST"))
        .containsExactly("KUBERNETES_SERVICE_HOST");
  }

  @Test
  void aServiceNamedKubernetesInThePodsNamespaceWins() {
    List<Service> all =
        List.of(
            svc("default", "kubernetes", "10.96.0.1", "https", 443, "TCP"),
            svc("shop", "kubernetes", "10.96.0.5", null, 80, "TCP"));

    assertThat(ServiceEnv.of(all, "shop", true))
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.5");
    assertThat(ServiceEnv.of(all, "shop", false))
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
  }
}
