package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Secrets encrypted at rest with Kubernetes' EncryptionConfiguration, on real Redis through a real
 * API server with security on, read back with kubectl and the fabric8 client: what Redis holds (the
 * objects hash and the watch event stream, read raw as redis-cli would), the rotation procedure
 * Kubernetes documents, and values that cannot be decrypted.
 */
class EncryptionAtRestIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String OBJECTS = "nauta:{core/secrets}:objects";
  private static final String EVENTS = "nauta:{core/secrets}:events";
  private static final String SEALED_RVS = "nauta:{core/secrets}:sealed-rvs";
  private static final String VALUE = "correct-horse-battery-staple-4711";
  private static final String ENCODED =
      Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;
  private TestApiServer server;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A config file for Secrets with these providers: "aesgcm:key1", "secretbox:k", "identity". */
  private Path config(String... providers) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [secrets]
                providers:
            """);
    List<String> keysOf = new ArrayList<>();
    String current = null;
    for (String p : providers) {
      if (p.equals("identity")) {
        yaml.append("      - identity: {}\n");
        current = null;
        continue;
      }
      String[] kind = p.split(":");
      if (!kind[0].equals(current)) {
        yaml.append("      - ").append(kind[0]).append(":\n          keys:\n");
        current = kind[0];
      }
      yaml.append("            - name: ")
          .append(kind[1])
          .append("\n              secret: ")
          .append(secretOf(kind[1]))
          .append('\n');
      keysOf.add(kind[1]);
    }
    try {
      Path file = Files.createTempFile(dir, "encryption-", ".yaml");
      Files.writeString(file, yaml.toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same 32 bytes for a key name in every config of a test, as an operator's file keeps. */
  private static String secretOf(String keyName) {
    byte[] key = new byte[32];
    new Random(keyName.hashCode()).nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private void startWith(Path config) {
    if (server != null) {
      server.close();
    }
    server =
        config == null
            ? TestApiServer.start()
            : TestApiServer.start("nauta.encryption-config=" + config);
  }

  private Kubectl kubectl() {
    return new Kubectl(server.kubeconfig());
  }

  private KubernetesClient fabric8() {
    Config config =
        new ConfigBuilder(Config.fromKubeconfig(server.kubeconfig().toFile()))
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build();
    closeAfter.add(client);
    return client;
  }

  /** Raw Redis, byte for byte, as redis-cli shows it. */
  private RedisCommands<byte[], byte[]> raw() {
    RedisClient client = RedisClient.create(TestRedis.url());
    StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
    closeAfter.add(client::shutdown);
    closeAfter.add(c);
    return c.sync();
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String rawSecret(RedisCommands<byte[], byte[]> redis, String field) {
    return text(redis.hget(bytes(OBJECTS), bytes(field)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Step 3 of a key rotation, as the Kubernetes documentation writes it: {@code kubectl get secrets
   * -A -o json | kubectl replace -f -} (kubectl validates the {@code List}'s items against {@code
   * /openapi/v2}).
   */
  private static void rewriteEverySecret(Kubectl kubectl) {
    String all = ok(kubectl.run("get", "secrets", "-A", "-o", "json")).stdout();
    ok(kubectl.runWithInput(all, "replace", "-f", "-"));
  }

  /** The resourceVersion of the newest event of an object in the Secrets' event stream. */
  private static String lastEventRv(RedisCommands<byte[], byte[]> redis, String field) {
    String rv = null;
    for (StreamMessage<byte[], byte[]> e : redis.xrange(bytes(EVENTS), Range.create("-", "+"))) {
      for (Map.Entry<byte[], byte[]> f : e.getBody().entrySet()) {
        if (text(f.getKey()).equals("k") && text(f.getValue()).equals(field)) {
          rv = e.getId().substring(0, e.getId().indexOf('-'));
        }
      }
    }
    return rv;
  }

  private static Kubectl.Result ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  private static Secret secret(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .addToStringData("password", VALUE)
        .build();
  }

  @Test
  void secretsAreSealedInRedisAndItsEventStreamAndReadableThroughTheApi() {
    TestRedis.flush();
    startWith(config("aesgcm:key1", "identity"));
    KubernetesClient client = fabric8();
    List<Secret> watched = new CopyOnWriteArrayList<>();
    closeAfter.add(
        client
            .secrets()
            .inNamespace("default")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret secret) {
                    watched.add(secret);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                }));

    client.secrets().resource(secret("default", "s1")).create();
    Kubectl kubectl = kubectl();
    ok(kubectl.run("label", "secret", "s1", "tier=gold"));
    ok(
        kubectl.run(
            "patch", "secret", "s1", "-p", "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}"));
    client.secrets().resource(secret("default", "s2")).create();
    ok(kubectl.run("delete", "secret", "s2"));
    client
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("plain")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();

    RedisCommands<byte[], byte[]> redis = raw();
    // Exactly what Kubernetes writes to etcd: the value starts with the provider's prefix.
    String stored = rawSecret(redis, "default/s1");
    assertThat(stored).startsWith("k8s:enc:aesgcm:v1:key1:");
    assertThat(stored).doesNotContain(VALUE).doesNotContain(ENCODED).doesNotContain("password");
    List<StreamMessage<byte[], byte[]>> events =
        redis.xrange(bytes(EVENTS), Range.create("-", "+"));
    assertThat(events).hasSizeGreaterThanOrEqualTo(5); // two creates, label, patch, delete
    for (StreamMessage<byte[], byte[]> e : events) {
      String object = null;
      for (Map.Entry<byte[], byte[]> f : e.getBody().entrySet()) {
        if (text(f.getKey()).equals("o")) {
          object = text(f.getValue());
        }
      }
      assertThat(object).startsWith("k8s:enc:aesgcm:v1:key1:");
      assertThat(object).doesNotContain(VALUE).doesNotContain(ENCODED).doesNotContain("password");
    }
    // Resources the file does not name are stored as before.
    assertThat(text(redis.hget(bytes("nauta:{core/configmaps}:objects"), bytes("default/plain"))))
        .matches("\\d+ \\{.*\"k\":\"v\".*");

    // Through the API every reader sees the data and the version the write script gave it.
    String rv = lastEventRv(redis, "default/s1");
    assertThat(rv).isNotNull();
    JsonNode got = JSON.readTree(ok(kubectl.run("get", "secret", "s1", "-o", "json")).stdout());
    assertThat(got.path("data").path("password").asString()).isEqualTo(ENCODED);
    assertThat(got.path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
    assertThat(got.path("metadata").path("labels").path("tier").asString()).isEqualTo("gold");
    assertThat(ok(kubectl.run("get", "secret", "s1", "-o", "yaml")).stdout()).contains(ENCODED);
    Secret viaFabric8 = client.secrets().withName("s1").get();
    assertThat(viaFabric8.getData()).containsEntry("password", ENCODED);
    assertThat(viaFabric8.getMetadata().getAnnotations()).containsEntry("a", "b");
    // Lists come from the watch cache, which decrypted the stream's events.
    assertThat(client.secrets().list().getItems())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getData()).containsEntry("password", ENCODED);
              assertThat(s.getMetadata().getResourceVersion()).isEqualTo(rv);
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(watched)
                    .anySatisfy(
                        s -> {
                          assertThat(s.getMetadata().getName()).isEqualTo("s1");
                          assertThat(s.getMetadata().getResourceVersion()).isEqualTo(rv);
                          assertThat(s.getData()).containsEntry("password", ENCODED);
                        }));

    // An update from a stale resourceVersion is refused, and the stored value stays as it was.
    String staleRv = Long.toString(Long.parseLong(rv) - 1);
    JsonNode changed =
        JSON.readTree(
            got.toString()
                .replace(
                    "\"resourceVersion\":\"" + rv + "\"", "\"resourceVersion\":\"" + staleRv + "\"")
                .replace(ENCODED, "Y2hhbmdlZA=="));
    assertThat(changed.path("metadata").path("resourceVersion").asString()).isEqualTo(staleRv);
    Kubectl.Result conflict = kubectl.runWithInput(changed.toString(), "replace", "-f", "-");
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr())
        .contains(
            "Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be"
                + " fulfilled on secrets \"s1\": the object has been modified; please apply your"
                + " changes to the latest version and try again");
    assertThat(rawSecret(redis, "default/s1")).isEqualTo(stored);
    assertThat(
            JSON.readTree(ok(kubectl.run("get", "secret", "s1", "-o", "json")).stdout())
                .path("data")
                .path("password")
                .asString())
        .isEqualTo(ENCODED);
  }

  @Test
  void rotatesTheKeyAsKubernetesDocuments() {
    TestRedis.flush();
    // Data written before encryption was turned on.
    startWith(null);
    ok(kubectl().run("create", "namespace", "team"));
    ok(kubectl().run("create", "secret", "generic", "before", "--from-literal=password=" + VALUE));
    assertThat(rawSecret(raw(), "default/before")).matches("\\d+ \\{.*");

    // Encryption on: identity second reads what was written before.
    startWith(config("aesgcm:key1", "identity"));
    ok(kubectl().run("create", "secret", "generic", "a", "--from-literal=password=" + VALUE));
    assertThat(rawSecret(raw(), "default/a")).startsWith("k8s:enc:aesgcm:v1:key1:");
    assertThat(ok(kubectl().run("get", "secret", "before", "-o", "yaml")).stdout())
        .contains(ENCODED);

    // 1. The new key second: every server can read it before any writes with it.
    startWith(config("aesgcm:key1", "aesgcm:key2", "identity"));
    ok(
        kubectl()
            .run("create", "secret", "generic", "b", "-n", "team", "--from-literal=p=" + VALUE));
    assertThat(rawSecret(raw(), "team/b")).startsWith("k8s:enc:aesgcm:v1:key1:");

    // 2. The new key first: new writes use it.
    startWith(config("aesgcm:key2", "aesgcm:key1", "identity"));
    ok(kubectl().run("create", "secret", "generic", "c", "--from-literal=password=" + VALUE));
    assertThat(rawSecret(raw(), "default/c")).startsWith("k8s:enc:aesgcm:v1:key2:");
    assertThat(rawSecret(raw(), "default/a")).startsWith("k8s:enc:aesgcm:v1:key1:");

    // 3. Rewrite every Secret, as the Kubernetes documentation says.
    rewriteEverySecret(kubectl());
    Map<byte[], byte[]> stored = raw().hgetall(bytes(OBJECTS));
    assertThat(stored).hasSize(4);
    stored.forEach(
        (field, value) ->
            assertThat(text(value)).as(text(field)).startsWith("k8s:enc:aesgcm:v1:key2:"));

    // 4. The old key (and identity) removed: everything still reads.
    startWith(config("aesgcm:key2"));
    JsonNode list = JSON.readTree(ok(kubectl().run("get", "secrets", "-A", "-o", "json")).stdout());
    assertThat(list.path("items")).hasSize(4);
    for (JsonNode s : list.path("items")) {
      assertThat(s.path("data").toString()).contains(ENCODED);
    }
    for (String name : List.of("before", "a", "c")) {
      assertThat(ok(kubectl().run("get", "secret", name, "-o", "yaml")).stdout()).contains(ENCODED);
    }
    assertThat(ok(kubectl().run("get", "secret", "b", "-n", "team", "-o", "yaml")).stdout())
        .contains(ENCODED);
  }

  @Test
  void secretsSealedBeforeTheResourceVersionMovedOutAreServedAndRewrittenInTheNewLayout() {
    TestRedis.flush();
    startWith(config("aesgcm:key1"));
    ok(kubectl().run("create", "secret", "generic", "old", "--from-literal=password=" + VALUE));
    ok(kubectl().run("create", "secret", "generic", "kept", "--from-literal=password=" + VALUE));
    server.close();
    server = null;

    // What an AOF written by an earlier Nauta holds: "<rv> k8s:enc:…", nothing beside it.
    RedisCommands<byte[], byte[]> redis = raw();
    Map<String, String> rvs = new HashMap<>();
    for (String name : List.of("old", "kept")) {
      String field = "default/" + name;
      String rv = lastEventRv(redis, field);
      byte[] sealed = redis.hget(bytes(OBJECTS), bytes(field));
      if (text(sealed).startsWith("k8s:enc:")) {
        byte[] front = bytes(rv + " ");
        byte[] oldLayout = Arrays.copyOf(front, front.length + sealed.length);
        System.arraycopy(sealed, 0, oldLayout, front.length, sealed.length);
        redis.hset(bytes(OBJECTS), bytes(field), oldLayout);
        redis.hdel(bytes(SEALED_RVS), bytes(field));
      }
      assertThat(rawSecret(redis, field)).matches("(?s)" + rv + " k8s:enc:aesgcm:v1:key1:.+");
      rvs.put(name, rv);
    }

    // Read at the versions they were written at: lists from the watch cache's snapshot, gets
    // from Redis.
    startWith(config("aesgcm:key1"));
    Kubectl kubectl = kubectl();
    JsonNode list = JSON.readTree(ok(kubectl.run("get", "secrets", "-o", "json")).stdout());
    assertThat(list.path("items")).hasSize(2);
    for (JsonNode s : list.path("items")) {
      String name = s.path("metadata").path("name").asString();
      assertThat(s.path("metadata").path("resourceVersion").asString()).isEqualTo(rvs.get(name));
      assertThat(s.path("data").path("password").asString()).isEqualTo(ENCODED);
    }
    JsonNode old = JSON.readTree(ok(kubectl.run("get", "secret", "old", "-o", "json")).stdout());
    assertThat(old.path("metadata").path("resourceVersion").asString()).isEqualTo(rvs.get("old"));
    assertThat(old.path("data").path("password").asString()).isEqualTo(ENCODED);

    // The precondition holds against the version in front of an old-layout value.
    Kubectl.Result conflict =
        kubectl.runWithInput(
            old.toString()
                .replace(
                    "\"resourceVersion\":\"" + rvs.get("old") + "\"",
                    "\"resourceVersion\":\"" + rvs.get("kept") + "\""),
            "replace",
            "-f",
            "-");
    assertThat(conflict.exitCode()).as(conflict.toString()).isNotZero();
    assertThat(conflict.stderr()).contains("Error from server (Conflict)");

    // The next write stores the new layout: a change, or the unchanged rewrite of a rotation.
    ok(kubectl.run("label", "secret", "old", "tier=gold"));
    assertThat(rawSecret(redis, "default/old")).startsWith("k8s:enc:aesgcm:v1:key1:");
    rewriteEverySecret(kubectl);
    assertThat(rawSecret(redis, "default/kept")).startsWith("k8s:enc:aesgcm:v1:key1:");
    String keptRv = lastEventRv(redis, "default/kept");
    assertThat(keptRv).isNotEqualTo(rvs.get("kept"));
    assertThat(text(redis.hget(bytes(SEALED_RVS), bytes("default/kept")))).isEqualTo(keptRv);

    // And a server started on them reads the new layout.
    startWith(config("aesgcm:key1"));
    JsonNode kept =
        JSON.readTree(ok(kubectl().run("get", "secrets", "-o", "json")).stdout()).path("items");
    assertThat(kept).hasSize(2);
    for (JsonNode s : kept) {
      assertThat(s.path("data").path("password").asString()).isEqualTo(ENCODED);
    }
  }

  @Test
  void anUnreadableSecretIsA500NamingItsKeyWhileTheOthersAreServed() {
    TestRedis.flush();
    startWith(config("aesgcm:key0"));
    ok(kubectl().run("create", "secret", "generic", "gone", "--from-literal=password=" + VALUE));
    startWith(config("aesgcm:key1", "aesgcm:key0"));
    KubernetesClient client = fabric8();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
        .create();
    client.secrets().resource(secret("default", "good")).create();
    client.secrets().resource(secret("default", "bad")).create();
    client.secrets().resource(secret("team", "other")).create();
    server.close();
    server = null;

    // Someone changes bytes of one value in Redis.
    RedisCommands<byte[], byte[]> redis = raw();
    byte[] bad = redis.hget(bytes(OBJECTS), bytes("default/bad"));
    bad[bad.length - 5] ^= 0x01;
    redis.hset(bytes(OBJECTS), bytes("default/bad"), bad);

    // key0 is gone from the configuration.
    startWith(config("aesgcm:key1"));
    Kubectl kubectl = kubectl();
    Kubectl.Result tampered = kubectl.run("get", "secret", "bad");
    assertThat(tampered.exitCode()).isNotZero();
    assertThat(tampered.stderr())
        .contains(
            "Error from server (InternalError): Internal error occurred: unable to transform key"
                + " \"nauta:{core/secrets}:objects/default/bad\": aesgcm key \"key1\": cipher:"
                + " message authentication failed");
    Kubectl.Result missing = kubectl.run("get", "secret", "gone");
    assertThat(missing.stderr())
        .contains("unable to transform key \"nauta:{core/secrets}:objects/default/gone\"")
        .contains("sealed with aesgcm key \"key0\"");
    JsonNode status =
        JSON.readTree(
            server
                .client()
                .get()
                .uri("/api/v1/namespaces/default/secrets/bad")
                .exchange()
                .expectStatus()
                .isEqualTo(500)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    assertThat(status.path("kind").asString()).isEqualTo("Status");
    assertThat(status.path("reason").asString()).isEqualTo("InternalError");
    assertThat(status.path("code").asInt()).isEqualTo(500);
    assertThat(status.toString()).doesNotContain(VALUE).doesNotContain(ENCODED);

    // The others are served: gets, lists of other namespaces and other resources, new writes.
    assertThat(ok(kubectl.run("get", "secret", "good", "-o", "yaml")).stdout()).contains(ENCODED);
    assertThat(ok(kubectl.run("get", "secrets", "-n", "team", "-o", "name")).stdout())
        .contains("secret/other");
    ok(kubectl.run("get", "configmaps", "-A"));
    ok(kubectl.run("create", "secret", "generic", "fresh", "-n", "team", "--from-literal=a=b"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(ok(kubectl.run("get", "secrets", "-n", "team", "-o", "name")).stdout())
                    .contains("secret/fresh"));
    // A list that would hold an unreadable Secret fails, as Kubernetes' list does.
    Kubectl.Result list = kubectl.run("get", "secrets", "-n", "default");
    assertThat(list.exitCode()).isNotZero();
    assertThat(list.stderr()).contains("Internal error occurred: unable to transform key");
  }

  /** Runs deploy/nauta's own function that makes the encryption config, as 'up' runs it. */
  private static void deployNautaEnsureEncryptionConfig(Path pki) throws Exception {
    Path script = Path.of("..", "deploy", "nauta").toAbsolutePath();
    String harness =
        "set -euo pipefail; PKI_DIR=\"$1\"; log() { :; }; die() { echo \"$*\" >&2; exit 1; };"
            + " eval \"$(sed -n '/^ENCRYPTION_CONFIG=/,/^}/p' \"$2\")\"; ensure_encryption_config";
    Process p =
        new ProcessBuilder("bash", "-c", harness, "harness", pki.toString(), script.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void deployNautaEncryptsSecretsWithAKeyMadeOnceInThePki() throws Exception {
    Path pki = dir.resolve("pki");
    deployNautaEnsureEncryptionConfig(pki);
    Path config = pki.resolve("encryption-config.yaml");
    assertThat(Files.getPosixFilePermissions(config))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String first = Files.readString(config);
    deployNautaEnsureEncryptionConfig(pki);
    assertThat(Files.readString(config)).isEqualTo(first);
    String secret = first.replaceAll("(?s).*secret: (\\S+).*", "$1");
    assertThat(Base64.getDecoder().decode(secret)).hasSize(32);

    TestRedis.flush();
    startWith(config);
    ok(kubectl().run("create", "secret", "generic", "s", "--from-literal=password=" + VALUE));
    assertThat(rawSecret(raw(), "default/s")).startsWith("k8s:enc:aesgcm:v1:key1:");
    assertThat(ok(kubectl().run("get", "secret", "s", "-o", "yaml")).stdout()).contains(ENCODED);
  }
}
