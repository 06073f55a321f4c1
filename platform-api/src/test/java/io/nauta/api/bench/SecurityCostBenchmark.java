package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * What TLS, authentication and authorization cost the API server: ConfigMap creates and gets per
 * second through real HTTP clients, against two API servers in this JVM on one Redis, one with
 * security off (plain HTTP, no identity) and one with it on, the latter called both as the admin
 * (client certificate, {@code system:masters}) and as a ServiceAccount with a bearer token that
 * RBAC allows through a RoleBinding to {@code edit} (token verification and an RBAC decision on
 * every request). Rounds alternate the three callers so the noise of a shared machine falls on all
 * of them; medians are reported. Run with {@code deploy/bench/run-java.sh platform-api
 * io.nauta.api.bench.SecurityCostBenchmark [objects [concurrency [rounds]]]} (defaults 2000 32 5);
 * not part of the test suite.
 */
public final class SecurityCostBenchmark {

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path pki = Files.createTempDirectory("bench-pki");
    try (TestApiServer off =
            TestApiServer.startOnEmptyRedis(
                "nauta.security.enabled=false", "logging.level.root=WARN");
        TestApiServer on =
            TestApiServer.start(
                "nauta.security.enabled=true",
                "nauta.security.pki-dir=" + pki,
                "logging.level.root=WARN")) {
      KubeClient admin =
          new KubeClient(ClientConfig.fromKubeconfig(pki.resolve("admin.kubeconfig")));
      Map<String, KubeClient> callers = new LinkedHashMap<>();
      callers.put("security off (HTTP, anonymous)", KubeClient.of(off.url()));
      callers.put("security on, admin certificate", admin);
      callers.put("security on, ServiceAccount token + RBAC", serviceAccount(admin, on));

      Map<String, List<double[]>> results = new LinkedHashMap<>();
      callers.keySet().forEach(k -> results.put(k, new ArrayList<>()));
      for (int round = 0; round <= rounds; round++) {
        List<String> order = new ArrayList<>(callers.keySet());
        // Each caller goes first in turn; round 0 warms every path up and is not reported.
        Collections.rotate(order, -round);
        for (String who : order) {
          String ns = "bench-" + round + "-" + results.get(who).size() + "-" + who.hashCode();
          double[] r = measure(admin, callers.get(who), ns, objects, concurrency);
          System.err.printf(
              Locale.ROOT, "round %d %s: %.0f creates/s, %.0f gets/s%n", round, who, r[0], r[1]);
          if (round > 0) {
            results.get(who).add(r);
          }
        }
      }
      double offCreates = median(results.values().iterator().next(), 0);
      double offGets = median(results.values().iterator().next(), 1);
      System.out.printf(
          Locale.ROOT,
          "| caller | creates/s (median of %d) | vs off | gets/s | vs off |%n|---|---|---|---|---|%n",
          rounds);
      for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
        double c = median(e.getValue(), 0);
        double g = median(e.getValue(), 1);
        System.out.printf(
            Locale.ROOT,
            "| %s | %.0f | %.2f | %.0f | %.2f |%n",
            e.getKey(),
            c,
            c / offCreates,
            g,
            g / offGets);
      }
      System.out.printf(
          Locale.ROOT,
          "%d ConfigMaps per round and caller, %d requests in flight%n",
          objects,
          concurrency);
    }
    System.exit(0);
  }

  /** A ServiceAccount in {@code bench} bound to {@code edit} cluster-wide, called by its token. */
  private static KubeClient serviceAccount(KubeClient admin, TestApiServer on) {
    admin
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build())
        .block();
    admin
        .resource(BuiltInResources.SERVICEACCOUNTS, ServiceAccount.class)
        .create(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withNamespace("bench")
                .withName("writer")
                .endMetadata()
                .build())
        .block();
    admin
        .resource(BuiltInResources.CLUSTER_ROLE_BINDINGS, ClusterRoleBinding.class)
        .create(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("bench-writer")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace("bench")
                .withName("writer")
                .endSubject()
                .build())
        .block();
    String body =
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
            + "\"spec\":{\"expirationSeconds\":3600}}";
    String answer =
        on.client()
            .post()
            .uri("/api/v1/namespaces/bench/serviceaccounts/writer/token")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    JsonNode status = admin.mapper().readTree(answer).path("status");
    ClientConfig c = admin.config();
    return new KubeClient(
        new ClientConfig(
            c.server(),
            status.path("token").asString(),
            null,
            c.certificateAuthority(),
            null,
            null,
            false));
  }

  /** Creates per second, then gets per second, of {@code objects} ConfigMaps in {@code ns}. */
  private static double[] measure(
      KubeClient admin, KubeClient caller, String ns, int objects, int concurrency) {
    admin
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .block();
    ResourceClient<ConfigMap> maps = caller.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    long start = System.nanoTime();
    Flux.range(0, objects)
        .flatMap(
            i ->
                maps.create(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withNamespace(ns)
                        .withName("cm-" + i)
                        .endMetadata()
                        .addToData("key", "value-" + i)
                        .build()),
            concurrency)
        .blockLast(Duration.ofMinutes(10));
    double creates = objects / seconds(start);
    start = System.nanoTime();
    Flux.range(0, objects)
        .flatMap(i -> maps.get(ns, "cm-" + i), concurrency)
        .blockLast(Duration.ofMinutes(10));
    double gets = objects / seconds(start);
    return new double[] {creates, gets};
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static double median(List<double[]> runs, int column) {
    double[] v = runs.stream().mapToDouble(r -> r[column]).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
