package io.nauta.agent.runtime;

import java.time.Instant;

/** A container's state, as {@code status.containerStatuses[].state} reports it. */
public sealed interface ContainerState {

  /**
   * Not running yet or waiting to restart, e.g. {@code ContainerCreating}, {@code
   * CrashLoopBackOff}.
   */
  record Waiting(String reason, String message) implements ContainerState {}

  record Running(Instant startedAt) implements ContainerState {}

  /**
   * Exited: reason {@code Completed} (code 0), {@code Error}, {@code OOMKilled}, …
   *
   * @param containerId the run's container, {@code <runtime>://<id>} (the kubelet reports it in
   *     {@code state.terminated} and {@code lastState.terminated}, so a client can tell which run
   *     ended), or null when the runtime does not know it
   */
  record Terminated(
      int exitCode,
      String reason,
      String message,
      Instant startedAt,
      Instant finishedAt,
      String containerId)
      implements ContainerState {

    public Terminated(
        int exitCode, String reason, String message, Instant startedAt, Instant finishedAt) {
      this(exitCode, reason, message, startedAt, finishedAt, null);
    }

    public static Terminated completed(Instant startedAt, Instant finishedAt) {
      return new Terminated(0, "Completed", null, startedAt, finishedAt);
    }
  }
}
