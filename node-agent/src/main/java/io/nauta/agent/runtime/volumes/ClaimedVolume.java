package io.nauta.agent.runtime.volumes;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pod's {@code persistentVolumeClaim} volume as the API has it: the claim (null: it does not
 * exist) and, once it is bound, its PersistentVolume (null: not read, or it does not exist).
 *
 * <p>What the pod gets is the volume's host path: a {@code local} volume's {@code path} or a {@code
 * hostPath} volume's, the latter with its {@code type} check ({@link HostPathCheck}), as the
 * kubelet's local and hostPath plugins mount them. Only administrators and provisioners make
 * PersistentVolumes, so their paths are trusted; a pod's own inline {@code hostPath} is not widened
 * by this. A claim is the pod's only when the volume says so: its {@code claimRef} must name the
 * claim's uid (the kubelet's check), so a claim that names someone else's volume in {@code
 * volumeName} gets nothing.
 */
public record ClaimedVolume(PersistentVolumeClaim claim, PersistentVolume volume) {

  public static final ClaimedVolume MISSING = new ClaimedVolume(null, null);

  /**
   * The host path to bind for claim {@code claimName}, or why there is none yet.
   *
   * @param path the host path, null when {@code error} says why not
   */
  public record Source(String path, String error) {}

  /** The claim's volume on this host for a pod that has not mounted it yet, checked on disk. */
  public Source source(String claimName) {
    return source(claimName, true, false);
  }

  /**
   * @param checkFiles whether the path is checked on this host's file system: not for the simulated
   *     runtime, whose volumes exist only as PersistentVolumes
   * @param mounted whether the pod has mounted the claim already: a claim being deleted (held by
   *     {@code kubernetes.io/pvc-protection} while pods use it) is refused only to pods that have
   *     not, as the kubelet refuses to start a pod on it but leaves running ones alone
   */
  public Source source(String claimName, boolean checkFiles, boolean mounted) {
    String pvc = "persistentvolumeclaim \"" + claimName + "\"";
    if (claim == null) {
      return error(pvc + " not found");
    }
    if (claim.getMetadata().getDeletionTimestamp() != null && !mounted) {
      return error(pvc + " is being deleted");
    }
    String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if (volumeName == null || volumeName.isEmpty() || !"Bound".equals(phase)) {
      return error(pvc + " is not bound");
    }
    String pv = "persistentvolume \"" + volumeName + "\"";
    if (volume == null) {
      return error(pv + " not found");
    }
    var ref = volume.getSpec().getClaimRef();
    if (ref == null || !claim.getMetadata().getUid().equals(ref.getUid())) {
      return error(pv + " is not bound to " + pvc);
    }
    if ("Block".equals(volume.getSpec().getVolumeMode())) {
      return error(pv + " has volumeMode Block, which this node does not support");
    }
    if (volume.getSpec().getLocal() != null) {
      String path = volume.getSpec().getLocal().getPath();
      if (path == null || checkFiles && !Files.exists(Path.of(path))) {
        return error(pv + ": path \"" + path + "\" does not exist");
      }
      return new Source(path, null);
    }
    if (volume.getSpec().getHostPath() != null) {
      String path = volume.getSpec().getHostPath().getPath();
      String error =
          checkFiles ? HostPathCheck.check(path, volume.getSpec().getHostPath().getType()) : null;
      return error == null ? new Source(path, null) : error(pv + ": " + error);
    }
    return error(pv + ": volume type is not supported by this node (local and hostPath are)");
  }

  private static Source error(String why) {
    return new Source(null, why);
  }
}
