package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One Docker container of a pod (the sandbox or one run of one of its containers), inspected.
 *
 * @param name the container's name in the pod spec, {@link DockerLabels#SANDBOX} for the sandbox
 * @param init whether it is an init container
 * @param index its index in its spec list
 * @param restartCount which run of the container it is
 */
record PodContainer(
    String id,
    String name,
    boolean init,
    int index,
    int restartCount,
    InspectContainerResponse inspect) {

  /** A container of a pod from its labels (as Docker keeps them) and its inspect. */
  static PodContainer of(String id, Map<String, String> labels, InspectContainerResponse inspect) {
    return new PodContainer(
        id,
        labels.get(DockerLabels.CONTAINER_NAME),
        "init".equals(labels.get(DockerLabels.CONTAINER_KIND)),
        intLabel(labels, DockerLabels.CONTAINER_INDEX),
        intLabel(labels, DockerLabels.RESTART_COUNT),
        inspect);
  }

  String status() {
    String s = inspect.getState().getStatus();
    return s == null ? "" : s;
  }

  boolean running() {
    return "running".equals(status()) || "restarting".equals(status());
  }

  boolean exited() {
    return "exited".equals(status()) || "dead".equals(status());
  }

  int exitCode() {
    Long code = inspect.getState().getExitCodeLong();
    return code == null ? 0 : code.intValue();
  }

  Instant startedAt() {
    return time(inspect.getState().getStartedAt());
  }

  Instant finishedAt() {
    return time(inspect.getState().getFinishedAt());
  }

  String label(String key) {
    return inspect.getConfig().getLabels().get(key);
  }

  /** Docker's timestamps to the second; null for none (Docker's zero time included). */
  static Instant time(String t) {
    if (t == null || t.isBlank() || t.startsWith("0001-01-01")) {
      return null;
    }
    return Instant.parse(t).truncatedTo(ChronoUnit.SECONDS);
  }

  static int intLabel(Map<String, String> labels, String key) {
    try {
      return Integer.parseInt(labels.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
