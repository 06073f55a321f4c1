package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.selector.LabelSelector;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which volume suits a claim, by the rules of Kubernetes' {@code FindMatchingVolume} and the PV
 * controller's access-mode index: a volume pre-bound to the claim (its {@code claimRef} names the
 * claim, with the claim's uid or none) wins when it is big enough; otherwise, unless binding waits
 * for the first consumer, the Available unclaimed volume of the claim's class whose labels the
 * claim's selector matches, whose access modes include the claim's (fewest modes first, as upstream
 * walks its index) and whose capacity is the smallest at least the request. A volume being deleted
 * or of another volumeMode never matches.
 */
public final class VolumeMatching {

  static final String STORAGE = "storage";
  static final String FILESYSTEM = "Filesystem";

  private VolumeMatching() {}

  /** The best volume for {@code claim} among {@code volumes}, if any. */
  public static Optional<PersistentVolume> bestMatch(
      PersistentVolumeClaim claim, List<PersistentVolume> volumes, boolean delayBinding) {
    BigDecimal requested = requested(claim);
    LabelSelector selector =
        claim.getSpec().getSelector() == null
            ? null
            : LabelSelector.fromModel(claim.getSpec().getSelector());
    String requestedClass = claimClass(claim);
    PersistentVolume best = null;
    for (PersistentVolume volume : volumes) {
      if (volumeModeMismatch(claim, volume)
          || volume.getMetadata().getDeletionTimestamp() != null
          || !accessModesSatisfied(claim, volume)) {
        continue;
      }
      BigDecimal capacity = capacity(volume);
      if (isBoundToClaim(volume, claim)) {
        if (capacity.compareTo(requested) >= 0) {
          return Optional.of(volume);
        }
        continue;
      }
      if (delayBinding
          || !"Available".equals(phase(volume))
          || volume.getSpec().getClaimRef() != null
          || (selector != null && !selector.matches(labels(volume)))
          || !requestedClass.equals(volumeClass(volume))
          || capacity.compareTo(requested) < 0) {
        continue;
      }
      if (best == null || BETTER.compare(volume, best) < 0) {
        best = volume;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Fewest access modes (upstream's index order), then smallest capacity, then name. */
  private static final Comparator<PersistentVolume> BETTER =
      Comparator.<PersistentVolume>comparingInt(v -> new HashSet<>(volumeAccessModes(v)).size())
          .thenComparing(VolumeMatching::capacity)
          .thenComparing(v -> v.getMetadata().getName());

  /**
   * Why {@code volume} cannot serve {@code claim} that asked for it by name (upstream's {@code
   * checkVolumeSatisfyClaim}), or empty when it can.
   */
  public static Optional<String> unsatisfied(PersistentVolume volume, PersistentVolumeClaim claim) {
    if (volume.getMetadata().getDeletionTimestamp() != null) {
      return Optional.of(
          "the volume is marked for deletion \"" + volume.getMetadata().getName() + "\"");
    }
    if (capacity(volume).compareTo(requested(claim)) < 0) {
      return Optional.of("requested PV is too small");
    }
    if (!claimClass(claim).equals(volumeClass(volume))) {
      return Optional.of("storageClassName does not match");
    }
    if (volumeModeMismatch(claim, volume)) {
      return Optional.of("incompatible volumeMode");
    }
    if (!accessModesSatisfied(claim, volume)) {
      return Optional.of("incompatible accessMode");
    }
    return Optional.empty();
  }

  /**
   * Whether the volume is pre-bound or bound to this claim: same namespace and name, and the
   * claim's uid unless the reference has none.
   */
  public static boolean isBoundToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
    ObjectReference ref = volume.getSpec().getClaimRef();
    if (ref == null) {
      return false;
    }
    if (!Objects.equals(claim.getMetadata().getName(), ref.getName())
        || !Objects.equals(claim.getMetadata().getNamespace(), ref.getNamespace())) {
      return false;
    }
    return blank(ref.getUid()) || Objects.equals(ref.getUid(), claim.getMetadata().getUid());
  }

  public static boolean accessModesSatisfied(PersistentVolumeClaim claim, PersistentVolume volume) {
    Set<String> offered = new HashSet<>(volumeAccessModes(volume));
    return offered.containsAll(claimAccessModes(claim));
  }

  /** volumeMode differs, an absent one counting as Filesystem. */
  public static boolean volumeModeMismatch(PersistentVolumeClaim claim, PersistentVolume volume) {
    String wanted = Objects.requireNonNullElse(claim.getSpec().getVolumeMode(), FILESYSTEM);
    String offered = Objects.requireNonNullElse(volume.getSpec().getVolumeMode(), FILESYSTEM);
    return !wanted.equals(offered);
  }

  /** The claim's class: {@code spec.storageClassName}, else the beta annotation, else "". */
  public static String claimClass(PersistentVolumeClaim claim) {
    String beta = annotation(claim.getMetadata().getAnnotations(), BETA_CLASS);
    if (beta != null) {
      return beta;
    }
    return Objects.requireNonNullElse(claim.getSpec().getStorageClassName(), "");
  }

  /** Whether the claim names a class at all (a nil class is not the same as ""). */
  public static boolean claimHasClass(PersistentVolumeClaim claim) {
    return annotation(claim.getMetadata().getAnnotations(), BETA_CLASS) != null
        || claim.getSpec().getStorageClassName() != null;
  }

  public static String volumeClass(PersistentVolume volume) {
    String beta = annotation(volume.getMetadata().getAnnotations(), BETA_CLASS);
    if (beta != null) {
      return beta;
    }
    return Objects.requireNonNullElse(volume.getSpec().getStorageClassName(), "");
  }

  static final String BETA_CLASS = "volume.beta.kubernetes.io/storage-class";

  public static BigDecimal requested(PersistentVolumeClaim claim) {
    Map<String, Quantity> requests =
        claim.getSpec().getResources() == null
            ? null
            : claim.getSpec().getResources().getRequests();
    return bytes(requests == null ? null : requests.get(STORAGE));
  }

  public static BigDecimal capacity(PersistentVolume volume) {
    Map<String, Quantity> capacity = volume.getSpec().getCapacity();
    return bytes(capacity == null ? null : capacity.get(STORAGE));
  }

  private static BigDecimal bytes(Quantity q) {
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  static String phase(PersistentVolume volume) {
    return volume.getStatus() == null ? null : volume.getStatus().getPhase();
  }

  private static List<String> claimAccessModes(PersistentVolumeClaim claim) {
    List<String> modes = claim.getSpec().getAccessModes();
    return modes == null ? List.of() : modes;
  }

  private static List<String> volumeAccessModes(PersistentVolume volume) {
    List<String> modes = volume.getSpec().getAccessModes();
    return modes == null ? List.of() : modes;
  }

  private static Map<String, String> labels(PersistentVolume volume) {
    Map<String, String> l = volume.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  static String annotation(Map<String, String> annotations, String key) {
    return annotations == null ? null : annotations.get(key);
  }

  static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
