package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.nauta.controllers.pods.Adoption;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.registry.BuiltInResources;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/** {@link DaemonSetClient} on the API server. */
final class ApiDaemonSetClient implements DaemonSetClient {

  private final KubeClient client;
  private final ResourceClient<Pod> pods;
  private final ResourceClient<DaemonSet> daemonSets;
  private final ResourceClient<ControllerRevision> revisions;
  private final EventRecorder events;

  ApiDaemonSetClient(KubeClient client, EventRecorder events) {
    this.client = client;
    this.pods = client.resource(BuiltInResources.PODS, Pod.class);
    this.daemonSets = client.resource(BuiltInResources.DAEMONSETS, DaemonSet.class);
    this.revisions =
        client.resource(BuiltInResources.CONTROLLER_REVISIONS, ControllerRevision.class);
    this.events = events;
  }

  @Override
  public Mono<Pod> createPod(Pod pod) {
    return pods.create(pod);
  }

  @Override
  public Mono<Void> deletePod(String namespace, String name, boolean force) {
    return force
        ? pods.delete(
            namespace, name, new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build())
        : pods.delete(namespace, name);
  }

  @Override
  public Mono<ControllerRevision> createRevision(ControllerRevision revision) {
    return revisions.create(revision);
  }

  @Override
  public Mono<ControllerRevision> getRevision(String namespace, String name) {
    return revisions.get(namespace, name);
  }

  @Override
  public Mono<ControllerRevision> setRevisionNumber(ControllerRevision revision, long number) {
    return revisions.patch(
        revision.getMetadata().getNamespace(),
        revision.getMetadata().getName(),
        PatchType.MERGE,
        "{\"revision\":" + number + "}");
  }

  @Override
  public Mono<Void> deleteRevision(String namespace, String name) {
    return revisions.delete(namespace, name);
  }

  /** A merge patch naming every field, so it needs no resourceVersion. */
  @Override
  public Mono<Void> updateStatus(DaemonSet ds, DaemonSetStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("currentNumberScheduled", status.getCurrentNumberScheduled());
    s.put("numberMisscheduled", status.getNumberMisscheduled());
    s.put("desiredNumberScheduled", status.getDesiredNumberScheduled());
    s.put("numberReady", status.getNumberReady());
    s.put("observedGeneration", status.getObservedGeneration());
    s.put("updatedNumberScheduled", status.getUpdatedNumberScheduled());
    s.put("numberAvailable", status.getNumberAvailable());
    s.put("numberUnavailable", status.getNumberUnavailable());
    if (status.getCollisionCount() != null) {
      // never null: a stale cache must not take a counted collision back
      s.put("collisionCount", status.getCollisionCount());
    }
    String patch = client.mapper().writeValueAsString(Map.of("status", s));
    return daemonSets
        .patchStatus(
            ds.getMetadata().getNamespace(), ds.getMetadata().getName(), PatchType.MERGE, patch)
        .then();
  }

  @Override
  public Mono<DaemonSet> getDaemonSet(String namespace, String name) {
    return daemonSets.get(namespace, name);
  }

  @Override
  public Mono<Void> adopt(HasMetadata child, DaemonSet ds) {
    String body = Adoption.controllerPatch(client, child, ds);
    String ns = child.getMetadata().getNamespace();
    String name = child.getMetadata().getName();
    Mono<?> patched =
        child instanceof Pod
            ? pods.patch(ns, name, PatchType.STRATEGIC_MERGE, body)
            : revisions.patch(ns, name, PatchType.STRATEGIC_MERGE, body);
    return patched.then().onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Void> event(DaemonSet ds, String type, String reason, String message) {
    return events.record(ds, type, reason, message);
  }
}
