package io.nauta.api.http;

import io.fabric8.kubernetes.api.model.Status;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.MethodNotAllowedException;
import io.nauta.core.errors.NotAcceptableException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.RequestEntityTooLargeException;
import io.nauta.core.errors.TimeoutException;
import io.nauta.core.errors.UnsupportedMediaTypeException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every error into a Kubernetes {@code Status} body with the matching HTTP code. Errors we
 * did not expect become a 500 InternalError with a short message: never a stack trace on the wire
 * (it goes to the log).
 */
@Component
@Order(-2)
public class StatusResponses implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(StatusResponses.class);

  private final JsonMapper mapper;
  private final Duration deadline;

  public StatusResponses(
      JsonMapper mapper, @Value("${nauta.request-body-timeout:60s}") Duration deadline) {
    this.mapper = mapper;
    this.deadline = deadline;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.error(ex);
    }
    ApiException api = toApiException(ex, exchange);
    // A request refused before its body was read (a bad query parameter, an unknown resource)
    // still has that body on the connection: read it away, so the kept-alive connection is clean
    // for the client's next request. A body already read cannot be subscribed again: that error
    // just means there is nothing left.
    // A body that does not arrive within the request's deadline is left unread: the answer goes
    // out anyway and the connection is closed, since what follows on it cannot be parsed.
    Mono<Boolean> drained =
        exchange
            .getRequest()
            .getBody()
            .doOnNext(DataBufferUtils::release)
            .then(Mono.just(true))
            .timeout(deadline, Mono.just(false))
            .onErrorReturn(true);
    return drained.flatMap(
        clean -> {
          if (!clean || api instanceof TimeoutException) {
            response.getHeaders().set(HttpHeaders.CONNECTION, "close");
          }
          return write(response, api);
        });
  }

  Mono<Void> write(ServerHttpResponse response, ApiException api) {
    Status status = api.toStatus();
    byte[] body = mapper.writeValueAsBytes(status);
    response.setStatusCode(HttpStatusCode.valueOf(api.code()));
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    if (status.getDetails() != null
        && status.getDetails().getRetryAfterSeconds() != null
        && status.getDetails().getRetryAfterSeconds() > 0) {
      // As Kubernetes' response writers: client-go retries on the header, not on the body.
      response
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, status.getDetails().getRetryAfterSeconds().toString());
    }
    response.getHeaders().setContentLength(body.length);
    response.getHeaders().remove(HttpHeaders.TRANSFER_ENCODING);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }

  static ApiException toApiException(Throwable ex, ServerWebExchange exchange) {
    if (ex instanceof ApiException api) {
      return api;
    }
    if (ex instanceof InvalidMediaTypeException) {
      // A Content-Type that does not parse names no format we read: Kubernetes answers 415.
      return new UnsupportedMediaTypeException(
          "the body of the request was in an unknown format - accepted media types include: "
              + "application/json, application/vnd.kubernetes.protobuf");
    }
    if (ex instanceof ResponseStatusException rse) {
      HttpStatusCode code = rse.getStatusCode();
      if (code.value() == HttpStatus.NOT_FOUND.value()) {
        return new NotFoundException("the server could not find the requested resource");
      }
      if (code.value() == HttpStatus.METHOD_NOT_ALLOWED.value()) {
        return new MethodNotAllowedException(
            "the server does not allow this method on the requested resource");
      }
      if (code.value() == HttpStatus.UNSUPPORTED_MEDIA_TYPE.value()) {
        return new UnsupportedMediaTypeException(
            "the server does not support the media type of the request");
      }
      if (code.value() == HttpStatus.NOT_ACCEPTABLE.value()) {
        return new NotAcceptableException(
            "the server could not produce a response in any of the accepted media types");
      }
      if (code.value() == HttpStatus.PAYLOAD_TOO_LARGE.value()) {
        return new RequestEntityTooLargeException("the request entity is too large");
      }
      if (code.is4xxClientError()) {
        return new BadRequestException(
            rse.getReason() == null ? "the request is not valid" : rse.getReason());
      }
    }
    log.error(
        "Internal error serving {} {}",
        exchange.getRequest().getMethod(),
        exchange.getRequest().getPath(),
        ex);
    return new InternalErrorException("Internal error occurred: " + ex.getClass().getSimpleName());
  }
}
