package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.LeaseFence;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * What the server-side lease fence costs a leader's write: ConfigMap creates per second, 64 in
 * flight, from two clients of one secure API server (TLS, client certificate, authorization) in
 * this JVM on the test Redis. The "off" client sends no {@code Nauta-Lease-Fence} header; the "on"
 * client names a Lease it holds, as a leader-elected component's client does, so the store reads
 * that Lease from Redis before each write. Rounds alternate which client goes first; round 0 warms
 * up and is not reported; medians are reported. Run with {@code deploy/bench/run-java.sh
 * platform-api io.nauta.api.bench.LeaseFenceCostBenchmark [creates [concurrency [rounds]]]}
 * (defaults 3000 64 5); not part of the test suite.
 */
public final class LeaseFenceCostBenchmark {

  private static final String HOLDER = "bench-leader";

  public static void main(String[] args) throws Exception {
    int creates = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    try (TestApiServer server = TestApiServer.startOnEmptyRedis("logging.level.root=WARN")) {
      KubeClient admin = server.kubeClient();
      admin
          .resource(BuiltInResources.LEASES, Lease.class)
          .create(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName("bench")
                  .withNamespace("kube-system")
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(HOLDER)
                  .withLeaseDurationSeconds(15)
                  .endSpec()
                  .build())
          .block();
      KubeClient fenced = server.kubeClient();
      fenced.fenceWrites((method, target) -> null, new LeaseFence("kube-system", "bench", HOLDER));
      Map<String, KubeClient> clients = new LinkedHashMap<>();
      clients.put("no fence header", admin);
      clients.put("Nauta-Lease-Fence naming a held Lease", fenced);
      Map<String, List<Double>> results =
          OffOnRounds.run(
              clients,
              rounds,
              "config map creates/s",
              (client, ns) -> measure(client, ns, creates, concurrency));
      OffOnRounds.printTable(results, rounds, "ConfigMap creates/s");
      System.out.printf(
          Locale.ROOT,
          "%d ConfigMaps per round and client, %d requests in flight%n",
          creates,
          concurrency);
    }
    System.exit(0);
  }

  /** ConfigMap creates per second of {@code count} ConfigMaps in a new namespace {@code ns}. */
  private static double measure(KubeClient client, String ns, int count, int concurrency) {
    client
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .block();
    ResourceClient<ConfigMap> resource =
        client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    long start = System.nanoTime();
    Flux.range(0, count)
        .flatMap(
            i ->
                resource.create(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("c" + i)
                        .withNamespace(ns)
                        .endMetadata()
                        .addToData("k", "v" + i)
                        .build()),
            concurrency)
        .blockLast(Duration.ofMinutes(10));
    return count / ((System.nanoTime() - start) / 1e9);
  }
}
