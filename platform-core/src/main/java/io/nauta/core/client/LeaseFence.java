package io.nauta.core.client;

import java.util.Objects;

/**
 * The lease a leader-elected component writes under, sent with each of its writes in the {@value
 * #HEADER} header so that the API server refuses the write once someone else holds that lease.
 *
 * <p>Why the server checks too: the client's own fence ({@link WriteFence}) asks whether the lease
 * is fresh at the last moment the client controls, but a process can be frozen (kill -STOP, a long
 * GC or VM pause) between that question and the moment its bytes leave the socket; it then resumes
 * and sends a write decided under a lease that a standby has taken over meanwhile. The API server
 * reads the lease from storage just before it runs the write and compares the holder, so such a
 * write is refused with 409 instead of landing beside the new leader's. Writes to Leases themselves
 * are never fenced: they are the election, guarded by their resourceVersion.
 *
 * <p>The header is Nauta's own; other Kubernetes API servers ignore it, and clients that do not
 * send it are not fenced.
 *
 * @param namespace the Lease's namespace
 * @param name the Lease's name
 * @param holder the {@code spec.holderIdentity} this process writes into it
 */
public record LeaseFence(String namespace, String name, String holder) {

  /** The request header carrying {@link #headerValue()}. */
  public static final String HEADER = "Nauta-Lease-Fence";

  public LeaseFence {
    require(namespace, "namespace");
    require(name, "name");
    require(holder, "holder");
    if (namespace.contains("/") || name.contains("/") || namespace.isBlank() || name.isBlank()) {
      throw new IllegalArgumentException("lease " + namespace + "/" + name + " is not a name");
    }
  }

  private static void require(String value, String what) {
    if (Objects.requireNonNull(value, what).isEmpty() || value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("lease fence " + what + " must be non-empty text");
    }
  }

  /** {@code <namespace>/<name>/<holder>}: the holder last, since it may itself contain '/'. */
  public String headerValue() {
    return namespace + "/" + name + "/" + holder;
  }

  /**
   * The fence a header value names; {@link IllegalArgumentException} with a message fit for the
   * client when it is not {@code <namespace>/<name>/<holder>}.
   */
  public static LeaseFence parse(String value) {
    int first = value.indexOf('/');
    int second = first < 0 ? -1 : value.indexOf('/', first + 1);
    if (first <= 0 || second <= first + 1 || second == value.length() - 1) {
      throw new IllegalArgumentException(
          HEADER
              + " must be <lease namespace>/<lease name>/<holder identity>, not \""
              + value
              + "\"");
    }
    return new LeaseFence(
        value.substring(0, first), value.substring(first + 1, second), value.substring(second + 1));
  }
}
