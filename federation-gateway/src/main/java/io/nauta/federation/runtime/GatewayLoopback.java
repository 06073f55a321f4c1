package io.nauta.federation.runtime;

import io.nauta.core.client.ClientConfig;
import io.nauta.core.pki.ClusterPki;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Where the federation controllers reach the gateway's own API server: loopback HTTPS to the port
 * it actually listens on (known only once it listens: {@code server.port=0} picks one), as {@code
 * system:kube-controller-manager} with that identity's client certificate from the gateway's PKI,
 * trusting the PKI's server CA. Without security ({@code nauta.security.enabled=false}) plain HTTP
 * and no identity.
 */
public final class GatewayLoopback implements Supplier<ClientConfig> {

  /** The PKI identity the controllers use: the controller manager's. */
  public static final String IDENTITY = "controller-manager";

  private final String host;
  private final ClientConfig identity;
  private final AtomicReference<ClientConfig> current = new AtomicReference<>();

  /**
   * @param host the address the server listens on (loopback when it listens on every address)
   * @param port the configured port, until the server says which one it listens on
   * @param pki the gateway's PKI, or {@code null} without security
   */
  public GatewayLoopback(String host, int port, ClusterPki pki) {
    this.host =
        host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host)
            ? "127.0.0.1"
            : host;
    this.identity = pki == null ? null : ClientConfig.fromKubeconfig(pki.kubeconfig(IDENTITY));
    listeningOn(port);
  }

  /** The server listens on {@code port}: every later request goes there. */
  public void listeningOn(int port) {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    if (identity == null) {
      current.set(ClientConfig.fromUrl("http://" + hostPart + ":" + port));
    } else {
      current.set(
          new ClientConfig(
              "https://" + hostPart + ":" + port,
              null,
              null,
              identity.certificateAuthority(),
              identity.clientCertificate(),
              identity.clientKey(),
              false));
    }
  }

  @Override
  public ClientConfig get() {
    return current.get();
  }
}
