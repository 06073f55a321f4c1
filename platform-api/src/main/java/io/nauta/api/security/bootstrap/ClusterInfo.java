package io.nauta.api.security.bootstrap;

import io.nauta.core.net.AdvertiseAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.core.env.Environment;

/**
 * kubeadm's {@code kube-public/cluster-info}: a kubeconfig with the API server's address and the
 * server CA and no credentials, readable by {@code system:anonymous} (the Role and RoleBinding
 * {@code kubeadm:bootstrap-signer-clusterinfo}). A node joining with {@code --ca-cert-hash} reads
 * it without trusting anyone, then trusts the CA only when the SHA-256 of its public key is the one
 * it was given (kubeadm's {@code --discovery-token-ca-cert-hash}).
 */
final class ClusterInfo {

  static final String NAMESPACE = "kube-public";
  static final String NAME = "cluster-info";
  static final String KEY = "kubeconfig";

  /** kubeadm's Role and RoleBinding that let {@code system:anonymous} get the ConfigMap. */
  static final String READER = "kubeadm:bootstrap-signer-clusterinfo";

  private ClusterInfo() {}

  /** The kubeconfig as kubeadm writes it (client-go's serialisation of a cluster named ""). */
  static String kubeconfig(String server, String caPem) {
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    return "apiVersion: v1\n"
        + "clusters:\n"
        + "- cluster:\n"
        + "    certificate-authority-data: "
        + ca
        + "\n"
        + "    server: "
        + server
        + "\n"
        + "  name: \"\"\n"
        + "contexts: null\n"
        + "current-context: \"\"\n"
        + "kind: Config\n"
        + "preferences: {}\n"
        + "users: null\n";
  }

  /**
   * This server's URL as others reach it: the advertised address ({@code
   * nauta.kubernetes-service.advertise-address}, else the bind address, else the default route's
   * interface's), or loopback when it listens on loopback only; the port it listens on.
   */
  static String serverUrl(Environment env) {
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "6443"));
    String bind = env.getProperty("server.address", "");
    String configured = env.getProperty("nauta.kubernetes-service.advertise-address", "");
    String host =
        configured.isBlank() && (bind.startsWith("127.") || bind.equals("localhost"))
            ? bind
            : AdvertiseAddress.choose(configured, bind).orElse("127.0.0.1");
    return "https://" + host + ":" + port;
  }
}
