package io.nauta.agent.runtime.docker;

import io.fabric8.kubernetes.api.model.Pod;

/** What a pod's {@code restartPolicy} makes of a container that exited. */
final class RestartPolicy {

  private RestartPolicy() {}

  /** The pod's restartPolicy; {@code Always} when unset, as the API server defaults it. */
  static String of(Pod pod) {
    String p = pod.getSpec().getRestartPolicy();
    return p == null || p.isBlank() ? "Always" : p;
  }

  /** Whether an app container that exited with {@code exitCode} is started again. */
  static boolean restarts(String policy, int exitCode) {
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  /** Whether an init container that exited with {@code exitCode} is started again. */
  static boolean restartsInit(String policy, int exitCode) {
    return exitCode != 0 && !"Never".equals(policy);
  }

  /** Whether the exited container {@code c} is started again. */
  static boolean restarts(String policy, PodContainer c) {
    return c.init() ? restartsInit(policy, c.exitCode()) : restarts(policy, c.exitCode());
  }
}
