package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service account controller and the root CA publisher in a real controller manager against a
 * real API server: a {@code default} ServiceAccount and a {@code kube-root-ca.crt} ConfigMap in
 * every namespace, made again when deleted, the ConfigMap kept equal when edited.
 */
class ServiceAccountControllersIT {

  static final Duration T = Duration.ofSeconds(20);
  static final String CA =
      "-----BEGIN CERTIFICATE-----\nMIIBdummyCAforTheTest\n-----END CERTIFICATE-----\n";

  @TempDir static Path dir;

  static TestCluster cluster;
  static ResourceClient<Namespace> namespaces;
  static ResourceClient<ServiceAccount> accounts;
  static ResourceClient<ConfigMap> configMaps;

  @BeforeAll
  static void start() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), CA);
    cluster = TestCluster.start(0, "8", "nauta.controllers.root-ca-file=" + ca);
    namespaces = cluster.client.resource(BuiltInResources.NAMESPACES, Namespace.class);
    accounts = cluster.client.resource(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class);
    configMaps = cluster.client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static ServiceAccount defaultAccount(String ns) {
    return accounts
        .get(ns, "default")
        .onErrorResume(e -> reactor.core.publisher.Mono.empty())
        .block();
  }

  static ConfigMap rootCa(String ns) {
    return configMaps
        .get(ns, "kube-root-ca.crt")
        .onErrorResume(e -> reactor.core.publisher.Mono.empty())
        .block();
  }

  @Test
  void everyNamespaceHasADefaultServiceAccountMadeAgainWhenDeleted() {
    namespaces
        .create(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
        .block();

    await().atMost(T).until(() -> defaultAccount("team") != null);
    await().atMost(T).until(() -> defaultAccount("default") != null);
    await().atMost(T).until(() -> defaultAccount("kube-system") != null);
    String uid = defaultAccount("team").getMetadata().getUid();

    accounts.delete("team", "default").block();

    await()
        .atMost(T)
        .until(
            () -> {
              ServiceAccount again = defaultAccount("team");
              return again != null && !again.getMetadata().getUid().equals(uid);
            });
  }

  @Test
  void everyNamespaceHasTheRootCaConfigMapKeptAsPublished() {
    namespaces
        .create(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build())
        .block();

    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(rootCa("apps"))
                    .extracting(ConfigMap::getData)
                    .isEqualTo(Map.of("ca.crt", CA)));
    assertThat(rootCa("apps").getMetadata().getAnnotations())
        .containsKey("kubernetes.io/description");
    await().atMost(T).until(() -> rootCa("default") != null);

    configMaps
        .patch(
            "apps",
            "kube-root-ca.crt",
            PatchType.MERGE,
            "{\"data\":{\"ca.crt\":\"forged\",\"extra\":\"x\"}}")
        .block();

    await()
        .atMost(T)
        .untilAsserted(() -> assertThat(rootCa("apps").getData()).isEqualTo(Map.of("ca.crt", CA)));

    configMaps.delete("apps", "kube-root-ca.crt").block();

    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(rootCa("apps"))
                    .extracting(ConfigMap::getData)
                    .isEqualTo(Map.of("ca.crt", CA)));
  }
}
