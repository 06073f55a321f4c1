package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * What recording {@code metadata.managedFields} costs a write: pod creates per second, then pod
 * updates per second (a strategic merge patch of a label on each pod), 64 in flight, against two
 * secure API servers in this JVM on one Redis, one with {@code nauta.managed-fields.enabled=false}
 * and one with tracking on (the default). Rounds alternate which server goes first; round 0 warms
 * up and is not reported. Run with {@code deploy/bench/managed-fields.sh [pods [concurrency
 * [rounds]]]} (defaults 2000 64 5), or {@code deploy/bench/managed-fields.sh cpu} for the CPU of
 * the tracking alone; not part of the test suite.
 */
public final class ManagedFieldsCostBenchmark {

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("cpu")) {
      cpu();
      System.exit(0);
    }
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    try (TestApiServer off =
            TestApiServer.startOnEmptyRedis(
                "logging.level.root=WARN", "nauta.managed-fields.enabled=false");
        TestApiServer on = TestApiServer.start("logging.level.root=WARN")) {
      Map<String, KubeClient> servers = new LinkedHashMap<>();
      servers.put("managedFields off", off.kubeClient());
      servers.put("managedFields on", on.kubeClient());
      Map<String, double[]> updates = new LinkedHashMap<>();
      Map<String, List<Double>> creates =
          OffOnRounds.run(
              servers,
              rounds,
              "pod creates/s",
              (client, ns) -> {
                long t0 = System.currentTimeMillis();
                double created = AuditCostBenchmark.measure(client, ns, pods, concurrency);
                long t1 = System.currentTimeMillis();
                double updated = update(client, ns, pods, concurrency);
                long t2 = System.currentTimeMillis();
                // The phases' wall-clock windows, to split a flight recording by server and write.
                System.err.printf("  phase %s create %d %d update %d %d%n", ns, t0, t1, t1, t2);
                System.err.printf("  %s updates: %.0f/s%n", ns, updated);
                updates.computeIfAbsent(ns, k -> new double[] {updated});
                return created;
              });
      OffOnRounds.printTable(creates, rounds, "pod creates/s");
      Map<String, List<Double>> updateTable = new LinkedHashMap<>();
      for (String which : servers.keySet()) {
        String suffix = which.equals("managedFields off") ? "-off" : "-on";
        List<Double> rates = new java.util.ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          rates.add(updates.get("bench-" + round + suffix)[0]);
        }
        updateTable.put(which, rates);
      }
      OffOnRounds.printTable(updateTable, rounds, "pod updates/s");
      System.out.printf("%d pods per round and server, %d requests in flight%n", pods, concurrency);
    }
    System.exit(0);
  }

  /**
   * The CPU of the tracking itself, in one thread and without HTTP: microseconds per create and per
   * label update of a pod as the API server stores it, beside one JSON encoding of that pod.
   */
  private static void cpu() {
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder().build();
    tools.jackson.databind.node.ObjectNode pod =
        (tools.jackson.databind.node.ObjectNode)
            json.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
                    + "\"namespace\":\"bench\",\"uid\":\"u\",\"labels\":{\"app\":\"bench\"}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"busybox\","
                    + "\"command\":[\"sleep\",\"3600\"],\"imagePullPolicy\":\"Always\","
                    + "\"resources\":{},\"terminationMessagePath\":\"/dev/termination-log\","
                    + "\"terminationMessagePolicy\":\"File\"}],\"restartPolicy\":\"Always\","
                    + "\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
                    + "\"serviceAccountName\":\"default\",\"schedulerName\":\"default-scheduler\","
                    + "\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\","
                    + "\"priority\":0,\"securityContext\":{},\"tolerations\":[{\"key\":"
                    + "\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":"
                    + "\"NoExecute\",\"tolerationSeconds\":300}]},\"status\":{\"phase\":"
                    + "\"Pending\",\"qosClass\":\"BestEffort\"}}");
    io.nauta.core.managedfields.FieldManager fm =
        new io.nauta.core.managedfields.FieldManager(
            io.nauta.core.managedfields.FieldSchema.forKind("Pod"),
            true,
            io.nauta.core.managedfields.FieldManager.zeroObject("Pod"),
            java.time.Clock.systemUTC());
    tools.jackson.databind.node.ObjectNode created = pod.deepCopy();
    fm.update(null, created, "bench", null);
    for (int round = 0; round < 3; round++) {
      int n = 50_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        tools.jackson.databind.node.ObjectNode c = pod.deepCopy();
        fm.update(null, c, "bench", null);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        tools.jackson.databind.node.ObjectNode u = created.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) u.get("metadata").get("labels"))
            .put("touched", "yes");
        fm.update(created, u, "patcher", null);
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        tools.jackson.databind.node.ObjectNode c = pod.deepCopy();
        json.writeValueAsString(c);
      }
      long t3 = System.nanoTime();
      System.out.printf(
          java.util.Locale.ROOT,
          "round %d: create tracking %.1f us, update tracking %.1f us, one JSON encoding of the"
              + " pod (with copy) %.1f us; stored pod %d bytes, with managedFields %d bytes%n",
          round,
          (t1 - t0) / 1e3 / n,
          (t2 - t1) / 1e3 / n,
          (t3 - t2) / 1e3 / n,
          json.writeValueAsString(pod).length(),
          json.writeValueAsString(created).length());
    }
  }

  private static double update(KubeClient client, String ns, int pods, int concurrency) {
    ResourceClient<Pod> resource = client.resource(BuiltInResources.PODS, Pod.class);
    long start = System.nanoTime();
    Flux.range(0, pods)
        .flatMap(
            i ->
                resource.patch(
                    ns,
                    "pod-" + i,
                    PatchType.STRATEGIC_MERGE,
                    "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}"),
            concurrency)
        .blockLast(Duration.ofMinutes(10));
    return pods / ((System.nanoTime() - start) / 1e9);
  }
}
