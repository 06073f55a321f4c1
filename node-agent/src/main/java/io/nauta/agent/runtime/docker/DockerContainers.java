package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Docker calls on containers, made idempotent: starting one that runs, stopping one that
 * stopped and removing one that is gone all succeed, so a sync that is repeated converges.
 */
final class DockerContainers {

  private final DockerClient docker;

  DockerContainers(DockerClient docker) {
    this.docker = docker;
  }

  /** Every container (running or not) carrying all of {@code labels}. */
  List<Container> list(Map<String, String> labels) {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
  }

  /** Every container of the pod, inspected; null if Docker has none. */
  PodContainers ofPod(String uid) {
    List<Container> all = list(Map.of(DockerLabels.POD_UID, uid));
    if (all.isEmpty()) {
      return null;
    }
    PodContainer sandbox = null;
    String policy = "Always";
    List<PodContainer> containers = new ArrayList<>();
    for (Container c : all) {
      InspectContainerResponse inspect;
      try {
        inspect = docker.inspectContainerCmd(c.getId()).exec();
      } catch (NotFoundException e) {
        continue;
      }
      Map<String, String> labels = c.getLabels();
      String name = labels.get(DockerLabels.CONTAINER_NAME);
      PodContainer ctr =
          new PodContainer(
              c.getId(),
              name,
              "init".equals(labels.get(DockerLabels.CONTAINER_KIND)),
              PodContainer.intLabel(labels, DockerLabels.CONTAINER_INDEX),
              PodContainer.intLabel(labels, DockerLabels.RESTART_COUNT),
              inspect);
      if (DockerLabels.SANDBOX.equals(name)) {
        sandbox = ctr;
        policy = labels.getOrDefault(DockerLabels.RESTART_POLICY, "Always");
      } else {
        containers.add(ctr);
      }
    }
    return new PodContainers(sandbox, policy, containers);
  }

  void start(String id) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // Running already.
    }
  }

  /** {@code docker stop -t <grace>}: SIGTERM, then SIGKILL. */
  void stop(String id, Duration grace) {
    try {
      docker.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
    } catch (NotFoundException | NotModifiedException e) {
      // Gone or stopped already.
    }
  }

  /** {@code docker kill -s <signal>}; a container that is gone or not running is left be. */
  void signal(String id, String signal) {
    try {
      docker.killContainerCmd(id).withSignal(signal).exec();
    } catch (NotFoundException | ConflictException e) {
      // Gone, or not running (the engine answers 409).
    }
  }

  void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // Gone already.
    } catch (ConflictException e) {
      // Removal already in progress.
    }
  }

  static boolean isSandbox(Container c) {
    return DockerLabels.SANDBOX.equals(c.getLabels().get(DockerLabels.CONTAINER_NAME));
  }
}
