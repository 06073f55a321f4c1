package io.nauta.dns.records;

/**
 * One resource record of an answer, in the server's own terms (no wire format): its owner name
 * (lower case, no trailing dot), type and TTL, and its data.
 */
public record Rr(String name, RecordType type, long ttl, Data data) {

  /** The record's data, one kind per record type the cluster zone serves. */
  public sealed interface Data permits Address, Target, Srv, Soa {}

  /** A (IPv4) or AAAA data: the address's bytes. */
  public record Address(byte[] bytes) implements Data {}

  /** PTR or CNAME data: one domain name. */
  public record Target(String name) implements Data {}

  public record Srv(int priority, int weight, int port, String target) implements Data {}

  public record Soa(
      String mname, String rname, long serial, int refresh, int retry, int expire, int minimum)
      implements Data {}

  public static Rr a(String name, long ttl, byte[] ip) {
    return new Rr(name, RecordType.A, ttl, new Address(ip));
  }
}
