package io.nauta.dns.server;

import io.nauta.dns.records.Answer;
import io.nauta.dns.records.ClusterRecords;
import io.nauta.dns.records.RecordType;
import io.nauta.dns.records.Rr;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Answers one request, whatever the transport: from the cluster zone's records, or by forwarding it
 * upstream; either way counted in the metrics.
 */
final class Responder {

  private static final Log log = LogFactory.getLog(Responder.class);

  /** An answer to send: a response to fill in ({@code local}) or an upstream's bytes. */
  record Reply(Answer local, byte[] forwarded) {}

  private final ClusterRecords records;
  private final Forwarder forwarder;
  private final DnsMetrics metrics;

  Responder(ClusterRecords records, Forwarder forwarder, DnsMetrics metrics) {
    this.records = records;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  CompletableFuture<Reply> reply(Request req, String family) {
    long start = System.nanoTime();
    Answer answer;
    try {
      answer = records.resolve(req.name(), RecordType.of(req.type()));
    } catch (RuntimeException e) {
      log.warn("answering " + req.name() + " " + req.typeName() + " failed", e);
      answer = failure();
    }
    if (!answer.forward()) {
      metrics.answered(
          records.zone() + ".",
          req,
          "kubernetes",
          rcodeName(answer.rcode().code()),
          family,
          Duration.ofNanos(System.nanoTime() - start));
      return CompletableFuture.completedFuture(new Reply(answer, null));
    }
    return forwarder
        .forward(req)
        .handle(
            (bytes, e) -> {
              Reply r = e == null ? new Reply(null, bytes) : new Reply(failure(), null);
              String rcode = e == null ? Forwarder.rcodeName(bytes) : "SERVFAIL";
              if (e != null) {
                log.debug("forwarding " + req.name() + " failed: " + e);
              }
              metrics.answered(
                  ".", req, "forward", rcode, family, Duration.ofNanos(System.nanoTime() - start));
              return r;
            });
  }

  private static Answer failure() {
    return new Answer(Answer.Rcode.SERVFAIL, List.of(), List.of(), List.of());
  }

  /**
   * Fills {@code response} with the answer: header flags, the question, and its records, unless
   * they exceed {@code limit} bytes, when the response is truncated (TC, no records) so that the
   * client asks again over TCP.
   */
  static void fill(DnsResponse response, Request req, Answer answer, int limit) {
    boolean ours = answer.rcode() != Answer.Rcode.SERVFAIL;
    response
        .setOpCode(DnsOpCode.QUERY)
        .setCode(DnsResponseCode.valueOf(answer.rcode().code()))
        .setAuthoritativeAnswer(ours)
        .setRecursionDesired(req.recursionDesired())
        .setRecursionAvailable(true);
    response.addRecord(
        DnsSection.QUESTION, new DefaultDnsQuestion(req.name(), DnsRecordType.valueOf(req.type())));
    List<DnsRecord> answers = convert(answer.answers());
    List<DnsRecord> authority = convert(answer.authority());
    List<DnsRecord> additional = convert(answer.additional());
    int size = 12 + DnsWire.questionSize(req.name());
    for (List<DnsRecord> section : List.of(answers, authority, additional)) {
      for (DnsRecord r : section) {
        size += DnsWire.size(r);
      }
    }
    if (size > limit) {
      response.setTruncated(true);
      for (List<DnsRecord> section : List.of(answers, authority, additional)) {
        section.forEach(ReferenceCountUtil::release);
      }
      return;
    }
    answers.forEach(r -> response.addRecord(DnsSection.ANSWER, r));
    authority.forEach(r -> response.addRecord(DnsSection.AUTHORITY, r));
    additional.forEach(r -> response.addRecord(DnsSection.ADDITIONAL, r));
  }

  private static List<DnsRecord> convert(List<Rr> rrs) {
    List<DnsRecord> out = new ArrayList<>(rrs.size());
    rrs.forEach(rr -> out.add(DnsWire.record(rr)));
    return out;
  }

  static String rcodeName(int code) {
    return switch (code) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      default -> "RCODE" + code;
    };
  }
}
