package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.RuntimeContainer;
import io.nauta.agent.runtime.RuntimePod;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a node's pods on a Docker engine. The node has one bridge network {@code nauta-<node>} on
 * its pod range; a pod is a sandbox container on it with the pod's IP (it only sleeps, as the
 * kubelet's pause container does) plus its containers joined to the sandbox's network namespace
 * ({@code --network container:<sandbox>}). Every Docker object carries {@link DockerLabels}, and
 * what runs is always read back from Docker, so a new instance (an agent that restarted) adopts the
 * running containers. A container that exits is restarted per {@code restartPolicy} with
 * Kubernetes' crash-loop back-off (10 s doubling to 5 min, counted from its exit); the previous
 * run's container is kept for {@code lastState}. Exits are found by listing the node's containers
 * every {@code pollInterval}. Images are never pulled: no registry is reachable.
 */
public final class DockerRuntime implements ContainerRuntime {

  private static final Log log = LogFactory.getLog(DockerRuntime.class);

  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** A container that ran this long before exiting restarts after the initial back-off again. */
  private static final Duration BACKOFF_RESET = MAX_BACKOFF.multipliedBy(2);

  private final DockerClient docker;
  private final String node;
  private final PodCidr cidr;
  private final String network;
  private final String sandboxImage;
  private final Clock clock;

  /** Containers that could not be created (no image), per pod uid, by container name. */
  private final Map<String, Map<String, Unstarted>> unstarted = new ConcurrentHashMap<>();

  /** Restarts scheduled for when a back-off ends, per pod uid and container name. */
  private final Set<String> wakeUps = ConcurrentHashMap.newKeySet();

  private final Sinks.Many<String> woken = Sinks.many().multicast().directBestEffort();
  private final Flux<RuntimePod> changes;
  private volatile boolean initialized;

  private record Unstarted(boolean init, int index, String image, ContainerState.Waiting waiting) {}

  /** One Docker container of a pod, inspected. */
  private record Ctr(
      String id,
      String name,
      boolean init,
      int index,
      int restartCount,
      InspectContainerResponse inspect) {

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
  }

  /** The pod's containers in Docker: its sandbox and every run of every container. */
  private record View(Ctr sandbox, String restartPolicy, List<Ctr> containers) {

    /** The newest run of a container, or null if it was never created. */
    Ctr latest(String name) {
      return containers.stream()
          .filter(c -> c.name().equals(name))
          .max(Comparator.comparingInt(Ctr::restartCount))
          .orElse(null);
    }

    Ctr previous(Ctr latest) {
      return containers.stream()
          .filter(c -> c.name().equals(latest.name()) && c.restartCount() < latest.restartCount())
          .max(Comparator.comparingInt(Ctr::restartCount))
          .orElse(null);
    }
  }

  public DockerRuntime(
      DockerClient docker,
      String node,
      PodCidr cidr,
      String sandboxImage,
      Duration pollInterval,
      Clock clock) {
    this.docker = docker;
    this.node = node;
    this.cidr = cidr;
    this.network = "nauta-" + node;
    this.sandboxImage = sandboxImage;
    this.clock = clock;
    Flux<String> polled =
        Flux.interval(Duration.ZERO, pollInterval)
            .onBackpressureDrop()
            .concatMap(
                t ->
                    Mono.fromCallable(this::changedPods)
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorResume(
                            e -> {
                              log.warn("listing the containers of node " + node + " failed: " + e);
                              return Mono.just(Set.<String>of());
                            }),
                0)
            .flatMapIterable(uids -> uids);
    this.changes =
        Flux.merge(polled, woken.asFlux())
            .concatMap(uid -> pod(uid).onErrorResume(e -> Mono.empty()))
            .share();
  }

  /** The node's Docker network, {@code nauta-<node>}. */
  public String network() {
    return network;
  }

  @Override
  public Mono<RuntimePod> syncPod(Pod pod) {
    return blocking(
        () -> {
          init();
          sync(pod);
          return read(pod.getMetadata().getUid());
        });
  }

  @Override
  public Mono<Void> killPod(String podUid, Duration gracePeriod) {
    return blocking(
            () -> {
              init();
              return list(Map.of(DockerLabels.POD_UID, podUid));
            })
        .flatMap(
            all -> {
              List<Container> apps =
                  all.stream()
                      .filter(c -> !isSandbox(c) && "running".equals(c.getState()))
                      .toList();
              return Flux.fromIterable(apps)
                  .flatMap(c -> blocking(() -> stop(c.getId(), gracePeriod)))
                  .then(blocking(() -> removeAll(podUid, all)));
            })
        .then();
  }

