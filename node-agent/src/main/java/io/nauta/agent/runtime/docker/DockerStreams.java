package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import io.nauta.agent.runtime.ContainerStreams;
import io.nauta.agent.runtime.StreamRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An exec's or attach's streams on Docker: the exec is created through docker-java, then started
 * (or the container attached) on a {@link HijackedStream}. Output is read one chunk per request of
 * the subscriber, so a slow caller leaves the bytes in the engine (and the process blocked writing)
 * rather than in this process's memory.
 */
final class DockerStreams implements ContainerStreams {

  /** The largest chunk handed on: well under a WebSocket frame's usual limit of 64 KiB. */
  static final int MAX_CHUNK = 32 * 1024;

  /**
   * Blocking reads and writes of open streams: one reading thread per stream while it waits for
   * output, a writing one only while a write is in flight. Daemon threads, idle ones let go.
   */
  private static final Scheduler IO =
      Schedulers.newBoundedElastic(1024, 1024, "container-streams", 60, true);

  private final DockerClient docker;
  private final HijackedStream stream;
  private final String execId;
  private final boolean tty;
  private final Frames frames;
  private volatile boolean closed;

  private DockerStreams(DockerClient docker, HijackedStream stream, String execId, boolean tty) {
    this.docker = docker;
    this.stream = stream;
    this.execId = execId;
    this.tty = tty;
    this.frames = new Frames(stream, tty);
  }

  static Mono<ContainerStreams> exec(
      DockerClient docker, URI host, String containerId, StreamRequest request) {
    return blocking(
        () -> {
          String id =
              docker
                  .execCreateCmd(containerId)
                  .withCmd(request.command().toArray(String[]::new))
                  .withAttachStdin(request.stdin())
                  .withAttachStdout(request.stdout())
                  .withAttachStderr(request.stderr())
                  .withTty(request.tty())
                  .exec()
                  .getId();
          HijackedStream stream =
              HijackedStream.open(
                  host,
                  "/exec/" + id + "/start",
                  "{\"Detach\":false,\"Tty\":" + request.tty() + "}");
          return new DockerStreams(docker, stream, id, request.tty());
        });
  }

  /** Attaches to the container's own streams; {@code tty} is the container's, not the caller's. */
  static Mono<ContainerStreams> attach(
      DockerClient docker, URI host, String containerId, boolean tty, StreamRequest request) {
    return blocking(
        () -> {
          HijackedStream stream =
              HijackedStream.open(
                  host,
                  "/containers/"
                      + containerId
                      + "/attach?stream=1&stdin="
                      + bit(request.stdin())
                      + "&stdout="
                      + bit(request.stdout())
                      + "&stderr="
                      + bit(request.stderr()),
                  null);
          return new DockerStreams(docker, stream, null, tty);
        });
  }

  private static String bit(boolean b) {
    return b ? "1" : "0";
  }

  private static <T> Mono<T> blocking(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(IO);
  }

  @Override
  public Flux<Chunk> output() {
    // generate: one blocking read per requested chunk, on the stream's thread.
    return Flux.<Chunk>generate(this::next).subscribeOn(IO);
  }

  private void next(SynchronousSink<Chunk> sink) {
    try {
      Chunk chunk = frames.next();
      if (chunk == null) {
        sink.complete();
      } else {
        sink.next(chunk);
      }
    } catch (IOException e) {
      if (closed) {
        // The caller went away and closed the stream under a blocked read.
        sink.complete();
      } else {
        sink.error(e);
      }
    }
  }

  @Override
  public Mono<Void> write(byte[] bytes) {
    return blocking(
            () -> {
              stream.write(bytes);
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> closeStdin() {
    return blocking(
            () -> {
              stream.shutdownOutput();
              return true;
            })
        .then();
  }

  @Override
  public Mono<Void> resize(int width, int height) {
    if (!tty || width <= 0 || height <= 0) {
      return Mono.empty();
    }
    return blocking(
            () -> {
              if (execId != null) {
                docker.resizeExecCmd(execId).withSize(height, width).exec();
              }
              return true;
            })
        .then()
        // A resize racing the exit finds no process: not worth failing the session for.
        .onErrorResume(e -> Mono.empty());
  }

  @Override
  public Mono<Integer> exitCode() {
    if (execId == null) {
      return Mono.just(0);
    }
    // The engine ends the stream when the process exits; its inspect may lag a moment behind.
    return blocking(() -> docker.inspectExecCmd(execId).exec())
        .flatMap(
            r ->
                Boolean.TRUE.equals(r.isRunning())
                    ? Mono.error(new IllegalStateException("exec " + execId + " still runs"))
                    : Mono.just(exitCode(r)))
        .retryWhen(
            reactor.util.retry.Retry.fixedDelay(40, Duration.ofMillis(50))
                .filter(IllegalStateException.class::isInstance));
  }

  private static int exitCode(InspectExecResponse r) {
    Long code = r.getExitCodeLong();
    return code == null ? 0 : code.intValue();
  }

  @Override
  public void close() {
    closed = true;
    stream.close();
  }

  /**
   * Docker's raw stream as chunks: with a TTY the bytes as they come (all stdout); without, the
   * engine's multiplexed frames (an 8-byte header: the stream, three zero bytes, the big-endian
   * length) split at {@link #MAX_CHUNK}.
   */
  static final class Frames {

    private final HijackedStream stream;
    private final boolean tty;
    private final byte[] header = new byte[8];
    private int channel;
    private long left;

    Frames(HijackedStream stream, boolean tty) {
      this.stream = stream;
      this.tty = tty;
    }

    /** The next chunk, or null at the end of the stream. */
    Chunk next() throws IOException {
      if (tty) {
        byte[] buf = new byte[MAX_CHUNK];
        int n = stream.read(buf, 0, buf.length);
        return n < 0 ? null : new Chunk(STDOUT, java.util.Arrays.copyOf(buf, n));
      }
      while (left == 0) {
        if (!stream.readFully(header)) {
          return null;
        }
        channel = header[0] == 2 ? STDERR : STDOUT;
        left =
            ((header[4] & 0xffL) << 24)
                | ((header[5] & 0xffL) << 16)
                | ((header[6] & 0xffL) << 8)
                | (header[7] & 0xffL);
      }
      byte[] payload = new byte[(int) Math.min(left, MAX_CHUNK)];
      if (!stream.readFully(payload)) {
        throw new IOException("the Docker engine's stream ended inside a frame");
      }
      left -= payload.length;
      return new Chunk(channel, payload);
    }
  }
}
