package io.nauta.api.table;

import static io.nauta.api.table.Cells.integer;
import static io.nauta.api.table.Cells.present;
import static io.nauta.api.table.Cells.text;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A pod's READY, STATUS and RESTARTS as Kubernetes' {@code printPod} works them out: phase or
 * {@code status.reason}, then the first init container that has not succeeded, then the regular
 * containers (last one wins), then {@code Terminating}/{@code Unknown} for pods being deleted.
 *
 * @param lastRestart when a counted container last terminated, or null if never
 */
record PodStatusSummary(int ready, int total, String reason, long restarts, Instant lastRestart) {

  static PodStatusSummary of(JsonNode pod) {
    return new Builder(pod).build();
  }

  private static final class Builder {
    private final JsonNode spec;
    private final JsonNode status;
    private final String phase;
    private final boolean deleting;
    private final Set<String> sidecars = new HashSet<>();
    private int ready;
    private int total;
    private String reason;
    private long restarts;
    private long sidecarRestarts;
    private Instant lastRestart;
    private Instant lastSidecarRestart;

    Builder(JsonNode pod) {
      this.spec = pod.path("spec");
      this.status = pod.path("status");
      this.phase = text(status.path("phase"));
      this.deleting = !text(pod.path("metadata").path("deletionTimestamp")).isEmpty();
      this.reason = text(status.path("reason")).isEmpty() ? phase : text(status.path("reason"));
      this.total = spec.path("containers").size();
      for (JsonNode c : spec.path("initContainers")) {
        // Restartable init containers ("sidecars") count as containers of the pod.
        if ("Always".equals(text(c.path("restartPolicy")))) {
          sidecars.add(text(c.path("name")));
          total++;
        }
      }
    }

    PodStatusSummary build() {
      for (JsonNode c : status.path("conditions")) {
        if ("PodScheduled".equals(text(c.path("type")))
            && "SchedulingGated".equals(text(c.path("reason")))) {
          reason = "SchedulingGated";
        }
      }
      boolean initializing = initContainers();
      if (!initializing || hasTrueCondition("Initialized")) {
        containers();
      }
      if (deleting() && "NodeLost".equals(text(status.path("reason")))) {
        reason = "Unknown";
      } else if (deleting() && !phase.equals("Succeeded") && !phase.equals("Failed")) {
        reason = "Terminating";
      }
      return new PodStatusSummary(ready, total, reason, restarts, lastRestart);
    }

    /** Whether the pod is still initializing; sets the reason from the first unfinished one. */
    private boolean initContainers() {
      JsonNode statuses = status.path("initContainerStatuses");
      int specified = spec.path("initContainers").size();
      for (int i = 0; i < statuses.size(); i++) {
        JsonNode c = statuses.get(i);
        boolean sidecar = sidecars.contains(text(c.path("name")));
        Instant finished = lastTerminated(c);
        restarts += integer(c.path("restartCount"));
        lastRestart = later(lastRestart, finished);
        if (sidecar) {
          sidecarRestarts += integer(c.path("restartCount"));
          lastSidecarRestart = later(lastSidecarRestart, finished);
        }
        JsonNode terminated = c.path("state").get("terminated");
        JsonNode waiting = c.path("state").get("waiting");
        if (present(terminated) && integer(terminated.path("exitCode")) == 0) {
          continue;
        }
        if (sidecar && c.path("started").asBoolean(false)) {
          if (c.path("ready").asBoolean(false)) {
            ready++;
          }
          continue;
        }
        if (present(terminated)) {
          reason = "Init:" + terminationReason(terminated);
        } else if (present(waiting)
            && !text(waiting.path("reason")).isEmpty()
            && !"PodInitializing".equals(text(waiting.path("reason")))) {
          reason = "Init:" + text(waiting.path("reason"));
        } else {
          reason = "Init:" + i + "/" + specified;
        }
        return true;
      }
      return false;
    }

    private void containers() {
      restarts = sidecarRestarts;
      lastRestart = lastSidecarRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode c = statuses.get(i);
        restarts += integer(c.path("restartCount"));
        lastRestart = later(lastRestart, lastTerminated(c));
        JsonNode waiting = c.path("state").get("waiting");
        JsonNode terminated = c.path("state").get("terminated");
        if (present(waiting) && !text(waiting.path("reason")).isEmpty()) {
          reason = text(waiting.path("reason"));
        } else if (present(terminated)) {
          reason = terminationReason(terminated);
        } else if (c.path("ready").asBoolean(false) && present(c.path("state").get("running"))) {
          hasRunning = true;
          ready++;
        }
      }
      // A completed container next to a running one: the pod as a whole is still running.
      if ("Completed".equals(reason) && hasRunning) {
        reason = hasTrueCondition("Ready") ? "Running" : "NotReady";
      }
    }

    private boolean deleting() {
      return deleting;
    }

    private boolean hasTrueCondition(String type) {
      for (JsonNode c : status.path("conditions")) {
        if (type.equals(text(c.path("type")))) {
          return "True".equals(text(c.path("status")));
        }
      }
      return false;
    }
  }

  private static String terminationReason(JsonNode terminated) {
    String reason = text(terminated.path("reason"));
    if (!reason.isEmpty()) {
      return reason;
    }
    long signal = integer(terminated.path("signal"));
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + integer(terminated.path("exitCode"));
  }

  private static Instant lastTerminated(JsonNode containerStatus) {
    JsonNode t = containerStatus.path("lastState").get("terminated");
    return present(t) ? HumanDuration.instant(t.get("finishedAt")) : null;
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b != null && b.isAfter(a) ? b : a;
  }
}
