package io.nauta.ingress.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the ingress controller, in one place ({@code nauta.ingress.*}).
 *
 * @param server the API server's URL, used when no kubeconfig is given
 * @param kubeconfig a kubeconfig file whose current context names the API server (and identity)
 * @param token a bearer token for {@code server}
 * @param className the IngressClass served; Ingresses without a class too while it is the default
 *     one ({@code ingressclass.kubernetes.io/is-default-class})
 * @param address the address the proxy listens on (HTTP and HTTPS)
 * @param httpPort the plain HTTP port: 8080 so that it needs no root; 80 in production
 * @param httpsPort the TLS port (SNI, HTTP/2 by ALPN): 8443; 443 in production
 * @param statusAddress the address written into the Ingresses' {@code status.loadBalancer}: an IP
 *     or a host name
 * @param connectTimeout how long to wait for a connection to an endpoint (then the next one, for an
 *     idempotent request)
 * @param responseTimeout how long to wait for an endpoint's response headers (504 after)
 * @param retries how many other endpoints an idempotent request is tried on when connecting fails
 * @param maxConnections the connection pool's size per endpoint (kept alive between requests)
 * @param maxIdleTime how long an idle pooled connection is kept
 * @param http2 HTTP/2 on the TLS port, offered by ALPN beside HTTP/1.1
 * @param threads the proxy's event loop threads (both ports and the connections to endpoints); 0:
 *     one per core
 */
@ConfigurationProperties("nauta.ingress")
public record IngressProperties(
    @DefaultValue("http://127.0.0.1:6443") String server,
    @DefaultValue("") String kubeconfig,
    @DefaultValue("") String token,
    @DefaultValue("nauta") String className,
    @DefaultValue("0.0.0.0") String address,
    @DefaultValue("8080") int httpPort,
    @DefaultValue("8443") int httpsPort,
    @DefaultValue("127.0.0.1") String statusAddress,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("60s") Duration responseTimeout,
    @DefaultValue("2") int retries,
    @DefaultValue("512") int maxConnections,
    @DefaultValue("60s") Duration maxIdleTime,
    @DefaultValue("true") boolean http2,
    @DefaultValue("0") int threads) {}
