package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import io.nauta.agent.runtime.LogBytes;
import io.nauta.core.logs.LogOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Reads a pod container's output from Docker ({@code docker logs}: stdout and stderr as written,
 * with Docker's RFC3339Nano timestamps, which are the kubelet's format). The instance is found by
 * labels: the newest run, or for {@code previous} the terminated run {@code lastState} reports —
 * the newest run itself while it waits out its back-off, else the run before it, which {@link
 * PodSync} keeps.
 */
final class ContainerLogs {

  private final DockerClient docker;
  private final DockerContainers containers;
  private final Clock clock;

  ContainerLogs(DockerClient docker, DockerContainers containers, Clock clock) {
    this.docker = docker;
    this.containers = containers;
    this.clock = clock;
  }

  Flux<byte[]> read(String podUid, String container, LogOptions options) {
    return containers
        .threads()
        .call(() -> Optional.ofNullable(instance(podUid, container, options.previous())))
        .flatMapMany(id -> id.map(i -> stream(i, options)).orElse(Flux.empty()));
  }

  /** The Docker id of the instance whose logs are wanted, or null if there is none. */
  private String instance(String podUid, String container, boolean previous) {
    PodContainers pod = containers.ofPod(podUid);
    PodContainer latest = pod == null ? null : pod.latest(container);
    if (latest == null) {
      return null;
    }
    if (!previous) {
      return latest.id();
    }
    // RuntimePodReader reports a run that exited and is to be restarted as lastState.
    if (latest.exited() && RestartPolicy.restarts(pod.restartPolicy(), latest)) {
      return latest.id();
    }
    PodContainer before = pod.previous(latest);
    return before == null ? null : before.id();
  }

  private Flux<byte[]> stream(String id, LogOptions options) {
    Instant since = options.since(clock.instant());
    if (since != null && since.getEpochSecond() > Integer.MAX_VALUE) {
      // Docker's API (as docker-java passes it) counts seconds in an int: nothing is that new.
      return Flux.empty();
    }
    Flux<byte[]> frames =
        Flux.create(
            sink -> {
              LogContainerCmd cmd =
                  docker
                      .logContainerCmd(id)
                      .withStdOut(true)
                      .withStdErr(true)
                      .withFollowStream(options.follow())
                      .withTimestamps(options.timestamps());
              if (options.tailLines() != null) {
                cmd.withTail((int) Math.min(options.tailLines(), Integer.MAX_VALUE));
              }
              if (since != null) {
                cmd.withSince((int) since.getEpochSecond());
              }
              FrameSink callback = cmd.exec(new FrameSink(sink));
              // A client that goes away (or limitBytes reached) closes Docker's stream.
              sink.onDispose(callback::closeQuietly);
            },
            FluxSink.OverflowStrategy.BUFFER);
    return LogBytes.limit(frames, options.limitBytes());
  }

  /** Passes Docker's frames (stdout and stderr alike) on as they arrive. */
  private static final class FrameSink extends ResultCallback.Adapter<Frame> {

    private final FluxSink<byte[]> sink;

    FrameSink(FluxSink<byte[]> sink) {
      this.sink = sink;
    }

    @Override
    public void onNext(Frame frame) {
      // A copy: docker-java reads every frame into one shared 1 KiB buffer and hands that buffer
      // out when a read fills it, so a payload kept (buffered here) is overwritten by later reads.
      sink.next(frame.getPayload().clone());
    }

    @Override
    public void onError(Throwable error) {
      sink.error(error);
      closeQuietly();
    }

    @Override
    public void onComplete() {
      sink.complete();
      super.onComplete();
    }

    void closeQuietly() {
      try {
        close();
      } catch (IOException e) {
        // Closing a stream that broke: nothing left to release.
      }
    }
  }
}
