package io.nauta.agent.runtime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A process's streams in a container (an exec's, or the container's own for an attach), wired to
 * one caller. Demand-driven both ways: {@link #output()} reads from the runtime only as fast as its
 * subscriber requests, and {@link #write} completes only once the bytes are handed to the runtime,
 * so a caller that writes one chunk after another never queues more than one.
 */
public interface ContainerStreams extends AutoCloseable {

  /** Channel numbers of {@link Chunk}: as Kubernetes' stream protocol numbers them. */
  int STDOUT = 1;

  int STDERR = 2;

  /** A piece of output: {@link #STDOUT} (all of it with a TTY) or {@link #STDERR}. */
  record Chunk(int channel, byte[] bytes) {}

  /** The output until the process closes it (it exits), then completes. */
  Flux<Chunk> output();

  /** Writes to the process's standard input; completes once written. */
  Mono<Void> write(byte[] bytes);

  /** Closes the process's standard input (it reads end of file). */
  Mono<Void> closeStdin();

  /** Resizes the process's TTY; does nothing without one. */
  Mono<Void> resize(int width, int height);

  /**
   * The exit code once {@link #output()} completed: the exec's; 0 for an attach, which reports no
   * exit code (as the kubelet's).
   */
  Mono<Integer> exitCode();

  /** Ends the streams (the caller went away): the runtime's connection is closed. */
  @Override
  void close();
}
