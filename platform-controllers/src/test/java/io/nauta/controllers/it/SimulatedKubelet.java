package io.nauta.controllers.it;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A stand-in for node agents in integration tests (no containers): registers Ready nodes, renews
 * their Leases in {@code kube-node-lease}, turns every pod bound to them Running with a pod IP,
 * Ready unless {@link #neverReady} says otherwise, and removes pods being deleted (as a kubelet
 * does once their containers stopped). {@link #stopRenewing} makes a node go silent.
 */
public final class SimulatedKubelet implements AutoCloseable {

  private static final Duration T = Duration.ofSeconds(10);

  private final KubeClient client;
  private final ResourceClient<Pod> pods;
  private final ResourceClient<Node> nodes;
  private final ResourceClient<Lease> leases;
  private final SharedInformer<Pod> bound;
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final List<String> nodeNames = new CopyOnWriteArrayList<>();
  private final AtomicInteger ips = new AtomicInteger();
  private final Map<String, String> podIps = new ConcurrentHashMap<>();
  private final Disposable.Composite running = Disposables.composite();
  private volatile Predicate<Pod> neverReady = p -> false;
  private volatile java.util.function.Function<Pod, Integer> exitCode = p -> null;

  public SimulatedKubelet(KubeClient client) {
    this.client = client;
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
    this.nodes = client.resource(BuiltInResources.NODES, Node.class);
    this.leases = client.resource(BuiltInResources.LEASES, Lease.class);
    this.bound =
        new SharedInformer<>(
            pods,
            null,
            ListOptions.none().withFieldSelector("spec.nodeName!="),
            Duration.ofMillis(100),
            Duration.ofSeconds(2));
  }

  /** Registers {@code count} nodes {@code node-0}…, each with {@code cpu} cores, and starts. */
  public SimulatedKubelet start(int count, String cpu) {
    for (int i = 0; i < count; i++) {
      register("node-" + i, i, cpu, Map.of(), List.of());
    }
    running.add(bound.events().concatMap(this::onPod).subscribe());
    bound.start();
    bound.synced().block(T);
    running.add(
        Flux.interval(Duration.ZERO, Duration.ofSeconds(2))
            // A round slower than a tick (many nodes, a busy machine) skips ticks instead of
            // ending every renewal with an overflow error.
            .onBackpressureDrop()
            .concatMap(
                t ->
                    Flux.fromIterable(nodeNames)
                        .filter(n -> !silent.contains(n))
                        .concatMap(this::renew))
            .subscribe());
    return this;
  }

  /**
   * Registers one more node with extra labels and taints (a node joining a running cluster); its
   * Lease is renewed like the others'.
   */
  public void addNode(String name, Map<String, String> labels, List<Taint> taints) {
    register(name, nodeNames.size(), "16", labels, taints);
  }

  private void register(
      String name, int i, String cpu, Map<String, String> labels, List<Taint> taints) {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity(cpu), "memory", new Quantity("64Gi"), "pods", new Quantity("250"));
    nodes
        .create(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("topology.kubernetes.io/zone", "zone-" + (i % 2))
                .addToLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withTaints(taints)
                .endSpec()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withReason("KubeletReady")
                .withLastHeartbeatTime(now())
                .withLastTransitionTime(now())
                .endCondition()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("192.0.2." + (i + 1))
                .endAddress()
                .endStatus()
                .build())
        .block(T);
    nodeNames.add(name);
  }

  /** Pods matching this stay Running but never Ready. */
  public void neverReady(Predicate<Pod> predicate) {
    this.neverReady = predicate;
  }

  /**
   * Running pods for which {@code code} answers a number end with that exit code: phase Succeeded
   * for 0, Failed otherwise, their containers terminated (null keeps a pod running). Pods being
   * deleted that still hold a finalizer end Failed with 137 first, as a kubelet stopping them does.
   */
  public void exits(java.util.function.Function<Pod, Integer> code) {
    this.exitCode = code;
  }

  /** The node's Lease is no longer renewed, as if its agent died. */
  public void stopRenewing(String node) {
    silent.add(node);
  }

  public void resumeRenewing(String node) {
    silent.remove(node);
  }

  public List<String> nodeNames() {
    return List.copyOf(nodeNames);
  }

  private Mono<Void> onPod(InformerEvent<Pod> event) {
    if (event.type() == InformerEvent.Type.DELETED) {
      return Mono.empty();
    }
    Pod pod = event.object();
    if (silent.contains(pod.getSpec().getNodeName())) {
      return Mono.empty();
    }
    boolean terminal = "Succeeded".equals(phase(pod)) || "Failed".equals(phase(pod));
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (!terminal
          && pod.getMetadata().getFinalizers() != null
          && !pod.getMetadata().getFinalizers().isEmpty()) {
        return pods.updateStatus(ended(pod, 137)).then().onErrorResume(e -> Mono.empty());
      }
      return pods.delete(
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
          .onErrorResume(NotFoundException.class, e -> Mono.empty())
          .onErrorResume(e -> Mono.empty());
    }
    if (terminal) {
      return Mono.empty();
    }
    Integer code = "Running".equals(phase(pod)) ? exitCode.apply(pod) : null;
    if (code != null) {
      return pods.updateStatus(ended(pod, code)).then().onErrorResume(e -> Mono.empty());
    }
    boolean ready = !neverReady.test(pod);
    if ("Running".equals(phase(pod)) && isReady(pod) == ready) {
      return Mono.empty();
    }
    String ip =
        podIps.computeIfAbsent(
            pod.getMetadata().getUid(),
            u -> {
              int n = ips.incrementAndGet();
              return "10.244." + (n / 250) + "." + (n % 250 + 1);
            });
    String readyStatus = ready ? "True" : "False";
    Pod running =
        new PodBuilder(pod)
            .editOrNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .withHostIP("192.0.2.1")
            .withStartTime(now())
            .withConditions(conditions(readyStatus))
            .withContainerStatuses(
                containerStatuses(
                    pod,
                    ready,
                    new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning()))
            .endStatus()
            .build();
    return pods.updateStatus(running).then().onErrorResume(e -> Mono.empty());
  }

  private static PodCondition[] conditions(String readyStatus) {
    return new PodCondition[] {
      condition("PodScheduled", "True"),
      condition("Initialized", "True"),
      condition("ContainersReady", readyStatus),
      condition("Ready", readyStatus)
    };
  }

  /** Every container of the pod in {@code state} (running or terminated). */
  private static List<io.fabric8.kubernetes.api.model.ContainerStatus> containerStatuses(
      Pod pod, boolean ready, ContainerStateBuilder state) {
    return pod.getSpec().getContainers().stream()
        .map(
            c ->
                new ContainerStatusBuilder()
                    .withName(c.getName())
                    .withImage(c.getImage())
                    .withReady(ready)
                    .withStarted(state.hasRunning())
                    .withRestartCount(0)
                    .withState(state.build())
                    .build())
        .toList();
  }

  /** The pod as a kubelet reports it once its containers exited with {@code code}. */
  private static Pod ended(Pod pod, int code) {
    return new PodBuilder(pod)
        .editOrNewStatus()
        .withPhase(code == 0 ? "Succeeded" : "Failed")
        .withConditions(conditions("False"))
        .withContainerStatuses(
            containerStatuses(
                pod,
                false,
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(code)
                    .withReason(code == 0 ? "Completed" : "Error")
                    .withStartedAt(now())
                    .withFinishedAt(now())
                    .endTerminated()))
        .endStatus()
        .build();
  }

  private Mono<Void> renew(String node) {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    return leases
        .get("kube-node-lease", node)
        .flatMap(
            l -> leases.update(new LeaseBuilder(l).editSpec().withRenewTime(now).endSpec().build()))
        .onErrorResume(
            NotFoundException.class,
            e ->
                leases.create(
                    new LeaseBuilder()
                        .withNewMetadata()
                        .withNamespace("kube-node-lease")
                        .withName(node)
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity(node)
                        .withLeaseDurationSeconds(40)
                        .withRenewTime(now)
                        .endSpec()
                        .build()))
        .then()
        // One request that never answers must not stop every later renewal.
        .timeout(Duration.ofSeconds(5))
        .onErrorResume(e -> Mono.empty());
  }

  private static PodCondition condition(String type, String status) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(now())
        .build();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    running.dispose();
    bound.close();
  }
}
