package io.nauta.controllers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.api.support.TestApiServer;
import io.nauta.controllers.NautaControllers;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.scheduler.NautaScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scheduler and the controller manager with security on: each reaches the API server over HTTPS
 * with its own client certificate (its kubeconfig from the PKI the API server made) and serves its
 * own health port over HTTPS; a ReplicaSet still gets its pods created and bound.
 */
class SecureControlPlaneIT {

  private static final Duration T = Duration.ofSeconds(10);

  @TempDir static Path dir;
  private static TestApiServer api;
  private static KubeClient admin;
  private static SimulatedKubelet kubelet;
  private static final List<ConfigurableApplicationContext> components = new ArrayList<>();

  @BeforeAll
  static void start() {
    api =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate",
            "nauta.security.enabled=true",
            "nauta.security.pki-dir=" + dir.resolve("pki"));
    Path pki = api.pkiDir();
    admin = new KubeClient(ClientConfig.fromKubeconfig(pki.resolve("admin.kubeconfig")));
    kubelet = new SimulatedKubelet(admin).start(2, "4");
    components.add(
        NautaScheduler.application()
            .run(
                "--server.port=0",
                "--nauta.scheduler.kubeconfig=" + pki.resolve("scheduler.kubeconfig"),
                "--nauta.scheduler.leader-election.enabled=false",
                "--server.ssl.certificate=" + pki.resolve("scheduler-serving.crt"),
                "--server.ssl.certificate-private-key=" + pki.resolve("scheduler-serving.key")));
    components.add(
        NautaControllers.application()
            .run(
                "--server.port=0",
                "--nauta.controllers.kubeconfig=" + pki.resolve("controller-manager.kubeconfig"),
                "--nauta.controllers.leader-election.enabled=false",
                "--server.ssl.certificate=" + pki.resolve("controller-manager-serving.crt"),
                "--server.ssl.certificate-private-key="
                    + pki.resolve("controller-manager-serving.key")));
  }

  @AfterAll
  static void stop() {
    components.forEach(ConfigurableApplicationContext::close);
    if (kubelet != null) {
      kubelet.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aReplicaSetGetsItsPodsScheduledByComponentsUsingTheirOwnCertificates() {
    assertThat(api.url()).startsWith("https://");
    admin
        .resource(BuiltInResources.REPLICASETS, ReplicaSet.class)
        .create(ReplicaSetIT.replicaSet("default", "web", "web", 2))
        .block(T);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              List<Pod> pods =
                  admin
                      .resource(BuiltInResources.PODS, Pod.class)
                      .list("default", ListOptions.none())
                      .block(T)
                      .items();
              return pods.size() == 2
                  && pods.stream().allMatch(p -> p.getSpec().getNodeName() != null);
            });
  }

  @Test
  void theComponentsServeTheirHealthPortsOverHttps() throws Exception {
    HttpClient http = api.anonymousHttpClient();
    for (ConfigurableApplicationContext component : components) {
      String port = component.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    }
  }
}
