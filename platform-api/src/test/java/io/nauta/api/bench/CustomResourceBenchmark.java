package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Custom resources (issue 15), through real HTTPS with RBAC on, one API server in this JVM on the
 * test Redis:
 *
 * <ol>
 *   <li><em>CRD create to first create of its kind</em>: for each of {@code crds} definitions
 *       (after one for warm-up), the time from the CRD's create being sent to the first create of
 *       an object of its kind that succeeds (retried every 5 ms while the kind is not served yet);
 *       p50 and p90.
 *   <li><em>Creates of a custom resource beside a ConfigMap</em>: {@code objects} creates at 64 in
 *       flight of each, alternately (the order reversed every other round, round 0 a warm-up not
 *       kept), by a user whose ClusterRole allows both. The custom resource's schema prunes,
 *       defaults two fields, validates (types, maxLength, enum, minimum) and runs one CEL rule; the
 *       ConfigMap carries the same data, so both requests are about the same size (printed).
 * </ol>
 *
 * Run with {@code deploy/bench/crd-create.sh [objects [rounds [crds]]]} (defaults 5000 5 20); not
 * part of the test suite.
 */
public final class CustomResourceBenchmark {

  private static final int IN_FLIGHT = 64;
  private static final String GROUP = "bench.nauta.io";
  private static final ResourceType CRDS = BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS;

  public static void main(String[] args) throws Exception {
    System.setProperty("reactor.netty.pool.maxConnections", "256");
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int crds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    try (TestApiServer server = TestApiServer.startOnEmptyRedis("logging.level.root=WARN")) {
      KubeClient admin = server.kubeClient();
      ResourceClient<GenericKubernetesResource> definitions =
          admin.resource(CRDS, GenericKubernetesResource.class);
      admin
          .resource(BuiltInResources.NAMESPACES, Namespace.class)
          .create(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build())
          .block();

      // 1. CRD create to first create of its kind.
      long[] millis = new long[crds];
      for (int i = -1; i < crds; i++) {
        String plural = "probe" + (i + 1) + "s";
        String kind = "Probe" + (i + 1);
        ResourceClient<GenericKubernetesResource> kindClient =
            admin.resource(type(kind, plural), GenericKubernetesResource.class);
        GenericKubernetesResource crd =
            admin.mapper().readValue(definition(plural, kind), GenericKubernetesResource.class);
        GenericKubernetesResource object =
            admin.mapper().readValue(object(kind, "first", 1), GenericKubernetesResource.class);
        long sent = System.nanoTime();
        definitions
            .create(crd)
            .then(
                Mono.defer(() -> kindClient.create(object))
                    // Refused (404) until this instance serves the kind.
                    .retryWhen(Retry.fixedDelay(6_000, Duration.ofMillis(5))))
            .block(Duration.ofMinutes(1));
        long ms = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        System.err.printf(Locale.ROOT, "CRD %d%s: %d ms%n", i + 1, i < 0 ? " (warm-up)" : "", ms);
        if (i >= 0) {
          millis[i] = ms;
        }
      }
      Arrays.sort(millis);
      long p50 = millis[(int) Math.ceil(crds * 0.5) - 1];
      long p90 = millis[(int) Math.ceil(crds * 0.9) - 1];

      // 2. Creates of a custom resource beside a ConfigMap, alternating.
      definitions
          .create(
              admin
                  .mapper()
                  .readValue(definition("widgets", "Widget"), GenericKubernetesResource.class))
          .block();
      bindWriter(admin);
      KubeClient writer = new KubeClient(server.clientConfigAs("bench-writer"));
      ResourceClient<ConfigMap> configMaps =
          writer.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
      ResourceClient<GenericKubernetesResource> widgets =
          writer.resource(type("Widget", "widgets"), GenericKubernetesResource.class);
      // Wait until the kind is served (and warm the path up a little).
      Mono.defer(() -> widgets.create(widget("ready")))
          .retryWhen(Retry.fixedDelay(6_000, Duration.ofMillis(5)))
          .block(Duration.ofMinutes(1));
      System.err.printf(
          Locale.ROOT,
          "request bodies: ConfigMap %d bytes, Widget %d bytes%n",
          admin.mapper().writeValueAsBytes(configMap("x-00000-0")).length,
          admin.mapper().writeValueAsBytes(widget("x-00000-0")).length);

      Map<String, Function<String, Mono<?>>> kinds = new LinkedHashMap<>();
      kinds.put("ConfigMap", name -> configMaps.create(configMap(name)));
      kinds.put("Widget (custom resource)", name -> widgets.create(widget(name)));
      Map<String, List<Double>> results = new LinkedHashMap<>();
      kinds.keySet().forEach(k -> results.put(k, new ArrayList<>()));
      for (int round = 0; round <= rounds; round++) {
        List<String> order = new ArrayList<>(kinds.keySet());
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        for (String which : order) {
          String prefix = "r" + round + "-";
          double rate = creates(kinds.get(which), prefix, objects);
          System.err.printf(Locale.ROOT, "round %d %s: %.0f creates/s%n", round, which, rate);
          if (round > 0) {
            results.get(which).add(rate);
          }
        }
      }

      System.out.printf(
          Locale.ROOT,
          "| CRD create to first create of its kind | p50 | p90 | CRDs |%n|---|---|---|---|%n"
              + "| | %d ms | %d ms | %d (each: %s ms) |%n%n",
          p50,
          p90,
          crds,
          Arrays.toString(millis));
      double cm = OffOnRounds.median(results.get("ConfigMap"));
      System.out.printf(
          Locale.ROOT,
          "| kind | creates/s, %d in flight (median of %d) | vs ConfigMap | rounds |%n"
              + "|---|---|---|---|%n",
          IN_FLIGHT,
          rounds);
      for (Map.Entry<String, List<Double>> e : results.entrySet()) {
        double m = OffOnRounds.median(e.getValue());
        System.out.printf(
            Locale.ROOT,
            "| %s | %.0f | %.2f | %s |%n",
            e.getKey(),
            m,
            m / cm,
            e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
      }
    }
    System.exit(0);
  }

  /** {@code count} creates, {@link #IN_FLIGHT} at a time: creates per second. */
  private static double creates(Function<String, Mono<?>> create, String prefix, int count) {
    long start = System.nanoTime();
    Flux.range(0, count)
        .flatMap(i -> Mono.defer(() -> create.apply(prefix + i)), IN_FLIGHT)
        .blockLast(Duration.ofMinutes(10));
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** Ten 80-character values: the data both kinds carry. */
  private static Map<String, String> data(String name) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int k = 0; k < 10; k++) {
      data.put("key-" + k, (name + "-value-" + k + "-").repeat(8).substring(0, 80));
    }
    return data;
  }

