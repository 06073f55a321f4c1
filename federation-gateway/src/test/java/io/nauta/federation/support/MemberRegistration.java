package io.nauta.federation.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Registers a member (a {@link TestApiServer}) in a gateway as {@code deploy/nauta up --federation}
 * and {@code karmadactl join} do: in the member a service account {@code karmada-<name>} in {@code
 * karmada-cluster} bound to cluster-admin and a token for it; in the gateway the Secret {@code
 * karmada-cluster/<name>} ({@code token}, {@code caBundle}) and the Cluster.
 */
public final class MemberRegistration {

  private MemberRegistration() {}

  public static void register(
      Kubectl gatewayAdmin, TestApiServer member, String name, String region) {
    register(gatewayAdmin, member, name, region, member.url());
  }

  /** As {@link #register(Kubectl, TestApiServer, String, String)}, reached at {@code endpoint}. */
  public static void register(
      Kubectl gatewayAdmin, TestApiServer member, String name, String region, String endpoint) {
    Kubectl memberAdmin = new Kubectl(member.kubeconfig());
    apply(
        memberAdmin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: karmada-cluster}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: karmada-%s, namespace: karmada-cluster}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: "karmada-controller-manager:karmada-%s"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects:
        - {kind: ServiceAccount, name: karmada-%s, namespace: karmada-cluster}
        """
            .formatted(name, name, name));
    Kubectl.Result token =
        memberAdmin.run(
            "create", "token", "karmada-" + name, "-n", "karmada-cluster", "--duration=24h");
    assertThat(token.exitCode()).as(token.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> gatewayAdmin.run("get", "clusters.cluster.karmada.io").exitCode() == 0);
    apply(
        gatewayAdmin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: karmada-cluster}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: karmada-cluster}
        data:
          token: %s
          caBundle: %s
        ---
        apiVersion: cluster.karmada.io/v1alpha1
        kind: Cluster
        metadata: {name: %s, labels: {region: %s}}
        spec:
          apiEndpoint: %s
          secretRef: {namespace: karmada-cluster, name: %s}
          syncMode: Push
          region: %s
        """
            .formatted(
                name,
                base64(token.stdout().trim()),
                base64(member.serverCa()),
                name,
                region,
                endpoint,
                name,
                region));
  }

  public static void apply(Kubectl kubectl, String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
