package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodObjects;
import io.nauta.agent.runtime.volumes.ClaimedVolume;
import io.nauta.agent.runtime.volumes.HostPathCheck;
import io.nauta.agent.runtime.volumes.ProjectedDir;
import io.nauta.agent.runtime.volumes.VolumePayloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pod's volumes, set up on the host before its sandbox exists (as the kubelet mounts volumes
 * before it starts a pod) and bind-mounted into its containers per {@code volumeMounts}. They live
 * under {@code <rootDir>/pods/<uid>/volumes/<plugin>/<name>} (the kubelet's layout), so every
 * container and every restart of one sees the same content, and an agent that restarts finds it
 * again:
 *
 * <ul>
 *   <li>{@code emptyDir}: an empty 0777 directory (with the pod's {@code fsGroup}: that group's,
 *       setgid, as the kubelet's SetVolumeOwnership makes it); with {@code medium: Memory} a Docker
 *       volume on tmpfs ({@code sizeLimit} as its size), labelled with the pod, shared by the pod's
 *       containers;
 *   <li>{@code configMap} and {@code secret}: the object's files ({@link VolumePayloads}), written
 *       atomically ({@link ProjectedDir}) on every sync so changes reach running containers, always
 *       mounted read-only; once written, a volume keeps its content when its object goes away;
 *   <li>{@code projected}: its ConfigMap, Secret, downward API and service account token sources
 *       ({@link VolumePayloads#projected}) written as one such volume, on every sync, so a
 *       refreshed token reaches the files; read-only;
 *   <li>{@code hostPath}: the host's path itself after its {@code type} check ({@link
 *       HostPathCheck}); never removed;
 *   <li>{@code persistentVolumeClaim}: the host path of the claim's bound volume ({@code local} or
 *       {@code hostPath}; {@link ClaimedVolume}), read-only when the volume says {@code readOnly};
 *       never removed (the volume outlives the pod). A claim that is missing or not bound yet keeps
 *       the pod waiting, as any volume not ready does.
 * </ul>
 *
 * A volume that cannot be set up gets a {@code FailedMount} event, and the pod starts nothing until
 * it can. {@link #remove} deletes the pod's directory and tmpfs volumes once its containers are
 * gone.
 */
final class PodVolumes {

  static final String EMPTY_DIR = "kubernetes.io~empty-dir";
  static final String CONFIG_MAP = "kubernetes.io~configmap";
  static final String SECRET = "kubernetes.io~secret";
  static final String PROJECTED = "kubernetes.io~projected";

  /**
   * Where a volume's content is on the host.
   *
   * @param source a host path, or the name of a Docker volume
   * @param dockerVolume whether {@code source} names a Docker volume
   * @param readOnly whether every mount of it is read-only
   */
  record Source(String source, boolean dockerVolume, boolean readOnly) {}

  /**
   * @param sources every volume that is set up, by name
   * @param ready whether all of them are
   */
  record Mounted(Map<String, Source> sources, boolean ready) {}

  /** A container's binds, or why it cannot get them. */
  record Binds(List<Bind> binds, String error) {}

  private final DockerClient docker;
  private final String node;
  private final Path rootDir;
  private final PodEvents events;

  /** {@code <pod uid>/<claim>} of the claims pods have mounted (since this agent started). */
  private final Set<String> mountedClaims = ConcurrentHashMap.newKeySet();

  PodVolumes(DockerClient docker, String node, Path rootDir, PodEvents events) {
    this.docker = docker;
    this.node = node;
    this.rootDir = rootDir.toAbsolutePath();
    this.events = events;
  }

  Path podDir(String uid) {
    return rootDir.resolve("pods").resolve(uid);
  }

  Mounted setUp(Pod pod, PodObjects objects) {
    String uid = pod.getMetadata().getUid();
    Path volumes = podDir(uid).resolve("volumes");
    Map<String, Source> sources = new LinkedHashMap<>();
    boolean ready = true;
    List<io.fabric8.kubernetes.api.model.Volume> specs = pod.getSpec().getVolumes();
    for (io.fabric8.kubernetes.api.model.Volume v :
        specs == null ? List.<io.fabric8.kubernetes.api.model.Volume>of() : specs) {
      String error;
      try {
        error = setUp(pod, v, volumes, objects, sources);
      } catch (IOException | RuntimeException e) {
        error = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (error != null) {
        ready = false;
        events.warning(
            PodEvents.PodRef.of(pod),
            "FailedMount",
            "MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + error);
      }
    }
    return new Mounted(sources, ready);
  }

  /** Sets one volume up and adds its source; answers Kubernetes' message if it cannot. */
  private String setUp(
      Pod pod,
      io.fabric8.kubernetes.api.model.Volume v,
      Path volumes,
      PodObjects objects,
      Map<String, Source> sources)
      throws IOException {
    String name = v.getName();
    if (v.getEmptyDir() != null) {
      if ("Memory".equals(v.getEmptyDir().getMedium())) {
        sources.put(
            name, new Source(tmpfsVolume(pod, name, v.getEmptyDir().getSizeLimit()), true, false));
        return null;
      }
      Path dir = volumes.resolve(EMPTY_DIR).resolve(name);
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        // Kubernetes' emptyDir is world-writable, so containers running as any user can use it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Long fsGroup = fsGroup(pod);
        if (fsGroup != null) {
          // The kubelet's SetVolumeOwnership: the pod's fsGroup owns it, and (setgid) what is
          // written in it.
          Files.setAttribute(dir, "unix:gid", fsGroup.intValue());
          Files.setAttribute(dir, "unix:mode", 02777);
        }
      }
      sources.put(name, new Source(dir.toString(), false, false));
      return null;
    }
    if (v.getConfigMap() != null || v.getSecret() != null) {
      boolean isConfigMap = v.getConfigMap() != null;
      Path dir = volumes.resolve(isConfigMap ? CONFIG_MAP : SECRET).resolve(name);
      VolumePayloads.Payload payload =
          isConfigMap
              ? VolumePayloads.configMap(
                  v.getConfigMap(), objects.configMap(v.getConfigMap().getName()))
              : VolumePayloads.secret(v.getSecret(), objects.secret(v.getSecret().getSecretName()));
      return writeFiles(name, dir, payload, sources);
    }
    if (v.getProjected() != null) {
      Path dir = volumes.resolve(PROJECTED).resolve(name);
      VolumePayloads.Payload payload =
          VolumePayloads.projected(name, v.getProjected(), pod, objects);
      return writeFiles(name, dir, payload, sources);
    }
    if (v.getHostPath() != null) {
      String path = v.getHostPath().getPath();
      String error = HostPathCheck.check(path, v.getHostPath().getType());
      if (error != null) {
        return error;
      }
      sources.put(name, new Source(path, false, false));
      return null;
    }
    if (v.getPersistentVolumeClaim() != null) {
      String claim = v.getPersistentVolumeClaim().getClaimName();
      String key = pod.getMetadata().getUid() + "/" + claim;
      ClaimedVolume.Source source =
          objects.claim(claim).source(claim, true, mountedClaims.contains(key));
      if (source.error() != null) {
        return source.error();
      }
      mountedClaims.add(key);
      sources.put(
          name,
          new Source(
              source.path(),
              false,
              Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())));
      return null;
    }
    return "volume type is not supported by this node (emptyDir, configMap, secret, projected,"
        + " hostPath and persistentVolumeClaim are)";
  }

  private static Long fsGroup(Pod pod) {
    var context = pod.getSpec().getSecurityContext();
    return context == null ? null : context.getFsGroup();
  }

  /**
   * Writes a volume's files and adds it, read-only; answers the payload's error if it has one and
   * the volume was never written (once written, the kubelet keeps the last content, e.g. a token
   * still valid, when an update fails).
   */
  private static String writeFiles(
      String name, Path dir, VolumePayloads.Payload payload, Map<String, Source> sources)
      throws IOException {
    if (payload.error() != null) {
      if (!ProjectedDir.populated(dir)) {
        return payload.error();
      }
    } else {
      ProjectedDir.write(dir, payload.files());
    }
    sources.put(name, new Source(dir.toString(), false, true));
    return null;
  }

  /** A Docker volume on tmpfs for an emptyDir of medium Memory; created once. */
  private String tmpfsVolume(Pod pod, String volume, Quantity sizeLimit) {
    String name = "nauta_" + pod.getMetadata().getUid() + "_" + volume;
    try {
      InspectVolumeResponse existing = docker.inspectVolumeCmd(name).exec();
      return existing.getName();
    } catch (NotFoundException e) {
      // Not made yet.
    }
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("type", "tmpfs");
    opts.put("device", "tmpfs");
    if (sizeLimit != null) {
      opts.put("o", "size=" + Quantity.getAmountInBytes(sizeLimit).toBigInteger());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(DockerLabels.NODE, node);
    labels.put(DockerLabels.POD_UID, pod.getMetadata().getUid());
    labels.put(DockerLabels.POD_NAMESPACE, pod.getMetadata().getNamespace());
    labels.put(DockerLabels.POD_NAME, pod.getMetadata().getName());
    return docker
        .createVolumeCmd()
        .withName(name)
        .withDriver("local")
        .withDriverOpts(opts)
        .withLabels(labels)
        .exec()
        .getName();
  }

  /** The container's {@code volumeMounts} as Docker binds. */
  Binds binds(Container container, Mounted mounted) {
    List<Bind> binds = new ArrayList<>();
    List<VolumeMount> mounts = container.getVolumeMounts();
    for (VolumeMount m : mounts == null ? List.<VolumeMount>of() : mounts) {
      Source s = mounted.sources().get(m.getName());
      if (s == null) {
        return new Binds(
            null,
            "cannot find volume \""
                + m.getName()
                + "\" to mount into container \""
                + container.getName()
                + "\"");
      }
      String source = s.source();
      String subPath = m.getSubPath();
      if (subPath != null && !subPath.isEmpty()) {
        if (s.dockerVolume()) {
          return new Binds(
              null,
              "subPath "
                  + subPath
                  + " of volume \""
                  + m.getName()
                  + "\": subPath is not supported on emptyDir volumes of medium Memory on this node");
        }
        try {
          source = subPath(Path.of(source), subPath);
        } catch (IOException | IllegalArgumentException e) {
          return new Binds(
              null,
              "failed to prepare subPath for volumeMount \""
                  + m.getName()
                  + "\" of container \""
                  + container.getName()
                  + "\": "
                  + e.getMessage());
        }
      }
      boolean readOnly = s.readOnly() || Boolean.TRUE.equals(m.getReadOnly());
      binds.add(
          new Bind(source, new Volume(m.getMountPath()), readOnly ? AccessMode.ro : AccessMode.rw));
    }
    return new Binds(binds, null);
  }

  /**
   * A subPath inside a volume: it must stay inside it (symlinks included) and is created as a
   * directory when missing, as the kubelet does.
   */
  private static String subPath(Path base, String subPath) throws IOException {
    Path sub = base.resolve(subPath).normalize();
    if (Path.of(subPath).isAbsolute() || !sub.startsWith(base)) {
      throw new IllegalArgumentException("subPath " + subPath + " leaves the volume");
    }
    if (!Files.exists(sub, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(sub);
    }
    Path real = sub.toRealPath();
    if (!real.startsWith(base.toRealPath())) {
      throw new IllegalArgumentException("subPath " + subPath + " leaves the volume");
    }
    return real.toString();
  }

  /**
   * Deletes the pod's volumes (never a hostPath's content: it is not under the pod's directory).
   */
  void remove(String uid) {
    mountedClaims.removeIf(k -> k.startsWith(uid + "/"));
    try {
      ProjectedDir.deleteTree(podDir(uid));
    } catch (IOException e) {
      throw new IllegalStateException("removing the volumes of pod " + uid + " failed: " + e, e);
    }
    List<InspectVolumeResponse> tmpfs =
        docker
            .listVolumesCmd()
            .withFilter("label", List.of(DockerLabels.POD_UID + "=" + uid))
            .exec()
            .getVolumes();
    for (InspectVolumeResponse v : tmpfs == null ? List.<InspectVolumeResponse>of() : tmpfs) {
      try {
        docker.removeVolumeCmd(v.getName()).exec();
      } catch (NotFoundException | ConflictException e) {
        // Gone already, or still in use by a container being removed: the next kill retries.
      }
    }
  }
}