  @Override
  public Mono<RuntimePod> pod(String podUid) {
    return blocking(
        () -> {
          init();
          return read(podUid);
        });
  }

  @Override
  public Flux<RuntimePod> pods() {
    return blocking(
            () -> {
              init();
              return list(Map.of(DockerLabels.NODE, node, DockerLabels.CONTAINER_NAME, "POD"))
                  .stream()
                  .map(c -> c.getLabels().get(DockerLabels.POD_UID))
                  .distinct()
                  .toList();
            })
        .flatMapIterable(uids -> uids)
        .concatMap(this::pod);
  }

  @Override
  public Flux<RuntimePod> changes() {
    return changes;
  }

  // --- set-up ---------------------------------------------------------------------------------

  /** Creates the node's network if missing and takes the IPs of existing sandboxes. */
  private void init() {
    if (initialized) {
      return;
    }
    synchronized (this) {
      if (initialized) {
        return;
      }
      boolean exists =
          docker.listNetworksCmd().withNameFilter(network).exec().stream()
              .anyMatch(n -> network.equals(n.getName()));
      if (!exists) {
        try {
          docker
              .createNetworkCmd()
              .withName(network)
              .withDriver("bridge")
              .withCheckDuplicate(true)
              .withIpam(
                  new Network.Ipam()
                      .withConfig(
                          new Network.Ipam.Config()
                              .withSubnet(cidr.cidr())
                              .withGateway(cidr.gateway())))
              .withLabels(Map.of(DockerLabels.NODE, node))
              .exec();
          log.info("created Docker network " + network + " on " + cidr.cidr());
        } catch (ConflictException e) {
          // Another agent instance created it meanwhile.
        }
      }
      for (Container c :
          list(
              Map.of(DockerLabels.NODE, node, DockerLabels.CONTAINER_NAME, DockerLabels.SANDBOX))) {
        String ip = ip(c);
        if (ip != null) {
          cidr.reserve(ip);
        }
      }
      initialized = true;
    }
  }

  // --- sync -----------------------------------------------------------------------------------

  private void sync(Pod pod) {
    String uid = pod.getMetadata().getUid();
    View view = view(uid);
    Ctr sandbox = view == null ? null : view.sandbox();
    if (sandbox == null) {
      sandbox = createSandbox(pod);
      view = view(uid);
    } else if (!sandbox.running()) {
      // The engine restarted, or someone stopped it: it keeps its IP on the network.
      start(sandbox.id());
    }
    String policy = restartPolicy(pod);
    List<io.fabric8.kubernetes.api.model.Container> inits =
        orEmpty(pod.getSpec().getInitContainers());
    for (int i = 0; i < inits.size(); i++) {
      var spec = inits.get(i);
      Ctr latest = view.latest(spec.getName());
      if (latest == null) {
        create(pod, spec, true, i, 0, sandbox.id());
        return;
      }
      if (!latest.exited()) {
        if (!latest.running()) {
          start(latest.id());
        }
        return;
      }
      if (latest.exitCode() == 0) {
        continue;
      }
      if (!"Never".equals(policy)) {
        restartAfterBackOff(pod, spec, true, i, view, latest, sandbox.id());
      }
      return;
    }
    List<io.fabric8.kubernetes.api.model.Container> apps = orEmpty(pod.getSpec().getContainers());
    for (int i = 0; i < apps.size(); i++) {
      var spec = apps.get(i);
      Ctr latest = view.latest(spec.getName());
      if (latest == null) {
        create(pod, spec, false, i, 0, sandbox.id());
      } else if (latest.exited()) {
        if (restarts(policy, latest.exitCode())) {
          restartAfterBackOff(pod, spec, false, i, view, latest, sandbox.id());
        }
      } else if (!latest.running()) {
        start(latest.id());
      }
    }
  }

