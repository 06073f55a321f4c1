package io.nauta.core.pki;

/** Kubeconfig files as kubectl and client-go read them. */
public final class Kubeconfigs {

  private Kubeconfigs() {}

  /**
   * One cluster, one user authenticating with a client certificate, one context named {@code nauta}
   * in namespace {@code default}; everything embedded as {@code *-data}, an EC key as {@code EC
   * PRIVATE KEY} ({@link Pem#kubeconfigKey}).
   */
  public static String withClientCertificate(
      String server, String caPem, String certPem, String keyPem, String user) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nauta
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: nauta
          context:
            cluster: nauta
            user: %s
            namespace: default
        current-context: nauta
        """
        .formatted(
            server,
            ClusterPki.base64(caPem),
            quoted(user),
            ClusterPki.base64(certPem),
            ClusterPki.base64(Pem.kubeconfigKey(Pem.parsePrivateKey(keyPem))),
            quoted(user));
  }

  // User names such as system:kube-scheduler hold a colon: quote them for YAML.
  private static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
