package io.nauta.scheduler.framework;

/**
 * A host port a container asks for. Two conflict when protocol and port are equal and their IPs are
 * equal or either is the wildcard 0.0.0.0, as Kubernetes' NodePorts plugin decides.
 */
public record HostPort(String protocol, String ip, int port) {

  public static final String ANY_IP = "0.0.0.0";

  public static HostPort of(String protocol, String ip, int port) {
    return new HostPort(
        protocol == null || protocol.isEmpty() ? "TCP" : protocol,
        ip == null || ip.isEmpty() ? ANY_IP : ip,
        port);
  }

  public boolean conflictsWith(HostPort other) {
    return port == other.port
        && protocol.equals(other.protocol)
        && (ip.equals(other.ip) || ANY_IP.equals(ip) || ANY_IP.equals(other.ip));
  }
}
