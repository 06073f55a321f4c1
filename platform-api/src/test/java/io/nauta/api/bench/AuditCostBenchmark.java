package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * What the audit log costs a write: pod creates per second, 64 in flight, against two API servers
 * in this JVM on one Redis, both secure (TLS, client certificate, authorization), one without
 * auditing and one with {@code deploy/audit-policy.yaml} (pods are written at {@code
 * RequestResponse}: request and response bodies copied and logged). Rounds alternate which server
 * goes first; round 0 warms both up and is not reported; medians are reported, with how many events
 * the log got and dropped. Run with {@code deploy/bench/audit.sh [pods [concurrency [rounds]]]}
 * (defaults 3000 64 5); not part of the test suite.
 */
public final class AuditCostBenchmark {

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path dir = Files.createTempDirectory("bench-audit");
    Path log = dir.resolve("audit.log");
    Path policy = Path.of("deploy", "audit-policy.yaml").toAbsolutePath();
    try (TestApiServer off = TestApiServer.startOnEmptyRedis("logging.level.root=WARN");
        TestApiServer on =
            TestApiServer.start(
                "logging.level.root=WARN",
                "nauta.audit.policy-file=" + policy,
                "nauta.audit.log-path=" + log,
                "nauta.audit.log-maxsize=100",
                "nauta.audit.log-maxbackup=3")) {
      Map<String, KubeClient> servers = new LinkedHashMap<>();
      servers.put("audit off", off.kubeClient());
      servers.put("audit on (default policy, pods at RequestResponse)", on.kubeClient());
      Map<String, List<Double>> results =
          OffOnRounds.run(
              servers,
              rounds,
              "pod creates/s",
              (client, ns) -> measure(client, ns, pods, concurrency));
      OffOnRounds.printTable(results, rounds, "pod creates/s");
      MeterRegistry meters = on.bean(MeterRegistry.class);
      System.out.printf(
          Locale.ROOT,
          "%d pods per round and server, %d requests in flight; audit log: %.0f events written,"
              + " %.0f dropped (queue full), %d bytes in %s%n",
          pods,
          concurrency,
          meters.counter("nauta.apiserver.audit.events").count(),
          meters.counter("nauta.apiserver.audit.events.dropped", "reason", "queue-full").count(),
          Files.size(log),
          log);
    }
    System.exit(0);
  }

  /** Pod creates per second of {@code pods} pods in a new namespace {@code ns} (shared). */
  static double measure(KubeClient client, String ns, int pods, int concurrency) {
    client
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .block();
    ResourceClient<Pod> resource = client.resource(BuiltInResources.PODS, Pod.class);
    long start = System.nanoTime();
    Flux.range(0, pods)
        .flatMap(
            i ->
                resource.create(
                    new PodBuilder()
                        .withNewMetadata()
                        .withNamespace(ns)
                        .withName("pod-" + i)
                        .addToLabels("app", "bench")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("busybox")
                        .withCommand("sleep", "3600")
                        .endContainer()
                        .endSpec()
                        .build()),
            concurrency)
        .blockLast(Duration.ofMinutes(10));
    return pods / ((System.nanoTime() - start) / 1e9);
  }
}