  private Ctr createSandbox(Pod pod) {
    Map<String, String> labels = DockerLabels.of(pod, node, DockerLabels.SANDBOX, 0);
    labels.put(DockerLabels.RESTART_POLICY, restartPolicy(pod));
    for (int attempt = 0; ; attempt++) {
      String ip = cidr.allocate();
      try {
        CreateContainerResponse created =
            docker
                .createContainerCmd(sandboxImage)
                .withName(DockerLabels.containerName(pod, DockerLabels.SANDBOX, 0))
                .withEntrypoint("sleep")
                .withCmd("2147483647")
                .withHostName(hostName(pod))
                .withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network))
                .withIpv4Address(ip)
                .exec();
        start(created.getId());
        return view(pod.getMetadata().getUid()).sandbox();
      } catch (ConflictException e) {
        // The name exists: a sandbox made by an earlier attempt that was not seen yet.
        cidr.release(ip);
        View view = view(pod.getMetadata().getUid());
        if (view != null && view.sandbox() != null) {
          return view.sandbox();
        }
        throw e;
      } catch (RuntimeException e) {
        if (attempt < 3 && String.valueOf(e.getMessage()).contains("already in use")) {
          // Taken by something this agent does not know (e.g. a container of another tool).
          continue;
        }
        cidr.release(ip);
        throw e;
      }
    }
  }

  /** Restarts an exited container once its back-off is over, or wakes the pod up when it is. */
  private void restartAfterBackOff(
      Pod pod,
      io.fabric8.kubernetes.api.model.Container spec,
      boolean init,
      int index,
      View view,
      Ctr latest,
      String sandboxId) {
    Instant due = finishedAt(latest).plus(backOff(latest));
    Instant now = clock.instant();
    if (now.isBefore(due)) {
      wakeUpAt(pod.getMetadata().getUid(), spec.getName(), Duration.between(now, due));
      return;
    }
    // Keep only the run before the new one, for lastState (and logs --previous).
    for (Ctr old : view.containers()) {
      if (old.name().equals(spec.getName()) && old.restartCount() < latest.restartCount()) {
        remove(old.id());
      }
    }
    create(pod, spec, init, index, latest.restartCount() + 1, sandboxId);
  }

  private void wakeUpAt(String uid, String container, Duration in) {
    String key = uid + "/" + container;
    if (wakeUps.add(key)) {
      Mono.delay(in)
          .subscribe(
              t -> {
                wakeUps.remove(key);
                woken.emitNext(uid, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
              });
    }
  }

  private void create(
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
      unstarted
          .computeIfAbsent(uid, k -> new ConcurrentHashMap<>())
          .put(spec.getName(), new Unstarted(init, index, image, missing));
      return;
    }
    Map<String, Unstarted> pending = unstarted.get(uid);
    if (pending != null) {
      pending.remove(spec.getName());
    }
    Map<String, String> labels = DockerLabels.of(pod, node, spec.getName(), restartCount);
    labels.put(DockerLabels.CONTAINER_KIND, init ? "init" : "app");
    labels.put(DockerLabels.CONTAINER_INDEX, Integer.toString(index));
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
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(image)
            .withName(DockerLabels.containerName(pod, spec.getName(), restartCount))
            .withLabels(labels)
            .withHostConfig(host)
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
          list(Map.of(DockerLabels.POD_UID, uid)).stream()
              .filter(
                  c ->
                      spec.getName().equals(c.getLabels().get(DockerLabels.CONTAINER_NAME))
                          && Integer.toString(restartCount)
                              .equals(c.getLabels().get(DockerLabels.RESTART_COUNT)))
              .map(Container::getId)
              .findFirst()
              .orElseThrow(() -> e);
    }
    start(id);
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
    for (EnvVar e : orEmpty(spec.getEnv())) {
      // valueFrom is not resolved yet: such a variable is left out rather than set wrong.
      if (e.getValueFrom() == null) {
        env.add(e.getName() + "=" + (e.getValue() == null ? "" : e.getValue()));
      }
    }
    return env;
  }

  // --- stop -----------------------------------------------------------------------------------

  private Void stop(String id, Duration grace) {
    try {
      docker.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
    } catch (NotFoundException | NotModifiedException e) {
      // Gone or stopped already.
    }
    return null;
  }

  private Void removeAll(String uid, List<Container> all) {
    String sandboxIp = null;
    for (Container c : all) {
      if (isSandbox(c)) {
        sandboxIp = ip(c);
      } else {
        remove(c.getId());
      }
    }
    for (Container c : all) {
      if (isSandbox(c)) {
        remove(c.getId());
      }
    }
    if (sandboxIp != null) {
      cidr.release(sandboxIp);
    }
    unstarted.remove(uid);
    return null;
  }

  private void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // Gone already.
    } catch (ConflictException e) {
      // Removal already in progress.
    }
  }

  private void start(String id) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // Running already.
    }
  }

  // --- reading back -----------------------------------------------------------------------------

  /** What runs for a pod, read from Docker, or null if it has no sandbox. */
  private RuntimePod read(String uid) {
    View view = view(uid);
    if (view == null || view.sandbox() == null) {
      return null;
    }
    Map<Boolean, TreeMap<Integer, RuntimeContainer>> byKind =
        Map.of(true, new TreeMap<>(), false, new TreeMap<>());
    Map<String, Ctr> latest = new HashMap<>();
    for (Ctr c : view.containers()) {
      Ctr l = latest.get(c.name());
      if (l == null || l.restartCount() < c.restartCount()) {
        latest.put(c.name(), c);
      }
    }
    for (Ctr c : latest.values()) {
      byKind.get(c.init()).put(c.index(), container(view, c));
    }
    unstarted
        .getOrDefault(uid, Map.of())
        .forEach(
            (name, u) -> {
              if (!latest.containsKey(name)) {
                byKind
                    .get(u.init())
                    .put(
                        u.index(),
                        new RuntimeContainer(name, u.image(), "", null, u.waiting(), null, 0));
              }
            });
    InspectContainerResponse sandbox = view.sandbox().inspect();
    Map<String, String> labels = sandbox.getConfig().getLabels();
    return new RuntimePod(
        uid,
        labels.get(DockerLabels.POD_NAMESPACE),
        labels.get(DockerLabels.POD_NAME),
        ip(sandbox),
        time(sandbox.getCreated()),
        List.copyOf(byKind.get(true).values()),
        List.copyOf(byKind.get(false).values()));
  }

  private RuntimeContainer container(View view, Ctr c) {
    Ctr previous = view.previous(c);
    ContainerState.Terminated last = previous == null ? null : terminated(previous);
    ContainerState state;
    int restartCount = c.restartCount();
    if (c.running()) {
      state = new ContainerState.Running(time(c.inspect().getState().getStartedAt()));
    } else if (c.exited()) {
      boolean restartsLater =
          c.init()
              ? c.exitCode() != 0 && !"Never".equals(view.restartPolicy())
              : restarts(view.restartPolicy(), c.exitCode());
      if (restartsLater) {
        Duration backOff = backOff(c);
        state =
            new ContainerState.Waiting(
                "CrashLoopBackOff",
                "back-off "
                    + backOff.toSeconds()
                    + "s restarting failed container="
                    + c.name()
                    + " pod="
                    + c.inspect().getConfig().getLabels().get(DockerLabels.POD_NAME)
                    + "_"
                    + c.inspect().getConfig().getLabels().get(DockerLabels.POD_NAMESPACE)
                    + "("
                    + c.inspect().getConfig().getLabels().get(DockerLabels.POD_UID)
                    + ")");
        last = terminated(c);
      } else {
        state = terminated(c);
      }
    } else {
      state = new ContainerState.Waiting("ContainerCreating", null);
    }
    String image = c.inspect().getConfig().getImage();
    return new RuntimeContainer(
        c.name(),
        image,
        "docker://" + c.inspect().getImageId(),
        "docker://" + c.id(),
        state,
        last,
        restartCount);
  }

  private ContainerState.Terminated terminated(Ctr c) {
    var st = c.inspect().getState();
    int code = c.exitCode();
    String reason =
        Boolean.TRUE.equals(st.getOOMKilled()) ? "OOMKilled" : code == 0 ? "Completed" : "Error";
    String error = st.getError();
    return new ContainerState.Terminated(
        code,
        reason,
        error == null || error.isBlank() ? null : error,
        time(st.getStartedAt()),
        time(st.getFinishedAt()));
  }

  /** Every container of the pod, inspected; null if Docker has none. */
  private View view(String uid) {
    List<Container> all = list(Map.of(DockerLabels.POD_UID, uid));
    if (all.isEmpty()) {
      return null;
    }
    Ctr sandbox = null;
    String policy = "Always";
    List<Ctr> containers = new ArrayList<>();
    for (Container c : all) {
      InspectContainerResponse inspect;
      try {
        inspect = docker.inspectContainerCmd(c.getId()).exec();
      } catch (NotFoundException e) {
        continue;
      }
      Map<String, String> labels = c.getLabels();
      String name = labels.get(DockerLabels.CONTAINER_NAME);
      Ctr ctr =
          new Ctr(
              c.getId(),
              name,
              "init".equals(labels.get(DockerLabels.CONTAINER_KIND)),
              intLabel(labels, DockerLabels.CONTAINER_INDEX),
              intLabel(labels, DockerLabels.RESTART_COUNT),
              inspect);
      if (DockerLabels.SANDBOX.equals(name)) {
        sandbox = ctr;
        policy = labels.getOrDefault(DockerLabels.RESTART_POLICY, "Always");
      } else {
        containers.add(ctr);
      }
    }
    return new View(sandbox, policy, containers);
  }

  private List<Container> list(Map<String, String> labels) {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
  }

  /** The pods whose containers changed state since the last look (all of them, the first time). */
  private Set<String> changedPods() {
    Map<String, String> now =
        list(Map.of(DockerLabels.NODE, node)).stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.getLabels().get(DockerLabels.POD_UID),
                    Collectors.mapping(
                        c -> c.getId() + ":" + c.getState(),
                        Collectors.collectingAndThen(
                            Collectors.toList(),
                            l -> l.stream().sorted().collect(Collectors.joining(","))))));
    Set<String> changed =
        now.entrySet().stream()
            .filter(e -> !Objects.equals(seen.get(e.getKey()), e.getValue()))
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    seen.keySet().retainAll(now.keySet());
    seen.putAll(now);
    return changed;
  }

  /** The last listing's state per pod uid, for the poller. */
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  // --- helpers ----------------------------------------------------------------------------------

  /** Kubernetes' crash-loop back-off: 10 s after the first exit, doubling, at most 5 min. */
  static Duration backOff(int restartCount, Duration ran) {
    if (ran.compareTo(BACKOFF_RESET) >= 0) {
      return INITIAL_BACKOFF;
    }
    Duration d = INITIAL_BACKOFF;
    for (int i = 0; i < restartCount && d.compareTo(MAX_BACKOFF) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private Duration backOff(Ctr c) {
    var st = c.inspect().getState();
    Instant started = time(st.getStartedAt());
    Instant finished = time(st.getFinishedAt());
    Duration ran =
        started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
    return backOff(c.restartCount(), ran.isNegative() ? Duration.ZERO : ran);
  }

  private Instant finishedAt(Ctr c) {
    Instant t = time(c.inspect().getState().getFinishedAt());
    return t == null ? clock.instant() : t;
  }

  private static boolean restarts(String policy, int exitCode) {
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  private static String restartPolicy(Pod pod) {
    String p = pod.getSpec().getRestartPolicy();
    return p == null || p.isBlank() ? "Always" : p;
  }

  private static String hostName(Pod pod) {
    String name = pod.getMetadata().getName();
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private static boolean isSandbox(Container c) {
    return DockerLabels.SANDBOX.equals(c.getLabels().get(DockerLabels.CONTAINER_NAME));
  }

  private String ip(Container c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
      return null;
    }
    ContainerNetwork n = c.getNetworkSettings().getNetworks().get(network);
    return n == null || n.getIpAddress() == null || n.getIpAddress().isBlank()
        ? ipamAddress(n)
        : n.getIpAddress();
  }

  private String ip(InspectContainerResponse c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
      return null;
    }
    ContainerNetwork n = c.getNetworkSettings().getNetworks().get(network);
    return n == null || n.getIpAddress() == null || n.getIpAddress().isBlank()
        ? ipamAddress(n)
        : n.getIpAddress();
  }

  /** A stopped sandbox has no address on the network, but keeps the one it was given. */
  private static String ipamAddress(ContainerNetwork n) {
    return n == null || n.getIpamConfig() == null ? null : n.getIpamConfig().getIpv4Address();
  }

  private static int intLabel(Map<String, String> labels, String key) {
    try {
      return Integer.parseInt(labels.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant time(String t) {
    if (t == null || t.isBlank() || t.startsWith("0001-01-01")) {
      return null;
    }
    return Instant.parse(t).truncatedTo(ChronoUnit.SECONDS);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }
}
