package io.nauta.ingress.routes;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate and key from an Ingress's {@code kubernetes.io/tls} Secret.
 *
 * @param secret the Secret, {@code namespace/name}
 * @param version its resourceVersion: a new one (rotation) makes a new TLS context
 */
public record TlsCertificate(
    String secret, String version, PrivateKey key, List<X509Certificate> chain) {

  public TlsCertificate {
    chain = List.copyOf(chain);
  }
}
