package io.nauta.ingress.tls;

import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.ingress.routes.RouteTable;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * The TLS port's certificates: for each handshake, the server name (SNI) looks up the current
 * {@link RouteTable}'s certificate for that host, so a rotated Secret (a new resourceVersion) is
 * served from the next handshake on. A name without a (valid) certificate gets the default one,
 * self-signed and made at start, as ingress-nginx's "Fake Certificate".
 */
public final class TlsContexts implements AsyncMapping<String, SslProvider> {

  public static final String DEFAULT_CERTIFICATE_NAME = "Nauta Ingress Controller Fake Certificate";

  private record Key(String secret, String version) {}

  private final Supplier<RouteTable> routes;
  private final boolean http2;
  private final SslProvider fallback;
  private final PrivateKey defaultKey;
  private final List<X509Certificate> defaultChain;
  private final Map<Key, SslProvider> providers = new ConcurrentHashMap<>();

  public TlsContexts(Supplier<RouteTable> routes, boolean http2) {
    this.routes = routes;
    this.http2 = http2;
    Instant now = Instant.now();
    CertificateAuthority ca =
        CertificateAuthority.create(DEFAULT_CERTIFICATE_NAME, Duration.ofDays(3650), now);
    IssuedCertificate cert =
        ca.issue(
            CertificateRequest.server(
                DEFAULT_CERTIFICATE_NAME, List.of("ingress.local"), Duration.ofDays(3650)),
            now);
    this.defaultKey = cert.key();
    this.defaultChain = List.of(cert.certificate(), ca.certificate());
    this.fallback = provider(defaultKey, defaultChain);
  }

  /** The default certificate's key, for clients without SNI and hosts without a certificate. */
  public PrivateKey defaultKey() {
    return defaultKey;
  }

  public X509Certificate[] defaultChain() {
    return defaultChain.toArray(X509Certificate[]::new);
  }

  @Override
  public Future<SslProvider> map(String serverName, Promise<SslProvider> promise) {
    return promise.setSuccess(lookup(serverName));
  }

  SslProvider lookup(String serverName) {
    return routes
        .get()
        .certificate(serverName)
        .map(
            c ->
                providers.computeIfAbsent(
                    new Key(c.secret(), c.version()), k -> provider(c.key(), c.chain())))
        .orElse(fallback);
  }

  /** Forgets the providers of Secret versions no longer in {@code table}. */
  public void retainOnly(RouteTable table) {
    var live =
        table.certificates().values().stream()
            .map(c -> new Key(c.secret(), c.version()))
            .collect(java.util.stream.Collectors.toSet());
    providers.keySet().retainAll(live);
  }

  private SslProvider provider(PrivateKey key, List<X509Certificate> chain) {
    X509Certificate[] certs = chain.toArray(X509Certificate[]::new);
    return SslProvider.builder()
        .sslContext(
            http2
                ? Http2SslContextSpec.forServer(key, certs)
                : Http11SslContextSpec.forServer(key, certs))
        .build();
  }
}
