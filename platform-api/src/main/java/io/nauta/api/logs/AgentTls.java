package io.nauta.api.logs;

import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the API server speaks TLS to node agents: it presents its {@code
 * kube-apiserver-kubelet-client} certificate and accepts an agent's serving certificate only when
 * it chains to the cluster's server CA and names the address dialled.
 *
 * <p>One agent process may serve several simulated nodes, each at its own 127.1.x.y address, with
 * one serving certificate made before those addresses are known. So a loopback address (all of
 * 127.0.0.0/8 is this machine) is accepted when the certificate names {@code 127.0.0.1}; any other
 * address or name must be among the certificate's SANs. Kubernetes verifies nothing of a kubelet's
 * certificate unless {@code --kubelet-certificate-authority} is given; this is stricter than that.
 */
final class AgentTls {

  private AgentTls() {}

  static SslContext sslContext(ClusterPki pki) {
    try {
      return SslContextBuilder.forClient()
          .keyManager(
              stream(Pem.read(pki.apiserverKubeletClientCertificate())),
              stream(Pem.read(pki.apiserverKubeletClientKey())))
          .trustManager(new AgentServerTrust(chainTrust(pki)))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot use the API server's kubelet client certificate", e);
    }
  }

  private static X509ExtendedTrustManager chainTrust(ClusterPki pki) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry(
          "server-ca", Pem.parseCertificate(Pem.read(pki.serverCaCertificate())));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot trust the cluster's server CA", e);
    }
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code host} (the address dialled) is one {@code certificate} may serve: one of its
   * SANs, or any loopback address when it names 127.0.0.1.
   */
  static boolean serves(X509Certificate certificate, String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    InetAddress dialled = literal(bare);
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (sans == null) {
      return false;
    }
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      String value = (String) san.get(1);
      if (type == 2 && dialled == null && value.equalsIgnoreCase(bare)) {
        return true;
      }
      if (type == 7 && dialled != null) {
        InetAddress named = literal(value);
        if (dialled.equals(named)
            || (dialled.isLoopbackAddress()
                && named != null
                && named.isLoopbackAddress()
                && dialled.getAddress().length == named.getAddress().length)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The address an IP literal names, or null for a host name (never resolved). */
  private static InetAddress literal(String host) {
    boolean ip = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    if (!ip) {
      return null;
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The chain against the server CA (the JDK's PKIX), then the address check above. */
  private static final class AgentServerTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager chain;

    AgentServerTrust(X509ExtendedTrustManager chain) {
      this.chain = chain;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      chain.checkServerTrusted(certs, authType);
      String host = engine == null ? null : engine.getPeerHost();
      if (!serves(certs[0], host)) {
        throw new CertificateException(
            "the node agent's serving certificate is not valid for " + host);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("agents are reached through an SSLEngine");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      throw new CertificateException("agents are reached through an SSLEngine");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      throw new CertificateException("a client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chain.getAcceptedIssuers();
    }
  }
}
