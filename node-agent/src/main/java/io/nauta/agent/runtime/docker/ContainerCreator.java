package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.agent.probes.ContainerProbes;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.SecuritySettings;
import io.nauta.agent.runtime.env.ContainerEnv;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Creates and starts one run of a pod's container from its spec, in the sandbox's network
 * namespace, in the kubelet's order (kuberuntime startContainer): the image per its pull policy
 * ({@link ImagePuller}), then the container's config (env and {@code $(VAR)}-expanded command and
 * args from {@link ContainerEnv}, the pod's volumes as binds per {@code volumeMounts}, {@code
 * workingDir}, cpu/memory limits, the security context as {@link SecurityContexts} translates it,
 * the pod's namespaces), then create and start, with the kubelet's {@code Created} and {@code
 * Started} events. A container under {@code runAsNonRoot} whose image would run as root is never
 * created ({@code CreateContainerConfigError}, the kubelet's message). A container that cannot be
 * created (its image, a ConfigMap, Secret or key missing) is recorded in {@link
 * UnstartedContainers} with the kubelet's waiting reason ({@code ErrImagePull}, {@code
 * ImagePullBackOff}, {@code ErrImageNeverPull}, {@code CreateContainerConfigError}), and its pod is
 * synced again later.
 */
final class ContainerCreator {

  private final DockerClient docker;
  private final DockerContainers containers;
  private final UnstartedContainers unstarted;
  private final String node;
  private final ImagePuller images;
  private final PodVolumes volumes;
  private final PodEvents events;
  private final SyncRetries retries;
  private final PodSetup setup;

  ContainerCreator(
      DockerClient docker,
      DockerContainers containers,
      UnstartedContainers unstarted,
      String node,
      ImagePuller images,
      PodVolumes volumes,
      PodEvents events,
      SyncRetries retries,
      PodSetup setup) {
    this.docker = docker;
    this.containers = containers;
    this.unstarted = unstarted;
    this.node = node;
    this.images = images;
    this.volumes = volumes;
    this.events = events;
    this.retries = retries;
    this.setup = setup;
  }

