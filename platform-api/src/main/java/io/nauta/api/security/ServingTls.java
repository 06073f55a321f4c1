package io.nauta.api.security;

import io.nauta.core.pki.Pem;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The API server's TLS: its serving certificate, and client certificates requested but not
 * required, so a request may authenticate with a bearer token instead (Kubernetes' {@code
 * RequestClientCert}). Any client certificate passes the handshake and is verified by {@link
 * X509Authenticator}: one from another CA then gets a 401 {@code Status}, as from kube-apiserver,
 * instead of a TLS alert the client cannot explain. (Spring Boot's SSL bundle would verify client
 * certificates in the handshake against its trust store, which is why this is a Netty customizer.)
 */
final class ServingTls {

  private ServingTls() {}

  static SslContext sslContext(Path certificate, Path key) {
    try {
      return SslContextBuilder.forServer(stream(Pem.read(certificate)), stream(Pem.read(key)))
          .clientAuth(ClientAuth.OPTIONAL)
          .trustManager(new AnyClientCertificate())
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot use the serving certificate " + certificate, e);
    }
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }

  /** Accepts every client certificate at the TLS layer; authentication verifies it. */
  private static final class AnyClientCertificate extends X509ExtendedTrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("a server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("a server-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      // No CA hint: clients then send the certificate they have, and a foreign one is refused by
      // the x509 authenticator with a 401 rather than silently left out.
      return new X509Certificate[0];
    }
  }
}
