package io.nauta.agent.exec;

import io.nauta.agent.runtime.ContainerStreams;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One exec or attach over a WebSocket ({@link StreamProtocol}): the process's output goes out on
 * channels 1 and 2 and its end as a {@code Status} on channel 3; stdin, resize and (v5) the close
 * signal come in. Both directions are demand-driven: output is read from the runtime only as the
 * socket takes it, and the next incoming message is read only once the one before reached the
 * process, so neither a fast process nor a fast client makes this agent hold more than a few
 * messages.
 */
final class StreamSession {

  private StreamSession() {}

  /**
   * @param command the exec's command, for the exit status' message; empty for an attach
   */
  static Mono<Void> run(
      WebSocketSession session, Mono<ContainerStreams> opening, List<String> command) {
    return opening
        .flatMap(
            streams -> {
              // Never cancel receive(): Reactor Netty answers that with a close frame without a
              // status (1005), which kubectl takes for an error. Input ends when the client closes.
              Sinks.Empty<Void> clientGone = Sinks.empty();
              Mono<Void> in = input(session, streams).doFinally(s -> clientGone.tryEmitEmpty());
              Mono<Void> out =
                  session
                      .send(output(session, streams, command).takeUntilOther(clientGone.asMono()))
                      .onErrorResume(e -> Mono.empty())
                      .then(Mono.defer(() -> session.close(CloseStatus.NORMAL)));
              return Mono.when(out, in).doFinally(s -> streams.close());
            })
        .onErrorResume(
            e ->
                session
                    .send(
                        Mono.just(
                            message(
                                session,
                                StreamProtocol.ERROR,
                                StreamProtocol.failure(describe(e)))))
                    .then(Mono.defer(() -> session.close(CloseStatus.NORMAL))));
  }

  private static Flux<WebSocketMessage> output(
      WebSocketSession session, ContainerStreams streams, List<String> command) {
    Flux<WebSocketMessage> out =
        streams.output().map(c -> message(session, c.channel(), c.bytes()));
    Mono<WebSocketMessage> end =
        streams
            .exitCode()
            .map(
                code ->
                    message(
                        session,
                        StreamProtocol.ERROR,
                        code == 0
                            ? StreamProtocol.success()
                            : StreamProtocol.exitCode(command, code)));
    return out.concatWith(end)
        .onErrorResume(
            e ->
                Mono.just(
                    message(session, StreamProtocol.ERROR, StreamProtocol.failure(describe(e)))));
  }

  /** Completes when the client closes the connection. */
  private static Mono<Void> input(WebSocketSession session, ContainerStreams streams) {
    return session
        .receive()
        // Copied at once: the message's buffer is released when this returns.
        .mapNotNull(m -> StreamProtocol.Frame.parse(bytes(m.getPayload())))
        // A write that fails (the process exited) drops the message; cancelling would close.
        .concatMap(f -> dispatch(f, streams).onErrorResume(e -> Mono.empty()), 1)
        .then();
  }

  private static Mono<Void> dispatch(StreamProtocol.Frame frame, ContainerStreams streams) {
    return switch (frame.channel()) {
      case StreamProtocol.STDIN ->
          frame.payload().length == 0 ? Mono.empty() : streams.write(frame.payload());
      case StreamProtocol.RESIZE -> {
        StreamProtocol.Size size = StreamProtocol.Size.parse(frame.payload());
        yield size == null ? Mono.empty() : streams.resize(size.width(), size.height());
      }
      case StreamProtocol.CLOSE -> frame.closesStdin() ? streams.closeStdin() : Mono.empty();
      default -> Mono.empty();
    };
  }

  private static byte[] bytes(DataBuffer buffer) {
    byte[] b = new byte[buffer.readableByteCount()];
    buffer.read(b);
    return b;
  }

  private static WebSocketMessage message(WebSocketSession session, int channel, byte[] bytes) {
    return session.binaryMessage(f -> f.wrap(StreamProtocol.frame(channel, bytes)));
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
