package io.nauta.federation.cluster;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ApiException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterStatus;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * The gateway's failover taint, as Karmada's cluster controller added it behind its {@code
 * Failover} feature gate with {@code --failover-eviction-timeout}: a cluster whose {@code Ready}
 * condition has been {@code False} for {@code evictionTimeout} gets the taint {@code
 * cluster.karmada.io/not-ready:NoExecute}, one {@code Unknown} that long {@code
 * cluster.karmada.io/unreachable:NoExecute} (the one swapped for the other once the new status has
 * lasted that long), with {@code timeAdded}; a cluster {@code Ready=True} again loses it.
 *
 * <ul>
 *   <li>How long is read from the condition's {@code lastTransitionTime}, so the time survives a
 *       gateway restart or a new leader; a cluster not yet due is looked at again when it is.
 *   <li>Only taints the gateway added are ever removed: the one it added is named in the Cluster's
 *       annotation {@value #OWNED_TAINT_ANNOTATION} ({@code key@timeAdded}), written with it in one
 *       update. A {@code NoExecute} taint of the same key the user put there is left alone, and
 *       none is added beside it.
 *   <li>Off unless enabled; off, it adds none and takes back the one it added.
 *   <li>Each taint added or removed is a {@code TaintClusterSucceed} Event on the Cluster; a write
 *       refused (other than for a stale version, which is simply tried again) {@code
 *       TaintClusterFailed}.
 * </ul>
 *
 * The scheduler moves divided replicas off a {@code NoExecute} cluster; this controller only
 * taints.
 */
public final class FailoverTaintController {

  private static final Log log = LogFactory.getLog(FailoverTaintController.class);

  /** The reporting component of its Events: Karmada's cluster controller. */
  static final String COMPONENT = "cluster-controller";

  /** Names the {@code NoExecute} taint the gateway added ({@code key@timeAdded}). */
  public static final String OWNED_TAINT_ANNOTATION = "federation.nauta.io/failover-taint";

  private final MemberClusters members;
  private final ResourceClient<Cluster> clusters;
  private final ClusterProperties.Failover failover;
  private final Clock clock;
  private final EventRecorder events;
  private final Controller controller;

  public FailoverTaintController(
      MemberClusters members,
      KubeClient gateway,
      ClusterProperties.Failover failover,
      int workers,
      Clock clock,
      EventRecorder events) {
    this.members = members;
    this.clusters = gateway.resource(KarmadaResources.CLUSTERS, Cluster.class);
    this.failover = failover;
    this.clock = clock;
    this.events = events;
    this.controller =
        Controller.builder("cluster-failover-controller")
            .primary(members.clusterInformer())
            .reconcile(this::reconcile)
            .workers(workers)
            .build();
  }

  public Controller controller() {
    return controller;
  }

  /**
   * What to do with a Cluster's taints.
   *
   * @param taints the taints it should have
   * @param owned the annotation naming the gateway's taint among them, {@code null}: none
   * @param added the taint added, or {@code null}
   * @param removed the gateway's taint removed, or {@code null}
   * @param due when to look again (a cluster not ready, not yet for long enough), or {@code null}
   * @param changed whether the Cluster must be written
   */
  record Plan(
      List<Taint> taints,
      String owned,
      Taint added,
      Taint removed,
      Duration due,
      boolean changed) {}

  /** The plan for {@code cluster} at {@code now}. */
  static Plan plan(Cluster cluster, ClusterProperties.Failover failover, Instant now) {
    List<Taint> current =
        cluster.spec() == null || cluster.spec().taints() == null
            ? List.of()
            : cluster.spec().taints();
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    String mark = annotations == null ? null : annotations.get(OWNED_TAINT_ANNOTATION);
    Taint ours =
        mark == null
            ? null
            : current.stream()
                .filter(t -> isNoExecute(t) && mark.equals(mark(t)))
                .findFirst()
                .orElse(null);
    Condition ready =
        cluster.status() == null ? null : ClusterStatusController.readyCondition(cluster.status());
    String wanted = null;
    Duration due = null;
    if (failover.enabled() && ready != null && !"True".equals(ready.getStatus())) {
      String key =
          "False".equals(ready.getStatus())
              ? Karmada.TAINT_CLUSTER_NOT_READY
              : Karmada.TAINT_CLUSTER_UNREACHABLE;
      Instant at = notReadySince(cluster, ready, now).plus(failover.evictionTimeout());
      if (!now.isBefore(at)) {
        wanted = key;
      } else {
        // Not yet: the taint already added (for the status before this one) stays meanwhile.
        wanted = ours == null ? null : ours.getKey();
        due = Duration.between(now, at);
      }
    }
    List<Taint> next = new ArrayList<>(current);
    Taint removed = null;
    String owned = ours == null ? null : mark;
    if (ours != null && !ours.getKey().equals(wanted)) {
      next.remove(ours);
      removed = ours;
      owned = null;
    }
    Taint added = null;
    String key = wanted;
    if (key != null && next.stream().noneMatch(t -> isNoExecute(t) && key.equals(t.getKey()))) {
      added =
          new TaintBuilder()
              .withKey(key)
              .withEffect(Karmada.TAINT_EFFECT_NO_EXECUTE)
              .withTimeAdded(now.truncatedTo(ChronoUnit.SECONDS).toString())
              .build();
      next.add(added);
      owned = mark(added);
    }
    return new Plan(
        next, owned, added, removed, due, !next.equals(current) || !Objects.equals(mark, owned));
  }

  private static boolean isNoExecute(Taint t) {
    return Karmada.TAINT_EFFECT_NO_EXECUTE.equals(t.getEffect());
  }

  private static String mark(Taint t) {
    return t.getKey() + "@" + t.getTimeAdded();
  }

  /**
   * The condition's {@code lastTransitionTime}; without one (a status not written by the gateway),
   * the Cluster's creation, else now.
   */
  private static Instant notReadySince(Cluster cluster, Condition ready, Instant now) {
    for (String t :
        new String[] {
          ready.getLastTransitionTime(), cluster.getMetadata().getCreationTimestamp()
        }) {
      if (t != null && !t.isEmpty()) {
        try {
          return Instant.parse(t);
        } catch (DateTimeParseException e) {
          // the next one
        }
      }
    }
    return now;
  }

  Mono<Result> reconcile(String name) {
    Optional<Cluster> found = members.cluster(name);
    if (found.isEmpty()) {
      return Mono.just(Result.done());
    }
    Cluster cluster = found.get();
    Plan plan = plan(cluster, failover, clock.instant());
    Result result = plan.due() == null ? Result.done() : Result.requeueAfter(plan.due());
    if (!plan.changed()) {
      return Mono.just(result);
    }
    Map<String, String> annotations =
        new HashMap<>(
            cluster.getMetadata().getAnnotations() == null
                ? Map.of()
                : cluster.getMetadata().getAnnotations());
    if (plan.owned() == null) {
      annotations.remove(OWNED_TAINT_ANNOTATION);
    } else {
      annotations.put(OWNED_TAINT_ANNOTATION, plan.owned());
    }
    ObjectMeta meta =
        new ObjectMetaBuilder(cluster.getMetadata())
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .build();
    Cluster next =
        cluster
            .withMetadata(meta)
            .withSpec(cluster.spec().withTaints(plan.taints().isEmpty() ? null : plan.taints()));
    Condition ready = ClusterStatusController.readyCondition(nullToEmpty(cluster.status()));
    return clusters
        .update(next)
        .flatMap(
            written -> {
              List<Mono<Void>> recorded = new ArrayList<>();
              if (plan.removed() != null) {
                String why =
                    ready == null
                        ? ""
                        : ": Ready="
                            + ready.getStatus()
                            + (failover.enabled() ? "" : ", failover off");
                recorded.add(recordTaint(written, "Removed", plan.removed(), why));
              }
              if (plan.added() != null) {
                String why =
                    ": Ready="
                        + ready.getStatus()
                        + " since "
                        + ready.getLastTransitionTime()
                        + ", longer than the failover eviction timeout "
                        + failover.evictionTimeout();
                recorded.add(recordTaint(written, "Added", plan.added(), why));
              }
              return Mono.when(recorded).thenReturn(result);
            })
        .onErrorResume(
            e -> e instanceof ApiException a && a.code() == 409,
            // Written meanwhile (the status controller's taints, or this cache behind its own
            // last write): looked at again from the newer copy, no failure.
            e -> Mono.just(Result.requeue()))
        .onErrorResume(
            e -> !(e instanceof ApiException a && a.code() == 409),
            e ->
                events
                    .warning(cluster, Karmada.EVENT_REASON_TAINT_CLUSTER_FAILED, e.getMessage())
                    .then(Mono.error(e)));
  }

  private Mono<Void> recordTaint(Cluster cluster, String verb, Taint taint, String why) {
    String message = verb + " taint " + taint.getKey() + ":" + taint.getEffect() + why;
    log.info("cluster " + cluster.getMetadata().getName() + ": " + message);
    return events.normal(cluster, Karmada.EVENT_REASON_TAINT_CLUSTER_SUCCEED, message);
  }

  private static ClusterStatus nullToEmpty(ClusterStatus s) {
    return s != null ? s : new ClusterStatus(null, null, null, null, null, null);
  }
}
