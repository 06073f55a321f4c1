package io.nauta.dns.server;

import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;

/**
 * What the server keeps of a query once Netty's decoder has released it.
 *
 * @param udpLimit the largest UDP answer the client takes: 512 bytes, or the size its EDNS0 OPT
 *     record announces (RFC 6891); TCP answers are limited only by the message size
 * @param edns whether the client sent an OPT record (then forwarded queries carry one too)
 */
record Request(
    int id,
    String name,
    int type,
    boolean recursionDesired,
    boolean udp,
    int udpLimit,
    boolean edns) {

  static final int CLASSIC_UDP_LIMIT = 512;

  /** The request of a query with exactly one question, or null for a malformed one. */
  static Request of(DnsQuery query, boolean udp) {
    if (query.count(DnsSection.QUESTION) != 1) {
      return null;
    }
    DnsQuestion q = query.recordAt(DnsSection.QUESTION);
    int limit = CLASSIC_UDP_LIMIT;
    boolean edns = false;
    for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
      DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
      if (r.type() == DnsRecordType.OPT) {
        edns = true;
        limit = Math.max(CLASSIC_UDP_LIMIT, Math.min(r.dnsClass(), 65535));
      }
    }
    return new Request(
        query.id(), q.name(), q.type().intValue(), query.isRecursionDesired(), udp, limit, edns);
  }

  String typeName() {
    return DnsRecordType.valueOf(type).name();
  }
}
