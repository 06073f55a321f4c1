package io.nauta.api.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A copy of the bytes of a request or response body as they pass, for the audit log: nothing is
 * consumed or delayed, the handler reads and writes as without it. A body larger than {@link
 * #LIMIT} is not kept at all (the event then has no object rather than a cut one); Kubernetes'
 * request limit is 3 MiB, so only large responses (big lists) reach it.
 */
final class BodyCapture {

  static final int LIMIT = 8 * 1024 * 1024;

  private final boolean protobuf;
  private ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  BodyCapture(boolean protobuf) {
    this.protobuf = protobuf;
  }

  /** What passed, or null when nothing did or it was too large. */
  synchronized AuditEvent.Body body() {
    return bytes == null || bytes.size() == 0
        ? null
        : new AuditEvent.Body(bytes.toByteArray(), protobuf);
  }

  private synchronized void copy(DataBuffer buffer) {
    if (bytes == null) {
      return;
    }
    if (bytes.size() + buffer.readableByteCount() > LIMIT) {
      bytes = null;
      return;
    }
    try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
      while (it.hasNext()) {
        ByteBuffer b = it.next();
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }
  }

  ServerHttpRequest decorate(ServerHttpRequest request) {
    return new ServerHttpRequestDecorator(request) {
      @Override
      public Flux<DataBuffer> getBody() {
        return super.getBody().doOnNext(BodyCapture.this::copy);
      }
    };
  }

  ServerHttpResponse decorate(ServerHttpResponse response) {
    return new ServerHttpResponseDecorator(response) {
      @Override
      public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        return super.writeWith(Flux.from(body).doOnNext(BodyCapture.this::copy));
      }

      @Override
      public Mono<Void> writeAndFlushWith(
          Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return super.writeAndFlushWith(
            Flux.from(body).map(part -> Flux.from(part).doOnNext(BodyCapture.this::copy)));
      }
    };
  }
}
