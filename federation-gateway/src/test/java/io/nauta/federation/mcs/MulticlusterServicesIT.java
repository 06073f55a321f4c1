package io.nauta.federation.mcs;

import static io.nauta.federation.support.MemberRegistration.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.federation.support.MemberRegistration;
import io.nauta.federation.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ServiceExport in one real member turns, through the gateway, into a ServiceImport, a Service
 * {@code derived-<name>} and its Endpoints (the exporter's addresses) in the other member; a change
 * of the exporter's endpoints follows; withdrawing the export removes them.
 */
class MulticlusterServicesIT {

  private static TestApiServer usa;
  private static TestApiServer asia;
  private static TestGateway gateway;
  private static Kubectl usaAdmin;
  private static Kubectl asiaAdmin;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("mcs-it-");
    usa =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(8),
            "nauta.security.pki-dir=" + Files.createDirectories(dir.resolve("usa")));
    asia =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(9),
            "nauta.security.pki-dir=" + Files.createDirectories(dir.resolve("asia")));
    gateway = TestGateway.start("nauta.federation.mcs.interval=1s");
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
    apply(
        usaAdmin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %s}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %s}
        spec:
          ports:
          - {name: http, port: 80, targetPort: 8080, protocol: TCP}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: web, namespace: %s}
        subsets:
        - addresses: [{ip: 10.244.0.7}]
          ports: [{name: http, port: 8080, protocol: TCP}]
        ---
        apiVersion: multicluster.x-k8s.io/v1alpha1
        kind: ServiceExport
        metadata: {name: web, namespace: %s}
        """
            .formatted(ns, ns, ns, ns));

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

  private static String get(Kubectl k, String ns, String object, String jsonpath) {
    Kubectl.Result r = k.run("-n", ns, "get", object, "-o", "jsonpath=" + jsonpath);
    return r.exitCode() == 0 ? r.stdout().trim() : "";
  }
}
