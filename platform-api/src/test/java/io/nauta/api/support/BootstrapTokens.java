package io.nauta.api.support;

import java.time.Instant;

/**
 * Bootstrap tokens as {@code kubeadm token create} stores them: the Secret {@code
 * kube-system/bootstrap-token-<id>} of type {@code bootstrap.kubernetes.io/token}, usable for
 * authentication until {@code expiration}.
 */
public final class BootstrapTokens {

  private BootstrapTokens() {}

  /** The Secret's manifest (YAML, for {@code kubectl create -f -}). */
  public static String secret(String id, String secret, Instant expiration) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: bootstrap-token-%s
          namespace: kube-system
        type: bootstrap.kubernetes.io/token
        stringData:
          token-id: %s
          token-secret: %s
          expiration: %s
          usage-bootstrap-authentication: "true"
        """
        .formatted(id, id, secret, expiration);
  }

  /** The token a client presents: {@code <id>.<secret>}. */
  public static String token(String id, String secret) {
    return id + "." + secret;
  }
}
