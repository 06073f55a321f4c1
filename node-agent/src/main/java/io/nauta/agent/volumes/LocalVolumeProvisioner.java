package io.nauta.agent.volumes;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code nauta.io/local-volume} provisioner of the nodes this agent runs, as an external
 * provisioner (sig-storage-lib-external-provisioner) works, with node-local volumes ({@link
 * LocalVolumes}, {@link VolumeDirectories}):
 *
 * <ul>
 *   <li>a claim of its ({@link LocalVolumes#provisions}) whose {@code
 *       volume.kubernetes.io/selected-node} is one of these nodes gets the directory {@code
 *       <root>/volumes/pvc-<uid>} and the PersistentVolume {@code pvc-<uid>} on that node, claimed
 *       by it; events {@code Provisioning}, {@code ProvisioningSucceeded}, {@code
 *       ProvisioningFailed} on the claim. The name is the claim's uid, so a retry after a crash or
 *       a lost answer finds the volume it made ({@code AlreadyExists} of its own volume is
 *       success), and a claim never gets two;
 *   <li>a volume it made on one of these nodes that is {@code Released} with reclaim policy {@code
 *       Delete} loses its directory, then the PersistentVolume ({@code VolumeFailedDelete} on the
 *       volume when that fails);
 *   <li>an empty directory with neither volume nor claim (a claim deleted between the directory and
 *       its volume) is removed. One with data is kept: a Retain volume an administrator deleted, or
 *       a store that lost its objects (a rewound Redis), must not cost the data.
 * </ul>
 *
 * Its informers are its own, not the agent's shared ones: a provisioner that cannot read claims (a
 * cluster without the storage kinds, or without the {@code nauta:local-volume-provisioner} role)
 * retries on its own and never keeps the agent's pods from running.
 */
public final class LocalVolumeProvisioner {

  private static final Log log = LogFactory.getLog(LocalVolumeProvisioner.class);
  private static final String BY_UID = "uid";

  /** A failed claim or volume is retried after 0.5 s, doubling up to 5 min. */
  private static final Duration BASE_DELAY = Duration.ofMillis(500);

  private static final Duration MAX_DELAY = Duration.ofMinutes(5);

  private final KubeClient client;
  private final Set<String> nodes;
  private final VolumeDirectories directories;
  private final ResourceClient<PersistentVolume> volumeClient;
  private final SharedInformer<PersistentVolumeClaim> claims;
  private final SharedInformer<StorageClass> classes;
  private final SharedInformer<PersistentVolume> volumes;
  private final Controller provisioning;
  private final Controller reclaiming;
  private final Map<String, EventRecorder> recorders = new ConcurrentHashMap<>();

  /** Volumes created whose creation the informer has not shown yet (expectations). */
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  private Disposable waiting;