  static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace("bench")
        .withName(name)
        .addToLabels("app", "bench")
        .endMetadata()
        .withData(data(name))
        .build();
  }

  static GenericKubernetesResource widget(String name) {
    GenericKubernetesResource w = new GenericKubernetesResource();
    w.setApiVersion(GROUP + "/v1");
    w.setKind("Widget");
    w.setMetadata(configMap(name).getMetadata());
    w.setAdditionalProperty("spec", Map.of("data", data(name)));
    return w;
  }

  static ResourceType type(String kind, String plural) {
    return new ResourceType(
        GROUP,
        "v1",
        kind,
        plural,
        kind.toLowerCase(Locale.ROOT),
        true,
        List.of(),
        List.of(),
        Set.of(),
        GenericKubernetesResource.class);
  }

  /**
   * A namespaced kind whose schema prunes, defaults {@code spec.replicas} and {@code spec.mode},
   * validates types, lengths, an enum and a minimum, and runs one CEL rule.
   */
  static String definition(String plural, String kind) {
    return """
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "%1$s.%3$s"},
         "spec": {"group": "%3$s", "scope": "Namespaced",
           "names": {"plural": "%1$s", "singular": "%4$s", "kind": "%2$s"},
           "versions": [{"name": "v1", "served": true, "storage": true,
             "schema": {"openAPIV3Schema": {"type": "object", "properties": {
               "spec": {"type": "object",
                 "x-kubernetes-validations": [{"rule": "self.data.size() <= 64",
                    "message": "at most 64 entries"}],
                 "properties": {
                   "data": {"type": "object",
                     "additionalProperties": {"type": "string", "maxLength": 200}},
                   "replicas": {"type": "integer", "minimum": 0, "default": 1},
                   "mode": {"type": "string", "enum": ["fast", "safe"], "default": "safe"}}}}}}}]}}
        """
        .formatted(plural, kind, GROUP, kind.toLowerCase(Locale.ROOT));
  }

  static String object(String kind, String name, int replicas) {
    return """
        {"apiVersion": "%s/v1", "kind": "%s", "metadata": {"name": "%s", "namespace": "bench"},
         "spec": {"data": {"a": "b"}, "replicas": %d}}
        """
        .formatted(GROUP, kind, name, replicas);
  }

  /** The writer may create ConfigMaps and Widgets, and nothing else. */
  private static void bindWriter(KubeClient admin) {
    ClusterRole role =
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName("bench-writer")
            .endMetadata()
            .addNewRule()
            .withApiGroups("")
            .withResources("configmaps")
            .withVerbs("create")
            .endRule()
            .addNewRule()
            .withApiGroups(GROUP)
            .withResources("widgets")
            .withVerbs("create")
            .endRule()
            .build();
    admin.resource(BuiltInResources.CLUSTER_ROLES, ClusterRole.class).create(role).block();
    ClusterRoleBinding binding =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("bench-writer")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "bench-writer")
            .addNewSubject()
            .withKind("User")
            .withApiGroup("rbac.authorization.k8s.io")
            .withName("bench-writer")
            .endSubject()
            .build();
    admin
        .resource(BuiltInResources.CLUSTER_ROLE_BINDINGS, ClusterRoleBinding.class)
        .create(binding)
        .block();
  }

  private CustomResourceBenchmark() {}
}
