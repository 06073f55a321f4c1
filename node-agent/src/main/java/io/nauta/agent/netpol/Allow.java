package io.nauta.agent.netpol;

/**
 * Traffic one rule lets through to (ingress) or from (egress) a pod: from or to {@code cidr} (null:
 * anywhere), of {@code protocol} (null: any) on {@code port} to {@code endPort} (null: any port;
 * {@code endPort} null: just {@code port}).
 */
public record Allow(String cidr, String protocol, Integer port, Integer endPort) {

  static final Allow EVERYTHING = new Allow(null, null, null, null);

  Allow withCidr(String peer) {
    return new Allow(peer, protocol, port, endPort);
  }

  @Override
  public String toString() {
    String from = cidr == null ? "any" : cidr;
    if (protocol == null) {
      return from;
    }
    String ports =
        port == null
            ? ""
            : ":" + port + (endPort == null || endPort.equals(port) ? "" : "-" + endPort);
    return from + " " + protocol + ports;
  }
}
