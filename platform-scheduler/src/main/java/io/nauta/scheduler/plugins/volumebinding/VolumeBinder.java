package io.nauta.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.scheduler.framework.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a pod's volume bindings before the pod is bound, as Kubernetes' volume binder does: each
 * chosen static volume gets its {@code claimRef} (an update on the version the choice was made on,
 * so a volume taken meanwhile is a conflict, not a double booking), each claim to provision gets
 * {@code volume.kubernetes.io/selected-node}. Then it waits, on every claim or volume change and
 * once a second, until the PV controller (and the provisioner) have bound every claim, up to the
 * bind timeout. A failure takes back the selected node from claims still unbound.
 */
public final class VolumeBinder {

  private static final Log log = LogFactory.getLog(VolumeBinder.class);

  private final VolumeCache cache;
  private final ResourceClient<PersistentVolume> volumes;
  private final ResourceClient<PersistentVolumeClaim> claims;
  private final JsonMapper mapper;
  private final Duration bindTimeout;
  private final Duration pollInterval;

  public VolumeBinder(
      VolumeCache cache,
      ResourceClient<PersistentVolume> volumes,
      ResourceClient<PersistentVolumeClaim> claims,
      JsonMapper mapper,
      Duration bindTimeout,
      Duration pollInterval) {
    this.cache = cache;
    this.volumes = volumes;
    this.claims = claims;
    this.mapper = mapper;
    this.bindTimeout = bindTimeout;
    this.pollInterval = pollInterval;
  }

  /** Why the bindings cannot complete (upstream's checkBindings errors). */
  static final class BindingFailed extends RuntimeException {
    BindingFailed(String message) {
      super(message, null, false, false);
    }
  }

  Mono<Status> bind(VolumeBinding.Reserved reserved, String nodeName) {
    Mono<Void> writes =
        Flux.concat(
                Flux.fromIterable(reserved.volumes()).concatMap(pv -> volumes.update(pv).then()),
                Flux.fromIterable(reserved.claims())
                    .filter(c -> !Volumes.fullyBound(c))
                    .concatMap(c -> selectNode(c, nodeName)))
            .then();
    Mono<Boolean> bound =
        Flux.merge(Flux.interval(Duration.ZERO, pollInterval), cache.changes())
            .onBackpressureDrop()
            .concatMap(tick -> Mono.fromCallable(() -> check(reserved, nodeName)), 1)
            .filter(Boolean::booleanValue)
            .next();
    return writes
        .then(bound)
        .timeout(bindTimeout, Mono.error(new TimeoutException("context deadline exceeded")))
        .thenReturn(Status.success())
        .onErrorResume(
            e -> {
              String message = "binding volumes: " + message(e);
              log.info(message);
              return release(reserved, nodeName).thenReturn(Status.error(message));
            });
  }

  private Mono<Void> selectNode(PersistentVolumeClaim claim, String nodeName) {
    String patch =
        mapper.writeValueAsString(
            Map.of("metadata", Map.of("annotations", Map.of(Volumes.SELECTED_NODE, nodeName))));
    return claims
        .patch(
            claim.getMetadata().getNamespace(),
            claim.getMetadata().getName(),
            PatchType.MERGE,
            patch)
        .then();
  }

  /**
   * Whether every claim is bound now; throws {@link BindingFailed} when it never will be this way
   * (a provisioner gave the claim up, a volume's claimRef was reset or its node affinity changed).
   */
  boolean check(VolumeBinding.Reserved reserved, String nodeName) {
    Node node = reserved.node();
    for (PersistentVolume assumed : reserved.volumes()) {
      String name = assumed.getMetadata().getName();
      PersistentVolume pv = cache.volume(name);
      if (pv == null) {
        throw new BindingFailed("pv \"" + name + "\" not found");
      }
      if (!Volumes.nodeAffinityMatches(pv, node)) {
        throw new BindingFailed(
            "pv \"" + name + "\" node affinity doesn't match node \"" + nodeName + "\"");
      }
      if (pv.getSpec().getClaimRef() == null
          || pv.getSpec().getClaimRef().getUid() == null
          || pv.getSpec().getClaimRef().getUid().isEmpty()) {
        throw new BindingFailed("ClaimRef got reset for pv \"" + name + "\"");
      }
      String ns = pv.getSpec().getClaimRef().getNamespace();
      String claimName = pv.getSpec().getClaimRef().getName();
      PersistentVolumeClaim claim = cache.claim(ns, claimName);
      if (claim == null) {
        throw new BindingFailed("pvc \"" + ns + "/" + claimName + "\" not found");
      }
      if (!Volumes.fullyBound(claim)) {
        return false;
      }
    }
    for (PersistentVolumeClaim assumed : reserved.claims()) {
      String ns = assumed.getMetadata().getNamespace();
      String claimName = assumed.getMetadata().getName();
      PersistentVolumeClaim claim = cache.claim(ns, claimName);
      if (claim == null) {
        throw new BindingFailed("pvc \"" + ns + "/" + claimName + "\" not found");
      }
      if (!nodeName.equals(Volumes.selectedNode(claim))) {
        // A provisioner that cannot provision takes the annotation away to ask for another node.
        throw new BindingFailed("provisioning failed for PVC \"" + claimName + "\"");
      }
      String volumeName = Volumes.volumeName(claim);
      if (!volumeName.isEmpty()) {
        PersistentVolume pv = cache.volume(volumeName);
        if (pv == null) {
          // Not seen yet; a volume that was deleted unbinds the claim in the end.
          return false;
        }
        if (!Volumes.nodeAffinityMatches(pv, node)) {
          throw new BindingFailed(
              "pv \"" + volumeName + "\" node affinity doesn't match node \"" + nodeName + "\"");
        }
      }
      if (!Volumes.fullyBound(claim)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Takes {@code volume.kubernetes.io/selected-node: nodeName} off the claims that still carry it
   * unbound; never fails (a claim gone or changed meanwhile is left as it is).
   */
  Mono<Void> release(VolumeBinding.Reserved reserved, String nodeName) {
    Map<String, Object> remove = new java.util.HashMap<>();
    remove.put(Volumes.SELECTED_NODE, null);
    String patch = mapper.writeValueAsString(Map.of("metadata", Map.of("annotations", remove)));
    return Flux.fromIterable(reserved.claims())
        .concatMap(
            assumed -> {
              String ns = assumed.getMetadata().getNamespace();
              String name = assumed.getMetadata().getName();
              PersistentVolumeClaim claim = cache.claim(ns, name);
              if (claim == null
                  || !Volumes.volumeName(claim).isEmpty()
                  || !nodeName.equals(Volumes.selectedNode(claim))) {
                return Mono.empty();
              }
              return claims
                  .patch(ns, name, PatchType.MERGE, patch)
                  .then()
                  .onErrorResume(
                      e -> {
                        log.info(
                            "could not take the selected node off " + ns + "/" + name + ": " + e);
                        return Mono.empty();
                      });
            })
        .then();
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
