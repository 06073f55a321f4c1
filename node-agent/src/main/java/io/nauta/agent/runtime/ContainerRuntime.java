package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.logs.LogOptions;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the pods of one node: a sandbox that holds the pod's network (and IP) plus its containers.
 * Calls for one pod never overlap (the pod workers guarantee it); calls for different pods do.
 * Implementations: {@link SimulatedRuntime} (no containers) and {@link
 * io.nauta.agent.runtime.docker.DockerRuntime} (containers on a Docker engine).
 */
public interface ContainerRuntime {

  /**
   * Makes the pod run as its spec says: creates its sandbox if it has none, starts containers that
   * have not started (init containers first), and answers what runs now (empty while nothing does,
   * e.g. when the pod's volumes cannot be set up yet). Idempotent: calling it again for a pod that
   * runs changes nothing.
   */
  Mono<RuntimePod> syncPod(Pod pod);

  /**
   * Stops the pod's containers (SIGTERM, then SIGKILL after {@code gracePeriod}) and removes its
   * sandbox, releasing its IP. Completes at once for a pod the runtime does not know.
   */
  Mono<Void> killPod(String podUid, Duration gracePeriod);

  /**
   * Stops what still runs of a pod that finished (phase Succeeded or Failed) at once, its sandbox
   * too, but keeps its containers, as the kubelet does: their status and logs stay readable until
   * the pod is deleted ({@link #killPod}).
   */
  Mono<Void> stopPod(String podUid);

  /**
   * Completes when the runtime answers, fails when it does not (e.g. its engine is down), so the
   * node's {@code Ready} condition can say so ({@link io.nauta.agent.node.RuntimeHealth}).
   */
  default Mono<Void> ping() {
    return Mono.empty();
  }

  /** What runs for one pod, or empty if nothing does. */
  Mono<RuntimePod> pod(String podUid);

  /** Every pod the runtime has a sandbox for (so an agent can remove those no longer bound). */
  Flux<RuntimePod> pods();

  /**
   * Pods whose state changed on the runtime's own account (a container started after a delay,
   * exited, was restarted), so their status gets written again.
   */
  Flux<RuntimePod> changes();

  /**
   * The output (stdout and stderr, as written) of a pod's container: its newest instance, or with
   * {@code options.previous()} the terminated instance before it, the one {@code lastState}
   * reports. With {@code follow} it goes on until that instance exits or the subscriber cancels.
   * Empty when the runtime has no such instance; the caller checks the container's state first, as
   * the kubelet does.
   */
  Flux<byte[]> logs(String podUid, String container, LogOptions options);

  /**
   * Runs {@code request.command()} in a pod's running container with the streams the request wires,
   * as {@code docker exec}. Fails with an {@link UnsupportedOperationException} on a runtime that
   * runs no processes.
   */
  default Mono<ContainerStreams> exec(String podUid, String container, StreamRequest request) {
    return Mono.error(
        new UnsupportedOperationException(
            "this node's runtime runs no processes (simulated): exec is not supported"));
  }

  /** Attaches to the streams of a pod's running container, as {@code docker attach}. */
  default Mono<ContainerStreams> attach(String podUid, String container, StreamRequest request) {
    return Mono.error(
        new UnsupportedOperationException(
            "this node's runtime runs no processes (simulated): attach is not supported"));
  }

  /**
   * Where {@code kubectl port-forward} connects to for {@code port} of a running pod: an address
   * that reaches the port inside the pod's network namespace. Fails on a runtime whose pods have no
   * network.
   */
  default Mono<java.net.InetSocketAddress> portForwardTarget(Pod pod, int port) {
    return Mono.error(
        new UnsupportedOperationException(
            "this node's runtime runs no processes (simulated): port-forward is not supported"));
  }
}
