package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * What encryption at rest costs a write: Secret creates per second, 64 in flight, against two
 * secure API servers (TLS, client certificate, authorization) in this JVM on one Redis. The "off"
 * server's configuration lists {@code identity} first (it writes plaintext) and the AES-GCM key
 * second; the "on" server's lists the key first, as {@code deploy/nauta up} does. Both watch caches
 * read every Secret event of both servers and so open the same sealed values: the difference is
 * what sealing costs the write path. Rounds alternate which server goes first; round 0 warms both
 * up and is not reported; medians are reported. Run with {@code deploy/bench/encryption.sh [secrets
 * [concurrency [rounds]]]} (defaults 3000 64 5); not part of the test suite.
 */
public final class EncryptionCostBenchmark {

  public static void main(String[] args) throws Exception {
    int secrets = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String secret = Base64.getEncoder().encodeToString(key);
    Path dir = Files.createTempDirectory("bench-encryption");
    Path on =
        config(
            dir.resolve("on.yaml"),
            "- aesgcm: {keys: [{name: key1, secret: " + secret + "}]}\n      - identity: {}");
    Path off =
        config(
            dir.resolve("off.yaml"),
            "- identity: {}\n      - aesgcm: {keys: [{name:" + " key1, secret: " + secret + "}]}");
    try (TestApiServer plain =
            TestApiServer.startOnEmptyRedis(
                "logging.level.root=WARN", "nauta.encryption-config=" + off);
        TestApiServer sealed =
            TestApiServer.start("logging.level.root=WARN", "nauta.encryption-config=" + on)) {
      Map<String, KubeClient> servers = new LinkedHashMap<>();
      servers.put("encryption off (identity first)", plain.kubeClient());
      servers.put("encryption on (aesgcm first, as deploy/nauta up)", sealed.kubeClient());
      Map<String, List<Double>> results =
          OffOnRounds.run(
              servers,
              rounds,
              "secret creates/s",
              (client, ns) -> measure(client, ns, secrets, concurrency));
      OffOnRounds.printTable(results, rounds, "Secret creates/s");
      System.out.printf(
          Locale.ROOT,
          "%d Secrets (3 keys, ~600 bytes of data) per round and server, %d requests in flight%n",
          secrets,
          concurrency);
    }
    System.exit(0);
  }

  private static Path config(Path file, String providers) throws Exception {
    Files.writeString(
        file,
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              %s
        """
            .formatted(providers));
    return file;
  }

  /** Secret creates per second of {@code count} Secrets in a new namespace {@code ns}. */
  private static double measure(KubeClient client, String ns, int count, int concurrency) {
    client
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .block();
    ResourceClient<Secret> resource = client.resource(BuiltInResources.SECRETS, Secret.class);
    String blob = Base64.getEncoder().encodeToString(new byte[150]);
    long start = System.nanoTime();
    Flux.range(0, count)
        .flatMap(
            i ->
                resource.create(
                    new SecretBuilder()
                        .withNewMetadata()
                        .withNamespace(ns)
                        .withName("secret-" + i)
                        .addToLabels("app", "bench")
                        .endMetadata()
                        .addToData("username", blob)
                        .addToData("password", blob)
                        .addToData("token", blob)
                        .build()),
            concurrency)
        .blockLast(Duration.ofMinutes(10));
    return count / ((System.nanoTime() - start) / 1e9);
  }
}
