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

  /** Exited: reason {@code Completed} (code 0), {@code Error}, {@code OOMKilled}, … */
  record Terminated(
      int exitCode, String reason, String message, Instant startedAt, Instant finishedAt)
      implements ContainerState {

    public static Terminated completed(Instant startedAt, Instant finishedAt) {
      return new Terminated(0, "Completed", null, startedAt, finishedAt);
    }
  }
}
