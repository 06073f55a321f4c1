package io.nauta.dns.server;

import io.nauta.dns.records.RecordType;
import io.nauta.dns.records.Rr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsPtrRecord;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsRecordEncoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;

/**
 * The cluster zone's {@link Rr records} as Netty's DNS records, and the size they take in a message
 * (Netty's encoder writes names uncompressed, so the size is exact): what decides whether a UDP
 * answer must be truncated.
 */
final class DnsWire {

  private static final Names NAMES = new Names();

  private DnsWire() {}

  static DnsRecord record(Rr rr) {
    String owner = fqdn(rr.name());
    Rr.Data data = rr.data();
    if (data instanceof Rr.Address a) {
      return new DefaultDnsRawRecord(
          owner,
          DnsRecordType.valueOf(rr.type().code()),
          rr.ttl(),
          Unpooled.wrappedBuffer(a.bytes()));
    }
    if (data instanceof Rr.Target t) {
      return rr.type() == RecordType.PTR
          ? new DefaultDnsPtrRecord(owner, DnsRecord.CLASS_IN, rr.ttl(), fqdn(t.name()))
          : raw(owner, rr, b -> NAMES.write(fqdn(t.name()), b));
    }
    if (data instanceof Rr.Srv s) {
      return raw(
          owner,
          rr,
          b -> {
            b.writeShort(s.priority()).writeShort(s.weight()).writeShort(s.port());
            NAMES.write(fqdn(s.target()), b);
          });
    }
    Rr.Soa s = (Rr.Soa) data;
    return raw(
        owner,
        rr,
        b -> {
          NAMES.write(fqdn(s.mname()), b);
          NAMES.write(fqdn(s.rname()), b);
          b.writeInt((int) s.serial())
              .writeInt(s.refresh())
              .writeInt(s.retry())
              .writeInt(s.expire())
              .writeInt(s.minimum());
        });
  }

  private static DnsRecord raw(String owner, Rr rr, java.util.function.Consumer<ByteBuf> rdata) {
    ByteBuf b = Unpooled.buffer();
    rdata.accept(b);
    return new DefaultDnsRawRecord(owner, DnsRecordType.valueOf(rr.type().code()), rr.ttl(), b);
  }

  /** Bytes the record takes in a message: owner name, type, class, TTL, length, data. */
  static int size(DnsRecord r) {
    int rdata = 0;
    if (r instanceof DnsRawRecord raw) {
      rdata = raw.content().readableBytes();
    } else if (r instanceof DnsPtrRecord ptr) {
      rdata = nameLength(ptr.hostname());
    }
    return nameLength(r.name()) + 10 + rdata;
  }

  /** Bytes of a question: name, type, class. */
  static int questionSize(String name) {
    return nameLength(name) + 4;
  }

  static int nameLength(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty()) {
      return 1;
    }
    int length = 1;
    for (String label : n.split("\\.")) {
      length += label.length() + 1;
    }
    return length;
  }

  static String fqdn(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /** Netty's own name encoding, for names inside record data (SRV, SOA, CNAME). */
  private static final class Names extends DefaultDnsRecordEncoder {
    void write(String name, ByteBuf buf) {
      try {
        encodeName(name, buf);
      } catch (Exception e) {
        throw new IllegalArgumentException("cannot encode the name " + name, e);
      }
    }
  }
}
