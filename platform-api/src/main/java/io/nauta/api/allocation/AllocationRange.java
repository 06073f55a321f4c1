package io.nauta.api.allocation;

import java.util.OptionalLong;

/**
 * A contiguous range of allocatable values, numbered by offset {@code 0..size-1}: the host
 * addresses of an IPv4 CIDR (without its network and broadcast addresses, as Kubernetes leaves them
 * out) or a port range such as {@code 30000-32767}.
 */
public record AllocationRange(Kind kind, long base, long size, String text) {

  public enum Kind {
    IPV4,
    PORT
  }

  /** An IPv4 CIDR such as {@code 10.96.0.0/16}. */
  public static AllocationRange cidr(String cidr) {
    String[] parts = cidr.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 1 || prefix > 30) {
      throw new IllegalArgumentException("prefix length must be 1..30: " + cidr);
    }
    long network = parseIpv4(parts[0]).orElseThrow(() -> new IllegalArgumentException(cidr));
    long hosts = 1L << (32 - prefix);
    network &= ~(hosts - 1) & 0xffffffffL;
    return new AllocationRange(Kind.IPV4, network + 1, hosts - 2, cidr.trim());
  }

  /** A port range such as {@code 30000-32767}. */
  public static AllocationRange ports(String range) {
    String[] parts = range.trim().split("-");
    int lo = Integer.parseInt(parts[0].trim());
    int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
    if (lo < 1 || hi > 65535 || hi < lo) {
      throw new IllegalArgumentException("invalid port range: " + range);
    }
    return new AllocationRange(Kind.PORT, lo, hi - lo + 1, lo + "-" + hi);
  }

  /** The offset of {@code member} in this range, or empty when it is outside or malformed. */
  public OptionalLong offsetOf(String member) {
    OptionalLong v = kind == Kind.IPV4 ? parseIpv4(member) : parsePort(member);
    if (v.isEmpty() || v.getAsLong() < base || v.getAsLong() >= base + size) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(v.getAsLong() - base);
  }

  public boolean contains(String member) {
    return offsetOf(member).isPresent();
  }

  /** The member at {@code offset}. */
  public String memberAt(long offset) {
    long v = base + offset;
    return kind == Kind.IPV4 ? formatIpv4(v) : Long.toString(v);
  }

  static OptionalLong parseIpv4(String ip) {
    if (ip == null) {
      return OptionalLong.empty();
    }
    String[] octets = ip.split("\\.", -1);
    if (octets.length != 4) {
      return OptionalLong.empty();
    }
    long v = 0;
    for (String o : octets) {
      if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit)) {
        return OptionalLong.empty();
      }
      int n = Integer.parseInt(o);
      if (n > 255) {
        return OptionalLong.empty();
      }
      v = (v << 8) | n;
    }
    return OptionalLong.of(v);
  }

  private static OptionalLong parsePort(String p) {
    try {
      return OptionalLong.of(Long.parseLong(p));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static String formatIpv4(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
