package io.nauta.federation.proxy;

/**
 * How the gateway reaches one member's API server: its URL, the bearer token of the gateway's
 * account there (the impersonator's when the Cluster names one), and the CA its serving certificate
 * is checked against.
 *
 * @param cluster the Cluster's name
 * @param server {@code spec.apiEndpoint}
 * @param token the bearer token sent to the member
 * @param caBundle PEM of the CA to trust; null: the JDK's trust store
 * @param insecureSkipTlsVerify {@code spec.insecureSkipTLSVerification}
 */
public record MemberEndpoint(
    String cluster, String server, String token, String caBundle, boolean insecureSkipTlsVerify) {

  public MemberEndpoint {
    server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  /** What the connection depends on (not the token, which goes in a header per request). */
  TlsKey tlsKey() {
    return new TlsKey(caBundle, insecureSkipTlsVerify);
  }

  record TlsKey(String caBundle, boolean insecureSkipTlsVerify) {}

  @Override
  public String toString() {
    // Never print the token (records print every field).
    return "MemberEndpoint[cluster=" + cluster + ", server=" + server + "]";
  }
}
