package io.nauta.dns.records;

/** The record types the cluster zone knows, with their numbers (RFC 1035, 2782, 3596). */
public enum RecordType {
  A(1),
  CNAME(5),
  SOA(6),
  PTR(12),
  AAAA(28),
  SRV(33),
  ANY(255),
  /** Any other type asked for: answered with no data when the name exists. */
  OTHER(-1);

  private final int code;

  RecordType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static RecordType of(int code) {
    for (RecordType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return OTHER;
  }
}
