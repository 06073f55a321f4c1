package io.nauta.federation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.WriteFencedException;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.LocalSecretReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Member clients from Clusters and Secrets as the gateway's informers hold them. */
class MemberClustersTest {

  private static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: m
        cluster: {server: "https://10.1.2.3:6443", insecure-skip-tls-verify: true}
      users:
      - name: m
        user: {token: from-kubeconfig}
      contexts:
      - name: m
        context: {cluster: m, user: m}
      current-context: m
      """;

  private final AtomicBoolean leading = new AtomicBoolean(true);
  private final InformerFactory informers =
      new InformerFactory(KubeClient.of("http://127.0.0.1:1"));
  private final MemberClusters members =
      new MemberClusters(
          informers,
          ClientRateLimit.UNLIMITED,
          (method, target) -> leading.get() ? null : "not leading");

  @Test
  void buildsAClientFromKarmadasTokenAndCaBundle() {
    put(cluster("m1", "https://127.0.0.1:6443", "m1"));
    put(secret("m1", Map.of(Karmada.SECRET_TOKEN_KEY, "t0k3n\n")));

    var config = members.client("m1").orElseThrow().config();
    assertThat(config.server()).isEqualTo("https://127.0.0.1:6443");
    assertThat(config.token()).isEqualTo("t0k3n");
    assertThat(config.certificateAuthority()).isNull();

    // A caBundle that is no certificate: no client, and the reason, not an exception.
    put(secret("m1", Map.of(Karmada.SECRET_TOKEN_KEY, "t", Karmada.SECRET_CA_DATA_KEY, "PEM")));
    assertThat(members.client("m1")).isEmpty();
    assertThat(members.connect(members.cluster("m1").orElseThrow()).problem())
        .startsWith("invalid credentials");
  }

  @Test
  void acceptsAKubeconfigWhoseServerTheApiEndpointOverrides() {
    put(cluster("m2", null, "m2"));
    put(secret("m2", Map.of(Karmada.SECRET_KUBECONFIG_KEY, KUBECONFIG)));
    assertThat(members.client("m2").orElseThrow().config().server())
        .isEqualTo("https://10.1.2.3:6443");

    put(cluster("m2", "https://127.0.0.1:7000", "m2"));
    var config = members.client("m2").orElseThrow().config();
    assertThat(config.server()).isEqualTo("https://127.0.0.1:7000");
    assertThat(config.token()).isEqualTo("from-kubeconfig");
    assertThat(config.insecureSkipTlsVerify()).isTrue();
  }

  @Test
  void keepsItsClientUntilTheSecretChangesWhatItWouldBe() {
    put(cluster("m3", "https://127.0.0.1:6443", "m3"));
    put(secret("m3", Map.of(Karmada.SECRET_TOKEN_KEY, "one")));
    KubeClient first = members.client("m3").orElseThrow();
    assertThat(members.client("m3")).containsSame(first);

    put(secret("m3", Map.of(Karmada.SECRET_TOKEN_KEY, "two")));
    KubeClient second = members.client("m3").orElseThrow();
    assertThat(second).isNotSameAs(first);
    assertThat(second.config().token()).isEqualTo("two");
  }

  @Test
  void saysWhyAClusterHasNoClient() {
    assertThat(members.client("unknown")).isEmpty();
    put(cluster("m4", "https://127.0.0.1:6443", "m4"));
    assertThat(members.client("m4")).isEmpty();
    assertThat(members.resolve(members.cluster("m4").orElseThrow()).problem())
        .isEqualTo("secret karmada-cluster/m4 not found");
    put(secret("m4", Map.of("other", "x")));
    assertThat(members.resolve(members.cluster("m4").orElseThrow()).problem())
        .contains("neither token nor kubeconfig");
  }

  @Test
  void givesTheProxyTheImpersonatorsTokenWhenTheClusterNamesOne() {
    put(secret("m6", Map.of(Karmada.SECRET_TOKEN_KEY, "controllers")));
    put(cluster("m6", "https://127.0.0.1:6443", "m6"));
    assertThat(members.access(members.cluster("m6").orElseThrow()).config().token())
        .isEqualTo("controllers");

    Cluster withImpersonator = cluster("m6", "https://127.0.0.1:6443", "m6", "m6-impersonator");
    assertThat(members.access(withImpersonator).problem())
        .isEqualTo("impersonator secret karmada-cluster/m6-impersonator not found");
    put(secret("m6-impersonator", Map.of(Karmada.SECRET_TOKEN_KEY, "impersonator\n")));
    MemberClusters.Access access = members.access(withImpersonator);
    assertThat(access.config().token()).isEqualTo("impersonator");
    assertThat(access.config().server()).isEqualTo("https://127.0.0.1:6443");
    // The controllers' client keeps the Cluster's own token.
    assertThat(members.client(withImpersonator).orElseThrow().config().token())
        .isEqualTo("controllers");
    // Until the gateway has loaded its Clusters and Secrets, the proxy is told so, not 404.
    assertThat(members.access("m6").orElseThrow().problem()).contains("not loaded");
  }

  @Test
  void refusesWritesToMembersWhileTheGatewayDoesNotLead() {
    put(cluster("m5", "https://127.0.0.1:1", "m5"));
    put(secret("m5", Map.of(Karmada.SECRET_TOKEN_KEY, "t")));
    leading.set(false);
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build();
    StepVerifier.create(
            members
                .client("m5")
                .orElseThrow()
                .resource(BuiltInResources.NAMESPACES, Namespace.class)
                .create(ns))
        .expectError(WriteFencedException.class)
        .verify();
  }

  private void put(Cluster c) {
    members.clusterInformer().store().upsert(c);
  }

  private void put(Secret s) {
    members.secretInformer().store().upsert(s);
  }

  private static Cluster cluster(String name, String endpoint, String secret) {
    return cluster(name, endpoint, secret, null);
  }

  private static Cluster cluster(
      String name, String endpoint, String secret, String impersonatorSecret) {
    return new Cluster(
        new ObjectMetaBuilder().withName(name).build(),
        new ClusterSpec(
            null,
            Karmada.SYNC_MODE_PUSH,
            endpoint,
            new LocalSecretReference("karmada-cluster", secret),
            impersonatorSecret == null
                ? null
                : new LocalSecretReference("karmada-cluster", impersonatorSecret),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        null);
  }

  private static Secret secret(String name, Map<String, String> data) {
    Map<String, String> encoded = new java.util.HashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withMetadata(
            new ObjectMetaBuilder().withNamespace("karmada-cluster").withName(name).build())
        .withData(encoded)
        .build();
  }
}
