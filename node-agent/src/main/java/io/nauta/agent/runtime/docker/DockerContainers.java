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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Docker calls on containers, made idempotent: starting one that runs, stopping one that
 * stopped and removing one that is gone all succeed, so a sync that is repeated converges. The
 * calls block; {@link #threads()} are the pools they run on.
 *
 * <p>A pod's view ({@link #ofPod}) is one {@code docker ps} by the pod's label; a container is
 * inspected only when it is new or the listing shows it in another state than when it was last
 * inspected. What an inspect tells (start and finish times, exit code, image, address) changes only
 * with the state: the agent never restarts a container in place (a restart is a new container), and
 * a sandbox started again (after the engine restarted) went through {@code exited} on the way. So a
 * pod that runs as it should costs one list per sync, not a list and an inspect per container for
 * each of the three looks a sync used to take.
 */
final class DockerContainers {

  private final DockerClient docker;
  private final DockerThreads threads;

  /** The last inspect of each pod's containers (by pod uid, then container id). */
  private final Map<String, Map<String, Inspected>> inspected = new ConcurrentHashMap<>();

  /** An inspect, and the state the listing showed when it was taken. */
  private record Inspected(String listedState, InspectContainerResponse inspect) {}

  DockerContainers(DockerClient docker) {
    this(docker, DockerThreads.defaults());
  }

  DockerContainers(DockerClient docker, DockerThreads threads) {
    this.docker = docker;
    this.threads = threads;
  }

  DockerThreads threads() {
    return threads;
  }

  /** Every container (running or not) carrying all of {@code labels}. */
  List<Container> list(Map<String, String> labels) {
    return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
  }

  /** Every container of the pod, inspected (where its state changed); null if Docker has none. */
  PodContainers ofPod(String uid) {
    List<Container> all = list(Map.of(DockerLabels.POD_UID, uid));
    if (all.isEmpty()) {
      inspected.remove(uid);
      return null;
    }
    Map<String, Inspected> before = inspected.getOrDefault(uid, Map.of());
    Map<String, Inspected> now = new ConcurrentHashMap<>();
    PodContainer sandbox = null;
    String policy = "Always";
    List<PodContainer> containers = new ArrayList<>();
    for (Container c : all) {
      Inspected last = before.get(c.getId());
      if (last == null || !Objects.equals(last.listedState(), c.getState())) {
        try {
          last = new Inspected(c.getState(), docker.inspectContainerCmd(c.getId()).exec());
        } catch (NotFoundException e) {
          continue;
        }
      }
      now.put(c.getId(), last);
      PodContainer ctr = PodContainer.of(c.getId(), c.getLabels(), last.inspect());
      if (DockerLabels.SANDBOX.equals(ctr.name())) {
        sandbox = ctr;
        policy = c.getLabels().getOrDefault(DockerLabels.RESTART_POLICY, "Always");
      } else {
        containers.add(ctr);
      }
    }
    inspected.put(uid, now);
    return new PodContainers(sandbox, policy, containers);
  }

  /**
   * One container of pod {@code uid}, inspected now (the sandbox just made), and kept as the pod's
   * next {@link #ofPod} would keep it; null if it is gone.
   */
  PodContainer inspect(String uid, String id) {
    InspectContainerResponse inspect;
    try {
      inspect = docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return null;
    }
    // The listing's state and the inspect's status are the same words (created, running, ...).
    inspected
        .computeIfAbsent(uid, u -> new ConcurrentHashMap<>())
        .put(id, new Inspected(inspect.getState().getStatus(), inspect));
    return PodContainer.of(id, inspect.getConfig().getLabels(), inspect);
  }

  /** Forgets what was inspected of a pod's containers (it was removed). */
  void forget(String uid) {
    inspected.remove(uid);
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
