package io.nauta.core.client;

import java.net.URI;
import org.springframework.http.HttpMethod;

/**
 * A write this process's {@link WriteFence} kept from being sent: nothing reached the server. Work
 * queues treat it like any failed request (requeue with back-off); by then the component is usually
 * about to stop leading.
 */
public final class WriteFencedException extends RuntimeException {

  public WriteFencedException(HttpMethod method, URI target, String reason) {
    super(method + " " + target.getPath() + " not sent: " + reason);
  }
}
