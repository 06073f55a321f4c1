package io.nauta.core.client;

import java.net.URI;
import org.springframework.http.HttpMethod;

/**
 * A write this process's {@link WriteFence} kept from being sent: nothing reached the server. Work
 * queues treat it like any failed request (requeue with back-off); by then the component is usually
 * about to stop leading.
 *
 * <p>It carries no stack trace: a refusal is an expected signal, not a fault, and Reactor Netty
 * logs the error of every write refused on an acquired connection. With a stack trace each, a
 * controller manager that lost its lease under load wrote 50 MB of log in three minutes.
 */
public final class WriteFencedException extends RuntimeException {

  public WriteFencedException(HttpMethod method, URI target, String reason) {
    super(method + " " + target.getPath() + " not sent: " + reason, null, false, false);
  }
}
