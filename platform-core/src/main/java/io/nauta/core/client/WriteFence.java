package io.nauta.core.client;

import java.net.URI;
import org.springframework.http.HttpMethod;

/**
 * Decides, at the moment a mutating request is about to be written to its connection, whether this
 * process may still write. A leader-elected component fences its client with it so that a process
 * that lost its lease without noticing yet (frozen past the lease, a long pause) cannot write
 * beside the new leader: the check runs after the request waited for a pooled connection, so a
 * backlog queued before a freeze is refused after it too.
 */
@FunctionalInterface
public interface WriteFence {

  /** Every write goes out. */
  WriteFence OPEN = (method, target) -> null;

  /**
   * Why {@code method} on {@code target} may not be written now, or {@code null} when it may.
   * Called for POST, PUT, PATCH and DELETE only, on a Reactor thread: must not block.
   */
  String refusal(HttpMethod method, URI target);
}
