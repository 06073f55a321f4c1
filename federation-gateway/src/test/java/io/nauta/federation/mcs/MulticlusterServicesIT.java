package io.nauta.federation.mcs;

import static io.nauta.federation.support.MemberRegistration.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.cluster.MemberClusters;
import io.nauta.federation.support.MemberRegistration;
import io.nauta.federation.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ServiceExport in one real member turns, through the gateway, into a ServiceImport, a Service
 * {@code derived-<name>} and its Endpoints (the exporter's addresses) in the other member; a change
 * of the exporter's endpoints follows; withdrawing the export removes them. Driven by the members'
 * informers: within a second, and a member that was unreachable is brought in step when it is back.
 */
class MulticlusterServicesIT {

  private static final int ASIA_DB = 9;

  private static Path dir;
  private static TestApiServer usa;
  private static TestApiServer asia;
  private static TestGateway gateway;
  private static Kubectl usaAdmin;
  private static Kubectl asiaAdmin;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("mcs-it-");
    usa =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(8),
            "nauta.security.pki-dir=" + Files.createDirectories(dir.resolve("usa")));
    asia =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(ASIA_DB),
            "nauta.security.pki-dir=" + Files.createDirectories(dir.resolve("asia")));
    // Health probed every second: a member that is back turns Ready within about a second.
    gateway =
        TestGateway.start(
            "nauta.federation.cluster.probe-interval=1s",
            "nauta.federation.cluster.probe-timeout=1s",
            "nauta.federation.cluster.failure-threshold=2");
    Kubectl gatewayAdmin = new Kubectl(gateway.kubeconfig());
    MemberRegistration.register(gatewayAdmin, usa, "usa-3", "us");
    MemberRegistration.register(gatewayAdmin, asia, "asia-2", "asia");
    usaAdmin = new Kubectl(usa.kubeconfig());
    asiaAdmin = new Kubectl(asia.kubeconfig());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, usa, asia}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  @Test
  void anExportInOneMemberIsImportedIntoTheOtherAndWithdrawn() {
    String ns = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    // The gateway installs the MCS kinds in every member.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                usaAdmin.run("get", "crd", "serviceexports.multicluster.x-k8s.io").exitCode() == 0);
    exportable(ns, "web", "10.244.0.7");
    apply(
        usaAdmin,
        """
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceExport
        metadata: {name: web, namespace: %s}
        """
            .formatted(ns));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      get(
                          asiaAdmin,
                          ns,
                          "serviceimports.multicluster.x-k8s.io/web",
                          "{.spec.type}"))
                  .isEqualTo("ClusterSetIP");
              assertThat(get(asiaAdmin, ns, "service/derived-web", "{.spec.ports[0].port}"))
                  .isEqualTo("80");
              assertThat(
                      get(asiaAdmin, ns, "endpoints/derived-web", "{.subsets[0].addresses[*].ip}"))
                  .isEqualTo("10.244.0.7");
              assertThat(get(asiaAdmin, ns, "endpoints/derived-web", "{.subsets[0].ports[0].port}"))
                  .isEqualTo("8080");
              // The import names the derived Service's cluster IP.
              String ip = get(asiaAdmin, ns, "service/derived-web", "{.spec.clusterIP}");
              assertThat(ip).isNotBlank();
              assertThat(
                      get(
                          asiaAdmin,
                          ns,
                          "serviceimports.multicluster.x-k8s.io/web",
                          "{.spec.ips[0]}"))
                  .isEqualTo(ip);
            });
    // Nothing is imported back into the exporter.
    assertThat(usaAdmin.run("-n", ns, "get", "service/derived-web").exitCode()).isNotZero();

    apply(
        usaAdmin,
        """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: web, namespace: %s}
        subsets:
        - addresses: [{ip: 10.244.0.7}, {ip: 10.244.0.8}]
          ports: [{name: http, port: 8080, protocol: TCP}]
        """
            .formatted(ns));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        get(
                            asiaAdmin,
                            ns,
                            "endpoints/derived-web",
                            "{.subsets[0].addresses[*].ip}"))
                    .isEqualTo("10.244.0.7 10.244.0.8"));

    assertThat(
            usaAdmin.run("-n", ns, "delete", "serviceexports.multicluster.x-k8s.io/web").exitCode())
        .isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(asiaAdmin.run("-n", ns, "get", "service/derived-web").exitCode())
                  .isNotZero();
              assertThat(asiaAdmin.run("-n", ns, "get", "endpoints/derived-web").exitCode())
                  .isNotZero();
              assertThat(
                      asiaAdmin
                          .run("-n", ns, "get", "serviceimports.multicluster.x-k8s.io/web")
                          .exitCode())
                  .isNotZero();
            });
  }

  @Test
  void aNewExportAndAnEndpointChangeReachTheOtherMemberWithinASecond() {
    String ns = "fast-" + UUID.randomUUID().toString().substring(0, 6);
    awaitCrds();
    exportable(ns, "api", "10.244.1.1");
    KubeClient usaClient = usa.kubeClient();
    KubeClient asiaClient = asia.kubeClient();
    long start = System.nanoTime();
    export(usaClient, ns, "api");
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> find(asiaClient, KarmadaResources.SERVICE_IMPORTS, ns, "api") != null);
    assertThat(ips(asiaClient, ns, "derived-api")).isEqualTo("10.244.1.1");
    long imported = System.nanoTime() - start;

    usaClient
        .resource(BuiltInResources.ENDPOINTS, Endpoints.class)
        .update(endpoints(usaClient, ns, "api", "10.244.1.1", "10.244.1.2"))
        .block();
    long changed = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> ips(asiaClient, ns, "derived-api").equals("10.244.1.1 10.244.1.2"));
    System.out.printf(
        "MCS latency: export to import %d ms, endpoint change %d ms%n",
        imported / 1_000_000, (System.nanoTime() - changed) / 1_000_000);
    assertStable(asiaClient, ns, "api");
  }

  @Test
  void aMemberUnreachableForAWhileIsBroughtInStepWhenItIsBack() throws IOException {
    String ns = "away-" + UUID.randomUUID().toString().substring(0, 6);
    awaitCrds();
    exportable(ns, "web", "10.244.2.1");
    exportable(ns, "old", "10.244.2.9");
    exportable(ns, "new", "10.244.2.5");
    KubeClient usaClient = usa.kubeClient();
    export(usaClient, ns, "web");
    export(usaClient, ns, "old");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                find(asia.kubeClient(), KarmadaResources.SERVICE_IMPORTS, ns, "web") != null
                    && find(asia.kubeClient(), KarmadaResources.SERVICE_IMPORTS, ns, "old")
                        != null);

    // asia goes away; meanwhile in usa an endpoint changes, an export goes and one comes.
    int port = asia.port();
    asia.close();
    usaClient
        .resource(BuiltInResources.ENDPOINTS, Endpoints.class)
        .update(endpoints(usaClient, ns, "web", "10.244.2.1", "10.244.2.2"))
        .block();
    usaClient
        .resource(KarmadaResources.SERVICE_EXPORTS, GenericKubernetesResource.class)
        .delete(ns, "old")
        .block();
    export(usaClient, ns, "new");
    // The gateway sees asia unreachable.
    KubeClient gatewayClient = gateway.kubeClient();
    await().atMost(Duration.ofSeconds(30)).until(() -> !ready(gatewayClient, "asia-2"));

    // asia is back where it was, with what it held.
    asia =
        TestApiServer.start(
            "server.port=" + port,
            "nauta.redis.url=" + TestGateway.redisUrl(ASIA_DB),
            "nauta.security.pki-dir=" + dir.resolve("asia"));
    KubeClient asiaClient = asia.kubeClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(ips(asiaClient, ns, "derived-web")).isEqualTo("10.244.2.1 10.244.2.2");
              assertThat(find(asiaClient, KarmadaResources.SERVICE_IMPORTS, ns, "new")).isNotNull();
              assertThat(ips(asiaClient, ns, "derived-new")).isEqualTo("10.244.2.5");
              // Nothing stale: the withdrawn export's import is gone, all three parts of it.
              assertThat(find(asiaClient, KarmadaResources.SERVICE_IMPORTS, ns, "old")).isNull();
              assertThat(find(asiaClient, BuiltInResources.SERVICES, ns, "derived-old")).isNull();
              assertThat(find(asiaClient, BuiltInResources.ENDPOINTS, ns, "derived-old")).isNull();
            });
    // No duplicate: one derived Service per export, the gateway's only, and nothing rewritten.
    List<String> derived =
        asiaClient
            .resource(BuiltInResources.SERVICES, Service.class)
            .listAll(ns, ListOptions.none())
            .block()
            .items()
            .stream()
            .map(svc -> svc.getMetadata().getName())
            .filter(n -> n.startsWith("derived-"))
            .sorted()
            .toList();
    assertThat(derived).containsExactly("derived-new", "derived-web");
    assertStable(asiaClient, ns, "web");
  }

  /** The gateway installs the MCS kinds in every member. */
  private static void awaitCrds() {
    for (Kubectl k : new Kubectl[] {usaAdmin, asiaAdmin}) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> k.run("get", "crd", "serviceimports.multicluster.x-k8s.io").exitCode() == 0);
    }
  }

  /** In usa: namespace {@code ns}, Service {@code name} and its Endpoints at {@code ip}. */
  private static void exportable(String ns, String name, String ip) {
    apply(
        usaAdmin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %s}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          ports:
          - {name: http, port: 80, targetPort: 8080, protocol: TCP}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: %s, namespace: %s}
        subsets:
        - addresses: [{ip: %s}]
          ports: [{name: http, port: 8080, protocol: TCP}]
        """
            .formatted(ns, name, ns, name, ns, ip));
  }

  private static void export(KubeClient client, String ns, String name) {
    GenericKubernetesResource se = new GenericKubernetesResource();
    se.setApiVersion("multicluster.x-k8s.io/v1alpha1");
    se.setKind("ServiceExport");
    se.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    client
        .resource(KarmadaResources.SERVICE_EXPORTS, GenericKubernetesResource.class)
        .create(se)
        .block();
  }

  private static Endpoints endpoints(KubeClient client, String ns, String name, String... ips) {
    Endpoints current =
        client.resource(BuiltInResources.ENDPOINTS, Endpoints.class).get(ns, name).block();
    return new EndpointsBuilder(current)
        .editFirstSubset()
        .withAddresses(
            java.util.Arrays.stream(ips)
                .map(ip -> new EndpointAddressBuilder().withIp(ip).build())
                .toList())
        .endSubset()
        .build();
  }

  /** The addresses of Endpoints {@code ns/name}, space-separated; "" when there are none. */
  private static String ips(KubeClient client, String ns, String name) {
    Endpoints ep = (Endpoints) find(client, BuiltInResources.ENDPOINTS, ns, name);
    if (ep == null || ep.getSubsets() == null) {
      return "";
    }
    return ep.getSubsets().stream()
        .flatMap(
            s ->
                s.getAddresses() == null
                    ? java.util.stream.Stream.empty()
                    : s.getAddresses().stream())
        .map(a -> a.getIp())
        .collect(java.util.stream.Collectors.joining(" "));
  }

  private static HasMetadata find(KubeClient client, ResourceType type, String ns, String name) {
    Class<? extends HasMetadata> model =
        type == BuiltInResources.ENDPOINTS
            ? Endpoints.class
            : type == BuiltInResources.SERVICES ? Service.class : GenericKubernetesResource.class;
    try {
      return client.resource(type, model).get(ns, name).block();
    } catch (NotFoundException e) {
      return null;
    }
  }

  /** What the gateway made for {@code ns/name} is not rewritten once in step (no echo loop). */
  private static void assertStable(KubeClient client, String ns, String name) {
    List<String> first = versions(client, ns, name);
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(versions(client, ns, name)).isEqualTo(first));
  }

  private static List<String> versions(KubeClient client, String ns, String name) {
    return List.of(
        find(client, KarmadaResources.SERVICE_IMPORTS, ns, name).getMetadata().getResourceVersion(),
        find(client, BuiltInResources.SERVICES, ns, "derived-" + name)
            .getMetadata()
            .getResourceVersion(),
        find(client, BuiltInResources.ENDPOINTS, ns, "derived-" + name)
            .getMetadata()
            .getResourceVersion());
  }

  private static boolean ready(KubeClient gatewayClient, String cluster) {
    var c =
        gatewayClient
            .resource(KarmadaResources.CLUSTERS, io.nauta.federation.api.Cluster.class)
            .get(null, cluster)
            .block();
    return MemberClusters.isReady(c);
  }

  private static String get(Kubectl k, String ns, String object, String jsonpath) {
    Kubectl.Result r = k.run("-n", ns, "get", object, "-o", "jsonpath=" + jsonpath);
    return r.exitCode() == 0 ? r.stdout().trim() : "";
  }
}
