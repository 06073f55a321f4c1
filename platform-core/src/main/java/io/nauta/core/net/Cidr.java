package io.nauta.core.net;

import io.nauta.core.validation.NetworkValidation;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IP block ({@code 10.0.0.0/8}, {@code 2001:db8::/64}) as Go's {@code net.ParseCIDR} reads it:
 * the address is masked to its network, so {@code 10.1.2.3/8} is {@code 10.0.0.0/8}. Used to check
 * a NetworkPolicy's {@code except} blocks against their {@code cidr} and to cut them out of it.
 */
public record Cidr(BigInteger network, int prefix, int bits) {

  /** The block, or empty if {@code value} is not a CIDR (never a DNS lookup). */
  public static Optional<Cidr> parse(String value) {
    if (!NetworkValidation.isValidCidr(value)) {
      return Optional.empty();
    }
    int slash = value.indexOf('/');
    byte[] address;
    try {
      // A valid IP literal (checked above): parsed, never resolved.
      address = InetAddress.getByName(value.substring(0, slash)).getAddress();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    int bits = address.length * 8;
    int prefix = Integer.parseInt(value.substring(slash + 1));
    return Optional.of(new Cidr(mask(new BigInteger(1, address), prefix, bits), prefix, bits));
  }

  public boolean isIpv4() {
    return bits == 32;
  }

  /** Whether {@code other} lies inside this block (same family, at least as long a prefix). */
  public boolean contains(Cidr other) {
    return bits == other.bits
        && other.prefix >= prefix
        && mask(other.network, prefix, bits).equals(network);
  }

  /** Whether the address (an IP literal) lies inside this block. */
  public boolean contains(String ip) {
    return parse(ip + (ip.contains(":") ? "/128" : "/32")).map(this::contains).orElse(false);
  }

  /**
   * This block without {@code holes}: the fewest blocks covering every address of this one that
   * lies in none of the holes (holes outside it are ignored).
   */
  public List<Cidr> minus(List<Cidr> holes) {
    List<Cidr> out = new ArrayList<>();
    subtract(this, holes, out);
    return out;
  }

  private static void subtract(Cidr block, List<Cidr> holes, List<Cidr> out) {
    boolean touched = false;
    for (Cidr hole : holes) {
      if (hole.contains(block)) {
        return; // all of it is cut out
      }
      if (block.contains(hole)) {
        touched = true;
      }
    }
    if (!touched) {
      out.add(block);
      return;
    }
    // Some hole lies strictly inside: split in halves and look at each.
    int p = block.prefix + 1;
    BigInteger half = BigInteger.ONE.shiftLeft(block.bits - p);
    subtract(new Cidr(block.network, p, block.bits), holes, out);
    subtract(new Cidr(block.network.add(half), p, block.bits), holes, out);
  }

  private static BigInteger mask(BigInteger address, int prefix, int bits) {
    BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    return address.and(all.xor(host));
  }

  @Override
  public String toString() {
    byte[] raw = network.toByteArray();
    byte[] address = new byte[bits / 8];
    // BigInteger may add a sign byte or drop leading zeros: right-align into the address.
    int copy = Math.min(raw.length, address.length);
    System.arraycopy(raw, raw.length - copy, address, address.length - copy, copy);
    try {
      String ip = InetAddress.getByAddress(address).getHostAddress();
      return ip + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
