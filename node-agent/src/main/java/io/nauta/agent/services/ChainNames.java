package io.nauta.agent.services;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The iptables chains of one agent process. Every chain starts with {@code NAUTA-<6 hex>-}, the hex
 * derived from the process's node names: agents of other clusters (or other test runs) on the same
 * host never touch each other's chains, and an agent that restarts with the same nodes takes its
 * own chains back. Names stay within iptables' 28 characters ({@code NAUTA-xxxxxx-SVC-} plus 10
 * base32 characters of a hash, as kube-proxy's {@code KUBE-SVC-<16>}).
 */
public record ChainNames(String prefix) {

  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /** Every Nauta service chain, whichever agent made it (deploy/nauta down matches the same). */
  public static final String PATTERN = "NAUTA-[0-9a-f]{6}-.*";

  public static ChainNames forNodes(List<String> nodeNames) {
    String joined = String.join(",", nodeNames.stream().sorted().toList());
    return new ChainNames("NAUTA-" + HexFormat.of().formatHex(sha256(joined)).substring(0, 6));
  }

  /**
   * nat: the service portals (clusterIP:port), jumped to from PREROUTING and OUTPUT; filter: the
   * rejects of services without endpoints.
   */
  public String services() {
    return prefix + "-SERVICES";
  }

  /** nat: node ports, reached from {@link #services()} for local destination addresses. */
  public String nodePorts() {
    return prefix + "-NODEPORTS";
  }

  /** nat: marks a packet for masquerading. */
  public String markMasq() {
    return prefix + "-MARK-MASQ";
  }

  /** nat: masquerades marked service traffic; keeps pod-to-pod traffic un-NATed. */
  public String postrouting() {
    return prefix + "-POSTROUTING";
  }

  /** filter: jumped to from INPUT. */
  public String input() {
    return prefix + "-INPUT";
  }

  /** filter: jumped to from OUTPUT. */
  public String output() {
    return prefix + "-OUTPUT";
  }

  /** filter: jumped to from DOCKER-USER, lets pods of different nodes (bridges) talk. */
  public String forward() {
    return prefix + "-FORWARD";
  }

  /** nat: the load-balancing chain of one service port. */
  public String service(String servicePort) {
    return prefix + "-SVC-" + hash(servicePort);
  }

  /** nat: the chain that sends one service port's traffic to one endpoint. */
  public String endpoint(String servicePort, String endpoint) {
    return prefix + "-SEP-" + hash(servicePort + "/" + endpoint);
  }

  /**
   * A chain of another part of the agent, e.g. {@code NAUTA-xxxxxx-NPI-<hash of key>} for one pod's
   * network policy; {@code kind} at most 4 characters.
   */
  public String chain(String kind, String key) {
    return prefix + "-" + kind + "-" + hash(key);
  }

  public boolean owns(String chain) {
    return chain.startsWith(prefix + "-");
  }

  private static String hash(String s) {
    byte[] digest = sha256(s);
    StringBuilder out = new StringBuilder();
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    for (int i = 0; i < 10; i++) {
      out.append(BASE32.charAt((int) ((bits >>> (59 - 5 * i)) & 31)));
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