  /**
   * @param nodes the nodes whose claims this provisioner serves (every node of the agent)
   */
  public LocalVolumeProvisioner(
      KubeClient client, Collection<String> nodes, VolumeDirectories directories, int workers) {
    this.client = client;
    this.nodes = Set.copyOf(nodes);
    this.directories = directories;
    this.volumeClient =
        client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    this.claims =
        new SharedInformer<>(
            client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class),
            null);
    this.classes =
        new SharedInformer<>(
            client.resource(BuiltInResources.STORAGE_CLASSES, StorageClass.class), null);
    this.volumes = new SharedInformer<>(volumeClient, null);
    claims.store().addIndex(BY_UID, c -> List.of(c.getMetadata().getUid()));
    this.provisioning =
        Controller.builder("local-volume-provisioner")
            .workers(workers)
            .primary(claims)
            .watch(classes, e -> claimsOfClass(e.object().getMetadata().getName()))
            .watch(volumes, this::claimOfVolume)
            .reconcile(this::provision)
            .backoff(BASE_DELAY, MAX_DELAY)
            .build();
    this.reclaiming =
        Controller.builder("local-volume-reclaimer")
            .workers(workers)
            .primary(volumes)
            .watch(claims, this::volumeOfDeletedClaim)
            .reconcile(this::reclaim)
            .backoff(BASE_DELAY, MAX_DELAY)
            .build();
  }

  /** Starts the informers; the controllers run once all three have synced. */
  public synchronized void start() {
    claims.start();
    classes.start();
    volumes.start();
    waiting =
        Mono.when(claims.synced(), classes.synced(), volumes.synced())
            .then(Mono.fromRunnable(this::startControllers))
            .subscribe(null, e -> log.error("local volume provisioner failed to start", e));
  }

  private synchronized void startControllers() {
    provisioning.start();
    reclaiming.start();
    // Directories left by a claim deleted before its volume existed.
    call(directories::existing)
        .subscribe(names -> names.forEach(reclaiming::enqueue), e -> log.warn(e.toString()));
  }

  public synchronized void stop() {
    if (waiting != null) {
      waiting.dispose();
    }
    provisioning.stop();
    reclaiming.stop();
    claims.close();
    classes.close();
    volumes.close();
  }

  /** The claims of a class that may wait for a volume. */
  private List<String> claimsOfClass(String className) {
    return claims.store().list().stream()
        .filter(c -> className.equals(LocalVolumes.claimClass(c)))
        .filter(
            c ->
                c.getSpec() == null
                    || c.getSpec().getVolumeName() == null
                    || c.getSpec().getVolumeName().isEmpty())
        .map(InformerStore::keyOf)
        .toList();
  }

  /** A volume of this provisioner changed: its claim is looked at again (one deleted: re-made). */
  private List<String> claimOfVolume(InformerEvent<PersistentVolume> e) {
    PersistentVolume v = e.object();
    created.remove(v.getMetadata().getName());
    var ref = v.getSpec() == null ? null : v.getSpec().getClaimRef();
    if (!LocalVolumes.isOurs(v) || ref == null) {
      return List.of();
    }
    return List.of(InformerStore.key(ref.getNamespace(), ref.getName()));
  }

  /** A deleted claim's volume name, for a directory that may have no volume. */
  private List<String> volumeOfDeletedClaim(InformerEvent<PersistentVolumeClaim> e) {
    return e.type() == InformerEvent.Type.DELETED
        ? List.of(LocalVolumes.volumeName(e.object()))
        : List.of();
  }

  Mono<Result> provision(String key) {
    PersistentVolumeClaim claim = claims.store().get(key).orElse(null);
    if (claim == null) {
      return Mono.just(Result.done());
    }
    String node = LocalVolumes.selectedNode(claim);
    if (node == null || !nodes.contains(node)) {
      return Mono.just(Result.done());
    }
    String className = LocalVolumes.claimClass(claim);
    Optional<StorageClass> storageClass = classes.store().get(null, className);
    if (!LocalVolumes.provisions(claim, storageClass)) {
      return Mono.just(Result.done());
    }
    String name = LocalVolumes.volumeName(claim);
    Optional<PersistentVolume> existing = volumes.store().get(null, name);
    if (existing.isPresent()) {
      return LocalVolumes.madeFor(existing.get(), claim)
          ? Mono.just(Result.done())
          : failed(claim, node, className, notOurs(name));
    }
    if (created.contains(name)) {
      return Mono.just(Result.done());
    }
    if (storageClass.isEmpty()) {
      return failed(
          claim, node, className, "storageclass.storage.k8s.io \"" + className + "\" not found");
    }
    String unsupported = LocalVolumes.unsupported(claim);
    if (unsupported != null) {
      return failed(claim, node, className, unsupported);
    }
    Path path = directories.path(name);
    PersistentVolume volume = LocalVolumes.volume(claim, storageClass.get(), node, path);
    return recorder(node)
        .normal(
            claim,
            "Provisioning",
            "External provisioner is provisioning volume for claim \"" + key + "\"")
        .then(blocking(() -> directories.create(name)))
        .then(createVolume(volume, claim))
        .doOnNext(v -> created.add(name))
        .flatMap(
            v ->
                recorder(node)
                    .normal(
                        claim, "ProvisioningSucceeded", "Successfully provisioned volume " + name)
                    .thenReturn(Result.done()))
        .onErrorResume(e -> failed(claim, node, className, message(e)));
  }

  /** Creates the volume; one already there that this provisioner made for the claim is success. */
  private Mono<PersistentVolume> createVolume(
      PersistentVolume volume, PersistentVolumeClaim claim) {
    String name = volume.getMetadata().getName();
    return volumeClient
        .create(volume)
        .onErrorResume(
            AlreadyExistsException.class,
            e ->
                volumeClient
                    .get(null, name)
                    .flatMap(
                        found ->
                            LocalVolumes.madeFor(found, claim)
                                ? Mono.just(found)
                                : Mono.error(new IllegalStateException(notOurs(name)))));
  }

  private static String notOurs(String name) {
    return "persistentvolume \"" + name + "\" exists and was not provisioned for this claim";
  }

  /** {@code ProvisioningFailed} on the claim, then a retry with back-off. */
  private Mono<Result> failed(
      PersistentVolumeClaim claim, String node, String className, String why) {
    String message = "failed to provision volume with StorageClass \"" + className + "\": " + why;
    return recorder(node)
        .warning(claim, "ProvisioningFailed", message)
        .then(Mono.error(new IllegalStateException(message)));
  }

  Mono<Result> reclaim(String name) {
    PersistentVolume volume = volumes.store().get(null, name).orElse(null);
    if (volume == null) {
      return removeOrphan(name);
    }
    String node = LocalVolumes.node(volume);
    if (!LocalVolumes.isOurs(volume)
        || node == null
        || !nodes.contains(node)
        || !LocalVolumes.releasedForDeletion(volume)) {
      return Mono.just(Result.done());
    }
    String path =
        volume.getSpec().getLocal() == null ? null : volume.getSpec().getLocal().getPath();
    Path expected;
    try {
      expected = directories.path(name);
    } catch (IllegalArgumentException e) {
      return Mono.just(Result.done());
    }
    if (path == null || !Path.of(path).normalize().equals(expected)) {
      // Never remove a directory this provisioner did not make (another root, a hand-made path).
      return recorder(node)
          .warning(
              volume,
              "VolumeFailedDelete",
              "path " + path + " is not this provisioner's directory " + expected)
          .thenReturn(Result.done());
    }
    Mono<Void> delete =
        volume.getMetadata().getDeletionTimestamp() != null
            ? Mono.empty()
            : volumeClient
                .delete(
                    null,
                    name,
                    new DeleteOptionsBuilder()
                        .withNewPreconditions()
                        .withUid(volume.getMetadata().getUid())
                        .endPreconditions()
                        .build())
                .onErrorResume(NotFoundException.class, e -> Mono.empty());
    return blocking(() -> directories.remove(name))
        .then(delete)
        .thenReturn(Result.done())
        .doOnNext(r -> log.info("deleted local volume " + name + " of node " + node))
        .onErrorResume(
            e ->
                recorder(node)
                    .warning(volume, "VolumeFailedDelete", message(e))
                    .then(Mono.error(e)));
  }

  /**
   * Removes an empty directory without a volume whose claim is gone too (one being provisioned has
   * its claim, or was just created); a directory holding data is left, with a log line.
   */
  private Mono<Result> removeOrphan(String name) {
    if (!name.startsWith("pvc-") || created.contains(name)) {
      return Mono.just(Result.done());
    }
    String uid = name.substring("pvc-".length());
    if (!claims.store().byIndex(BY_UID, uid).isEmpty()) {
      return Mono.just(Result.done());
    }
    return call(() -> {
          if (directories.existing().contains(name)) {
            if (directories.removeIfEmpty(name)) {
              log.info("removed local volume directory " + name + ": no volume, no claim");
            } else {
              log.info(
                  "kept local volume directory "
                      + name
                      + ": no volume and no claim, but it holds data (remove it by hand)");
            }
          }
          return null;
        })
        .thenReturn(Result.done());
  }

  private EventRecorder recorder(String node) {
    return recorders.computeIfAbsent(
        node, n -> new EventRecorder(client, LocalVolumes.PROVISIONER + "_" + n, null));
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Runs file-system work off the event loop. */
  private static <T> Mono<T> call(Callable<T> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }

  private static Mono<Void> blocking(IoRunnable run) {
    return Mono.<Void>fromCallable(
            () -> {
              run.run();
              return null;
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  @FunctionalInterface
  private interface IoRunnable {
    void run() throws Exception;
  }
}
