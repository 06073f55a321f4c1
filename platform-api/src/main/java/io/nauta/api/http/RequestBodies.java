package io.nauta.api.http;

import io.nauta.api.config.NautaProperties;
import io.nauta.api.protobuf.KubernetesProtobuf;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.core.errors.RequestEntityTooLargeException;
import io.nauta.core.errors.TimeoutException;
import io.nauta.core.errors.UnsupportedMediaTypeException;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** Reads request bodies whole, refusing more than the configured limit (Kubernetes: 3 MiB). */
@Component
public class RequestBodies {

  /** Kubernetes' words when a request outlives its deadline (its timeout filter's 504). */
  static final String DEADLINE_EXCEEDED =
      "request did not complete within requested timeout - context deadline exceeded";

  private final long limit;
  private final Duration deadline;
  private final ObjectCodec codec;
  private final KubernetesProtobuf protobuf;

  public RequestBodies(
      NautaProperties props,
      ObjectCodec codec,
      @Value("${nauta.request-body-timeout:60s}") Duration deadline) {
    this.limit = props.maxRequestBytes();
    this.deadline = deadline;
    this.codec = codec;
    this.protobuf = new KubernetesProtobuf(codec.mapper());
  }

  /**
   * Reads an object body: JSON, or Kubernetes protobuf as kubectl's typed commands send it.
   * Anything else is a 415.
   */
  public Mono<ObjectNode> readObject(ServerRequest request) {
    MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_JSON);
    boolean isProtobuf =
        KubernetesProtobuf.MEDIA_TYPE.equals(type.getType() + "/" + type.getSubtype());
    if (!isProtobuf) {
      requireJson(request, JSON_BODIES);
    }
    return read(request)
        .map(bytes -> isProtobuf ? protobuf.decode(bytes) : codec.parseObject(bytes));
  }

  /** Reads an optional object body (DELETE options): empty when there is none. */
  public Mono<ObjectNode> readOptionalObject(ServerRequest request) {
    return read(request)
        .flatMap(
            bytes -> {
              if (bytes.length == 0) {
                return Mono.empty();
              }
              MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_JSON);
              boolean isProtobuf =
                  KubernetesProtobuf.MEDIA_TYPE.equals(type.getType() + "/" + type.getSubtype());
              return Mono.just(isProtobuf ? protobuf.decode(bytes) : codec.parseObject(bytes));
            });
  }

  public Mono<byte[]> read(ServerRequest request) {
    long declared = request.headers().contentLength().orElse(-1);
    if (declared > limit) {
      return Mono.error(tooLarge());
    }
    return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), (int) limit)
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
        // A client that sends headers and then trickles or stops its body must not hold a
        // connection and a buffer forever: the whole body is due within the deadline.
        .timeout(deadline, Mono.error(() -> new TimeoutException(DEADLINE_EXCEEDED)));
  }

  private RequestEntityTooLargeException tooLarge() {
    return new RequestEntityTooLargeException("Request entity too large: limit is " + limit);
  }

  static final List<MediaType> JSON_BODIES =
      List.of(MediaType.APPLICATION_JSON, MediaType.valueOf("application/*+json"));

  private static void requireJson(ServerRequest request, List<MediaType> accepted) {
    MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_JSON);
    for (MediaType a : accepted) {
      if (a.isCompatibleWith(type)) {
        return;
      }
    }
    throw new UnsupportedMediaTypeException(
        "the body of the request was in an unknown format - accepted media types include: "
            + String.join(", ", accepted.stream().map(MediaType::toString).toList()));
  }
}
