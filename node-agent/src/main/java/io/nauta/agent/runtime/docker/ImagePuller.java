package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.ContainerState;
import io.nauta.agent.runtime.PodEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a container's image is on the engine, per its {@code imagePullPolicy}, as the
 * kubelet's image manager does (EnsureImageExists): {@code Never} uses what is there, {@code
 * IfNotPresent} pulls only what is missing, {@code Always} pulls every time. A failed pull leaves
 * the container waiting with {@code ErrImagePull} and the engine's message, later syncs with {@code
 * ImagePullBackOff} until {@link ImagePullBackOff} allows the next attempt. Records the kubelet's
 * {@code Pulling}, {@code Pulled}, {@code Failed} and {@code BackOff} events.
 *
 * <p>No image is ever pulled from a registry that is neither on loopback nor in {@link
 * PodSetup#pullRegistries()}: such an image is used when present and reported missing otherwise, so
 * a node without a reachable registry never sends a pull out.
 */
final class ImagePuller {

  private static final long PULL_TIMEOUT_MINUTES = 5;

  /** A pull in flight: when it started, and its outcome (null on success, else the message). */
  private record Pull(Instant started, CompletableFuture<String> error) {}

  private final Map<String, Pull> pulling = new ConcurrentHashMap<>();

  private final DockerClient docker;
  private final DockerThreads threads;
  private final PodEvents events;
  private final Clock clock;
  private final List<String> pullRegistries;
  private final ImagePullBackOff backOff;
  private final SyncRetries retries;

  ImagePuller(
      DockerClient docker,
      PodEvents events,
      Clock clock,
      List<String> pullRegistries,
      SyncRetries retries,
      DockerThreads threads) {
    this.docker = docker;
    this.threads = threads;
    this.events = events;
    this.clock = clock;
    this.pullRegistries = pullRegistries;
    this.backOff = new ImagePullBackOff(clock);
    this.retries = retries;
  }

  /** Null when the image is ready to run; else why the container waits. */
  ContainerState.Waiting ensure(Pod pod, Container spec, Duration retryInterval) {
    String image = spec.getImage();
    PodEvents.PodRef ref = PodEvents.PodRef.of(pod);
    String invalid = ImageRef.invalid(image);
    if (invalid != null) {
      // The kubelet's EnsureImageExists: nothing is asked of the engine, nothing is retried (the
      // pod's image must change, and an update syncs the pod anyway).
      String message =
          "Failed to apply default image tag \""
              + image
              + "\": couldn't parse image name \""
              + image
              + "\": "
              + invalid;
      events.warning(ref, "InspectFailed", message);
      events.warning(ref, "Failed", "Error: InvalidImageName");
      return new ContainerState.Waiting("InvalidImageName", message);
    }
    String policy =
        spec.getImagePullPolicy() == null || spec.getImagePullPolicy().isBlank()
            ? ImageRef.defaultPullPolicy(image)
            : spec.getImagePullPolicy();
    boolean present = present(image);
    ImageRef parsed = ImageRef.parse(image);
    boolean mayPull = parsed.loopbackRegistry() || pullRegistries.contains(parsed.registry());
    if (present && (!policy.equals("Always") || !mayPull)) {
      events.normal(ref, "Pulled", "Container image \"" + image + "\" already present on machine");
      return null;
    }
    if (policy.equals("Never")) {
      String message = "Container image \"" + image + "\" is not present with pull policy of Never";
      events.warning(ref, "ErrImageNeverPull", message);
      // It may be loaded onto the node meanwhile.
      retries.after(ref, retryInterval);
      return new ContainerState.Waiting("ErrImageNeverPull", message);
    }
    if (!mayPull) {
      // Like Never, a refusal of this node, not a failed pull: no back-off, and no pull.
      String message =
          "image \""
              + image
              + "\" is not present on this node and registry "
              + parsed.registry()
              + " is not one this node pulls from (nauta.agent.docker.pull-registries): load the"
              + " image locally (deploy/images/build.sh)";
      events.warning(ref, "Failed", "Failed to pull image \"" + image + "\": " + message);
      retries.after(ref, retryInterval);
      return new ContainerState.Waiting("ErrImagePull", message);
    }
    String key = pod.getMetadata().getUid() + "_" + image;
    Duration wait = backOff.remaining(key);
    if (!wait.isZero()) {
      String message = "Back-off pulling image \"" + image + "\"";
      events.normal(ref, "BackOff", message);
      events.warning(ref, "Failed", "Error: ImagePullBackOff");
      retries.after(ref, wait);
      return new ContainerState.Waiting("ImagePullBackOff", message);
    }
    Pull pull = pulling.get(key);
    if (pull == null) {
      // On the pulls' own threads: a slow pull (minutes) holds no pod worker and no thread the
      // other pods' Docker calls need; the pod is synced again when it ends.
      events.normal(ref, "Pulling", "Pulling image \"" + image + "\"");
      Instant started = clock.instant();
      pull = new Pull(started, CompletableFuture.supplyAsync(() -> pull(parsed), threads.pulls()));
      pulling.put(key, pull);
      pull.error().whenComplete((e, t) -> retries.after(ref, Duration.ZERO));
    }
    if (!pull.error().isDone()) {
      return new ContainerState.Waiting("ContainerCreating", null);
    }
    pulling.remove(key, pull);
    Instant start = pull.started();
    String error = pull.error().join();
    if (error == null) {
      backOff.succeeded(key);
      String took = seconds(Duration.between(start, clock.instant()));
      events.normal(
          ref,
          "Pulled",
          "Successfully pulled image \""
              + image
              + "\" in "
              + took
              + " ("
              + took
              + " including waiting)");
      return null;
    }
    Duration next = backOff.failed(key);
    events.warning(ref, "Failed", "Failed to pull image \"" + image + "\": " + error);
    events.warning(ref, "Failed", "Error: ErrImagePull");
    // Synced again within the back-off (to report ImagePullBackOff), and when it is over.
    retries.after(ref, min(retryInterval, next));
    return new ContainerState.Waiting("ErrImagePull", error);
  }

  void forget(String uid) {
    backOff.forgetPod(uid);
    // A pull still running goes on (the image may serve another pod); its outcome is dropped.
    pulling.keySet().removeIf(key -> key.startsWith(uid + "_"));
  }

  private boolean present(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Pulls the image; null on success, else the engine's message. */
  private String pull(ImageRef ref) {
    try {
      boolean done =
          docker
              .pullImageCmd(ref.repository())
              .withTag(ref.tag())
              .start()
              .awaitCompletion(PULL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      return done ? null : "pull did not finish within " + PULL_TIMEOUT_MINUTES + " minutes";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "pull interrupted";
    } catch (DockerException e) {
      return engineMessage(e);
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }

  /** The engine's own words, without docker-java's "Status 500: {"message":...}" wrapping. */
  static String engineMessage(DockerException e) {
    String m = String.valueOf(e.getMessage());
    int key = m.indexOf("\"message\":\"");
    if (key >= 0) {
      int from = key + "\"message\":\"".length();
      StringBuilder out = new StringBuilder();
      for (int i = from; i < m.length(); i++) {
        char c = m.charAt(i);
        if (c == '\\' && i + 1 < m.length()) {
          out.append(m.charAt(++i));
        } else if (c == '"') {
          break;
        } else {
          out.append(c);
        }
      }
      return "Error response from daemon: " + out;
    }
    return m;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3fs", d.toMillis() / 1000.0);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
