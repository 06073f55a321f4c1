package io.nauta.agent.runtime;

import java.util.BitSet;

/**
 * A node's pod range, an IPv4 {@code /24}, handing out addresses {@code .2}–{@code .254} ({@code
 * .1} is the node bridge's gateway, as on a CNI bridge) round-robin: the next free address after
 * the last one handed out, as CNI's host-local IPAM does, so an address just given back (a pod that
 * finished or was deleted) is not given to a new pod at once while conntrack entries, Endpoints and
 * caches elsewhere may still name it.
 */
public final class PodCidr {

  private static final int FIRST_HOST = 2;
  private static final int LAST_HOST = 254;

  private final long base;
  private final BitSet used = new BitSet(256);

  /** The host part handed out last (or found in use highest); the search starts after it. */
  private int last = FIRST_HOST - 1;

  private PodCidr(long base) {
    this.base = base;
  }

  /**
   * The {@code index}-th {@code /24} of {@code clusterCidr} (e.g. 10.244.0.0/16, 3: 10.244.3.0/24).
   */
  public static PodCidr nth(String clusterCidr, int index) {
    String[] parts = clusterCidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("not a CIDR: " + clusterCidr);
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 24) {
      throw new IllegalArgumentException("cluster CIDR prefix must be /8 to /24: " + clusterCidr);
    }
    long network = toLong(parts[0]) & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    long subnets = 1L << (24 - prefix);
    if (index < 0 || index >= subnets) {
      throw new IllegalArgumentException(
          "node index "
              + index
              + " has no /24 in "
              + clusterCidr
              + " ("
              + subnets
              + " nodes at most); widen nauta.agent.cluster-cidr");
    }
    return new PodCidr(network + ((long) index << 8));
  }

  /**
   * The index of {@code podCidr} among the {@code /24}s of {@code clusterCidr} (the inverse of
   * {@link #nth}), or -1 when it is not one of them.
   */
  public static int indexIn(String clusterCidr, String podCidr) {
    if (podCidr == null || !podCidr.endsWith("/24")) {
      return -1;
    }
    int subnets = subnets(clusterCidr);
    long first = nth(clusterCidr, 0).base;
    long offset = toLong(podCidr.substring(0, podCidr.length() - 3)) - first;
    return offset < 0 || (offset & 255) != 0 || (offset >> 8) >= subnets ? -1 : (int) (offset >> 8);
  }

  /** The lowest index of a {@code /24} of {@code clusterCidr} that none of {@code taken} is. */
  public static int firstFree(String clusterCidr, java.util.Collection<String> taken) {
    BitSet used = new BitSet();
    for (String cidr : taken) {
      int i = indexIn(clusterCidr, cidr);
      if (i >= 0) {
        used.set(i);
      }
    }
    int free = used.nextClearBit(0);
    if (free >= subnets(clusterCidr)) {
      throw new IllegalStateException(
          "every /24 of "
              + clusterCidr
              + " is some node's pod range; widen nauta.agent.cluster-cidr");
    }
    return free;
  }

  private static int subnets(String clusterCidr) {
    return 1 << (24 - Integer.parseInt(clusterCidr.split("/")[1]));
  }

  /** The range, e.g. {@code 10.244.3.0/24}. */
  public String cidr() {
    return toString(base) + "/24";
  }

  /** The next free address after the last one handed out, wrapping around the range. */
  public synchronized String allocate() {
    int host = used.nextClearBit(last + 1);
    if (host > LAST_HOST) {
      host = used.nextClearBit(FIRST_HOST);
    }
    if (host > LAST_HOST) {
      throw new IllegalStateException("no free pod IP left in " + cidr());
    }
    used.set(host);
    last = host;
    return toString(base + host);
  }

  /**
   * Marks an address as taken (one found in use, e.g. by a pod adopted after a restart). The next
   * allocation starts after the highest such address: what lies below it may have been freed just
   * before the restart.
   */
  public synchronized void reserve(String ip) {
    long addr = toLong(ip);
    if (addr - base >= FIRST_HOST && addr - base <= LAST_HOST) {
      used.set((int) (addr - base));
      last = Math.max(last, (int) (addr - base));
    }
  }

  /** Whether the address is handed out (or reserved). */
  public synchronized boolean inUse(String ip) {
    long addr = toLong(ip);
    return addr - base >= FIRST_HOST && addr - base <= LAST_HOST && used.get((int) (addr - base));
  }

  /** The range's first host address, a bridge's gateway (e.g. {@code 10.244.3.1}). */
  public String gateway() {
    return toString(base + 1);
  }

  /** Gives an address back; unknown addresses are ignored. */
  public synchronized void release(String ip) {
    long addr = toLong(ip);
    if (addr - base >= FIRST_HOST && addr - base <= LAST_HOST) {
      used.clear((int) (addr - base));
    }
  }

  private static long toLong(String ip) {
    String[] octets = ip.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long v = 0;
    for (String o : octets) {
      int b = Integer.parseInt(o);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = (v << 8) | b;
    }
    return v;
  }

  private static String toString(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