  void create(
      Pod pod,
      io.fabric8.kubernetes.api.model.Container spec,
      boolean init,
      int index,
      int restartCount,
      PodContext context) {
    String uid = pod.getMetadata().getUid();
    String image = spec.getImage();
    PodEvents.PodRef ref = PodEvents.PodRef.of(pod);
    ContainerState.Waiting missing = images.ensure(pod, spec, setup.retryInterval());
    if (missing != null) {
      unstarted.put(
          uid, spec.getName(), new UnstartedContainers.Unstarted(init, index, image, missing));
      return;
    }
    ContainerEnv.Result env =
        ContainerEnv.of(pod, spec, context.objects(), context.podIp(), setup.hostIp());
    PodVolumes.Binds binds = env.error() == null ? volumes.binds(spec, context.volumes()) : null;
    String configError = env.error() != null ? env.error() : binds.error();
    SecuritySettings security = SecuritySettings.of(pod, spec);
    String imageUser = null;
    if (configError == null && SecurityContexts.needsImageUser(security)) {
      imageUser = imageUser(image);
    }
    if (configError == null) {
      configError = SecurityContexts.verifyRunAsNonRoot(pod, spec, security, imageUser);
    }
    if (configError != null) {
      refuse(pod, spec, init, index, "CreateContainerConfigError", configError);
      return;
    }
    HostConfig host = hostConfig(spec, context.sandboxId(), security).withBinds(binds.binds());
    SecurityContexts.namespaces(pod, context.sandboxId(), context.sandboxSharesIpc(), host);
    String securityError =
        SecurityContexts.apply(security, host, setup.rootDir().resolve("seccomp"));
    if (securityError != null) {
      // What the runtime would refuse (an unknown capability, a missing seccomp profile).
      refuse(pod, spec, init, index, "CreateContainerError", securityError);
      return;
    }
    env.warnings().forEach(w -> events.warning(ref, "InvalidEnvironmentVariableNames", w));
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
            .withHostConfig(host)
            .withEnv(env.dockerEnv());
    String user = SecurityContexts.user(security, imageUser);
    if (user != null) {
      cmd.withUser(user);
    }
    if (!env.command().isEmpty()) {
      // Kubernetes' command replaces the image's entrypoint (and so its CMD too, as in Docker).
      cmd.withEntrypoint(env.command());
    }
    if (!env.args().isEmpty()) {
      cmd.withCmd(env.args());
    }
    if (spec.getWorkingDir() != null && !spec.getWorkingDir().isBlank()) {
      cmd.withWorkingDir(spec.getWorkingDir());
    }
    interactive(spec, cmd);
    String id;
    try {
      id = cmd.exec().getId();
      events.normal(ref, "Created", "Created container " + spec.getName());
    } catch (DockerException e) {
      if (!(e instanceof ConflictException)) {
        // The kubelet's CreateContainerError: the engine refused the container's config (e.g. a
        // memory limit below its minimum). It says so in status and events, and tries again.
        refuse(pod, spec, init, index, "CreateContainerError", ImagePuller.engineMessage(e));
        return;
      }
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
    if (start(pod, spec.getName(), id)) {
      events.normal(ref, "Started", "Started container " + spec.getName());
    }
  }

  /**
   * Starts a created container; false when the engine refused (e.g. capabilities the engine itself
   * lacks for a privileged container): the kubelet's RunContainerError, with a {@code Failed} event
   * and another try after the retry interval, while the pod's other containers go on.
   */
  boolean start(Pod pod, String container, String id) {
    try {
      containers.start(id);
      return true;
    } catch (DockerException e) {
      PodEvents.PodRef ref = PodEvents.PodRef.of(pod);
      events.warning(ref, "Failed", "Error: " + ImagePuller.engineMessage(e));
      retries.after(ref, setup.retryInterval());
      return false;
    }
  }

  /**
   * The container is not created: its status says why ({@code reason}, {@code message}), so does a
   * {@code Failed} event, and the pod is synced again after the retry interval.
   */
  private void refuse(
      Pod pod,
      io.fabric8.kubernetes.api.model.Container spec,
      boolean init,
      int index,
      String reason,
      String message) {
    PodEvents.PodRef ref = PodEvents.PodRef.of(pod);
    events.warning(ref, "Failed", "Error: " + message);
    unstarted.put(
        pod.getMetadata().getUid(),
        spec.getName(),
        new UnstartedContainers.Unstarted(
            init, index, spec.getImage(), new ContainerState.Waiting(reason, message)));
    retries.after(ref, setup.retryInterval());
  }

  /**
   * {@code stdin}, {@code stdinOnce} and {@code tty} as the kubelet's Docker runtime set them: an
   * open standard input (which {@code kubectl attach -i} writes to), closed after the first
   * attached client detaches with {@code stdinOnce}, and a TTY.
   */
  static void interactive(io.fabric8.kubernetes.api.model.Container spec, CreateContainerCmd cmd) {
    boolean stdin = Boolean.TRUE.equals(spec.getStdin());
    cmd.withStdinOpen(stdin)
        .withAttachStdin(stdin)
        .withStdInOnce(stdin && Boolean.TRUE.equals(spec.getStdinOnce()))
        .withTty(Boolean.TRUE.equals(spec.getTty()));
  }

  /** The image's configured user ({@code docker inspect}'s {@code Config.User}), "" for none. */
  private String imageUser(String image) {
    var config = docker.inspectImageCmd(image).exec().getConfig();
    return config == null || config.getUser() == null ? "" : config.getUser();
  }

  /** Joins the sandbox's network namespace; cpu/memory limits as NanoCpus/Memory. */
  private static HostConfig hostConfig(
      io.fabric8.kubernetes.api.model.Container spec, String sandboxId, SecuritySettings security) {
    HostConfig host =
        SecurityContexts.newHostConfig(security).withNetworkMode("container:" + sandboxId);
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
}
