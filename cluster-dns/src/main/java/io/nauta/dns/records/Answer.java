package io.nauta.dns.records;

import java.util.List;

/**
 * What the cluster zone says about a question: a response code with answer, authority and
 * additional records, or {@link #notOurs()} for a name the server forwards upstream (every name
 * outside the cluster domain, and reverse names of addresses the cluster does not know).
 */
public record Answer(Rcode rcode, List<Rr> answers, List<Rr> authority, List<Rr> additional) {

  public enum Rcode {
    NOERROR(0),
    SERVFAIL(2),
    NXDOMAIN(3),
    REFUSED(5),
    /** Not answered here: forward upstream. */
    FORWARD(-1);

    private final int code;

    Rcode(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public static Answer notOurs() {
    return new Answer(Rcode.FORWARD, List.of(), List.of(), List.of());
  }

  public boolean forward() {
    return rcode == Rcode.FORWARD;
  }
}
