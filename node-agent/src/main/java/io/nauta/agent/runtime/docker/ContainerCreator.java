package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.agent.probes.ContainerProbes;
import io.nauta.agent.runtime.ContainerState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates and starts one run of a pod's container from its spec, in the sandbox's network
 * namespace: the image (never pulled), {@code command} as entrypoint, {@code args} as cmd, plain
 * {@code env} values, {@code workingDir}, and cpu/memory limits. A container whose image is missing
 * is recorded in {@link UnstartedContainers} instead.
 */
final class ContainerCreator {

  private final DockerClient docker;
  private final DockerContainers containers;
  private final UnstartedContainers unstarted;
  private final String node;

  ContainerCreator(
      DockerClient docker,
      DockerContainers containers,
      UnstartedContainers unstarted,
      String node) {
    this.docker = docker;
    this.containers = containers;
    this.unstarted = unstarted;
    this.node = node;
  }

  void create(
      Pod pod,
      io.fabric8.kubernetes.api.model.Container spec,
      boolean init,
      int index,
      int restartCount,
      String sandboxId) {
    String uid = pod.getMetadata().getUid();
    String image = spec.getImage();
    ContainerState.Waiting missing = imageMissing(spec);
    if (missing != null) {
      unstarted.put(
          uid, spec.getName(), new UnstartedContainers.Unstarted(init, index, image, missing));
      return;
    }
    unstarted.created(uid, spec.getName());
    Map<String, String> labels = DockerLabels.of(pod, node, spec.getName(), restartCount);
    labels.put(DockerLabels.CONTAINER_KIND, init ? "init" : "app");
    labels.put(DockerLabels.CONTAINER_INDEX, Integer.toString(index));
    if (!init && ContainerProbes.any(spec)) {
      labels.put(DockerLabels.PROBES, ProbeLabels.json(spec));
      labels.put(
          DockerLabels.PROBE_GRACE_PERIOD, Long.toString(ProbeLabels.gracePeriod(pod, spec)));
    }
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(image)
            .withName(DockerLabels.containerName(pod, spec.getName(), restartCount))
            .withLabels(labels)
            .withHostConfig(hostConfig(spec, sandboxId))
            .withEnv(env(spec));
    if (spec.getCommand() != null && !spec.getCommand().isEmpty()) {
      // Kubernetes' command replaces the image's entrypoint (and so its CMD too, as in Docker).
      cmd.withEntrypoint(spec.getCommand());
    }
    if (spec.getArgs() != null && !spec.getArgs().isEmpty()) {
      cmd.withCmd(spec.getArgs());
    }
    if (spec.getWorkingDir() != null && !spec.getWorkingDir().isBlank()) {
      cmd.withWorkingDir(spec.getWorkingDir());
    }
    String id;
    try {
      id = cmd.exec().getId();
    } catch (ConflictException e) {
      // Created by an earlier sync that failed before starting it: start that one.
      id =
          containers.list(Map.of(DockerLabels.POD_UID, uid)).stream()
              .filter(
                  c ->
                      spec.getName().equals(c.getLabels().get(DockerLabels.CONTAINER_NAME))
                          && Integer.toString(restartCount)
                              .equals(c.getLabels().get(DockerLabels.RESTART_COUNT)))
              .map(Container::getId)
              .findFirst()
              .orElseThrow(() -> e);
    }
    containers.start(id);
  }

  /** Joins the sandbox's network namespace; cpu/memory limits as NanoCpus/Memory. */
  private static HostConfig hostConfig(
      io.fabric8.kubernetes.api.model.Container spec, String sandboxId) {
    HostConfig host = HostConfig.newHostConfig().withNetworkMode("container:" + sandboxId);
    if (spec.getResources() != null && spec.getResources().getLimits() != null) {
      Quantity cpu = spec.getResources().getLimits().get("cpu");
      if (cpu != null) {
        host.withNanoCPUs(
            Quantity.getAmountInBytes(cpu)
                .multiply(BigDecimal.valueOf(1_000_000_000L))
                .longValue());
      }
      Quantity memory = spec.getResources().getLimits().get("memory");
      if (memory != null) {
        host.withMemory(Quantity.getAmountInBytes(memory).longValue());
      }
    }
    return host;
  }

  /** Why the container cannot be created for want of its image, or null if the image is here. */
  private ContainerState.Waiting imageMissing(io.fabric8.kubernetes.api.model.Container spec) {
    try {
      docker.inspectImageCmd(spec.getImage()).exec();
      return null;
    } catch (NotFoundException e) {
      if ("Never".equals(spec.getImagePullPolicy())) {
        return new ContainerState.Waiting(
            "ErrImageNeverPull",
            "Container image \"" + spec.getImage() + "\" is not present with pull policy of Never");
      }
      return new ContainerState.Waiting(
          "ErrImagePull",
          "image \""
              + spec.getImage()
              + "\" is not present on this node, and Nauta pulls no images (no registry is"
              + " reachable): build or load it locally (deploy/images/build.sh)");
    }
  }

  private static List<String> env(io.fabric8.kubernetes.api.model.Container spec) {
    List<String> env = new ArrayList<>();
    if (spec.getEnv() == null) {
      return env;
    }
    for (EnvVar e : spec.getEnv()) {
      // valueFrom is not resolved yet: such a variable is left out rather than set wrong.
      if (e.getValueFrom() == null) {
        env.add(e.getName() + "=" + (e.getValue() == null ? "" : e.getValue()));
      }
    }
    return env;
  }
}
