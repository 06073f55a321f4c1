package io.nauta.api.security;

import io.nauta.api.allocation.AllocationRange;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.serviceaccount.ServiceAccountTokenProperties;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Security on ({@code nauta.security.enabled}, the default; {@code false} opts out): the PKI is
 * made or renewed before the server listens (as k3s's server does at start), the server speaks
 * HTTPS with its serving certificate, every request is authenticated, and the components'
 * kubeconfigs in the PKI directory name the address the server actually listens on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "nauta.security.enabled", matchIfMissing = true)
public class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  ClusterPki clusterPki(
      SecurityProperties security,
      NautaProperties nauta,
      @org.springframework.beans.factory.annotation.Value("${server.port:6443}") int port,
      @org.springframework.beans.factory.annotation.Value("${server.address:}") String bind,
      @org.springframework.beans.factory.annotation.Value(
              "${nauta.kubernetes-service.advertise-address:}")
          String advertise,
      @org.springframework.beans.factory.annotation.Value("${nauta.security.node-addresses:}")
          List<String> nodeAddresses) {
    if (security.pkiDir().isBlank()) {
      throw new IllegalStateException(
          "nauta.security.enabled needs nauta.security.pki-dir (where the cluster PKI lives)");
    }
    String host = hostName();
    List<String> sans = new ArrayList<>();
    if (host != null) {
      sans.add(host);
    }
    // The address other hosts reach it at, which kube-public/cluster-info names (kubeadm puts the
    // advertise address in too): a node joining from another host checks it.
    java.util.Optional<String> advertised =
        io.nauta.core.net.AdvertiseAddress.choose(advertise, bind);
    advertised.ifPresent(sans::add);
    // This host's node agent is reached at its node's InternalIP: the advertise address, or what
    // nauta.security.node-addresses names (deploy/nauta up passes NAUTA_NODE_IP).
    List<String> agentAddresses = new ArrayList<>();
    advertised.ifPresent(agentAddresses::add);
    nodeAddresses.stream()
        .map(String::strip)
        .filter(a -> !a.isEmpty() && !agentAddresses.contains(a))
        .forEach(agentAddresses::add);
    // The kubernetes Service's cluster IP: the first address of the service range.
    sans.add(AllocationRange.cidr(nauta.services().clusterIpRange()).memberAt(0));
    // Lower-cased as the agent names its node after the host.
    String node =
        security.nodeName().isBlank()
            ? (host == null ? null : host.toLowerCase(java.util.Locale.ROOT))
            : security.nodeName();
    ClusterPki pki =
        ClusterPki.ensure(
            Path.of(security.pkiDir()),
            new ClusterPki.Settings(
                kubeconfigServer(security, port),
                sans,
                node == null ? "localhost" : node,
                agentAddresses),
            Instant.now());
    if (!pki.changed().isEmpty()) {
      log.info("PKI in {}: made {}", pki.dir(), pki.changed());
    }
    return pki;
  }

  @Bean
  WebServerFactoryCustomizer<NettyReactiveWebServerFactory> servingTls(ClusterPki pki) {
    return factory ->
        factory.addServerCustomizers(
            server ->
                server.secure(
                    spec ->
                        spec.sslContext(
                            ServingTls.sslContext(
                                pki.apiserverCertificate(), pki.apiserverKey()))));
  }

  /**
   * Once the port is known (0 picks one): the kubeconfigs point at it, or at {@code
   * nauta.security.kubeconfig-server} when set.
   */
  @Bean
  ApplicationListener<ReactiveWebServerInitializedEvent> kubeconfigWriter(
      ClusterPki pki, SecurityProperties security) {
    return event -> {
      String server = kubeconfigServer(security, event.getWebServer().getPort());
      pki.writeKubeconfigs(server);
      log.info("kubeconfigs for {} in {}", server, pki.dir());
    };
  }

  private static String kubeconfigServer(SecurityProperties security, int port) {
    return security.kubeconfigServer().isBlank()
        ? "https://127.0.0.1:" + port
        : security.kubeconfigServer();
  }

  @Bean
  ImpersonationFilter impersonationFilter(AuthorizerChain authorizers) {
    return new ImpersonationFilter(authorizers);
  }

  @Bean
  AuthenticationFilter authenticationFilter(
      ObjectProvider<Authenticator> authenticators, SecurityProperties security) {
    return new AuthenticationFilter(
        authenticators.orderedStream().toList(),
        new TokenCache(security.tokenCacheTtl(), Clock.systemUTC()));
  }

  @Bean
  @Order(100)
  X509Authenticator x509Authenticator(ClusterPki pki) {
    return new X509Authenticator(Pem.parseCertificates(Pem.read(pki.clientCaCertificate())));
  }

  @Bean
  @Order(200)
  @ConditionalOnExpression("!'${nauta.security.token-auth-file:}'.isBlank()")
  StaticTokenAuthenticator staticTokenAuthenticator(
      SecurityProperties security, ServiceAccountTokenProperties tokens) {
    return StaticTokenAuthenticator.fromFile(Path.of(security.tokenAuthFile()), tokens.audiences());
  }

  @Bean
  @Order(300)
  BootstrapTokenAuthenticator bootstrapTokenAuthenticator(
      WatchCaches caches, ServiceAccountTokenProperties tokens) {
    return new BootstrapTokenAuthenticator(caches, Clock.systemUTC(), tokens.audiences());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
