package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumes (v1), as upstream's {@code ValidatePersistentVolume} and {@code
 * ValidatePersistentVolumeUpdate}: access modes, a storage capacity, a known reclaim policy and
 * volume mode, exactly one volume source (a {@code local} one with node affinity), and after
 * creation an unchanged source, volume mode and node affinity.
 */
public final class PersistentVolumeValidation implements Validator<PersistentVolume> {

  /** {@code sets.List(supportedReclaimPolicy)}. */
  static final List<String> RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");

  static final List<String> HOST_PATH_TYPES =
      List.of(
          "",
          "BlockDevice",
          "CharDevice",
          "Directory",
          "DirectoryOrCreate",
          "File",
          "FileOrCreate",
          "Socket");

  /** Spec fields that are not the volume source ({@code PersistentVolumeSource} is embedded). */
  private static final List<String> NOT_SOURCE =
      List.of(
          "accessModes",
          "capacity",
          "claimRef",
          "persistentVolumeReclaimPolicy",
          "storageClassName",
          "mountOptions",
          "volumeMode",
          "nodeAffinity",
          "volumeAttributesClassName");

  @Override
  public List<FieldError> validate(PersistentVolume pv) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(pv.getMetadata(), NameRule.DNS_SUBDOMAIN, false));
    PersistentVolumeSpec spec = pv.getSpec() == null ? new PersistentVolumeSpec() : pv.getSpec();
    errs.addAll(VolumeSpecs.accessModes(spec.getAccessModes(), "spec.accessModes", ""));
    errs.addAll(capacity(spec.getCapacity()));
    String policy = spec.getPersistentVolumeReclaimPolicy();
    if (policy != null && !policy.isEmpty() && !RECLAIM_POLICIES.contains(policy)) {
      errs.add(
          FieldError.notSupported(
              "spec.persistentVolumeReclaimPolicy",
              policy,
              EnumValidation.supported(RECLAIM_POLICIES)));
    }
    boolean affinity = spec.getNodeAffinity() != null;
    if (affinity) {
      if (spec.getNodeAffinity().getRequired() == null) {
        errs.add(
            FieldError.required(
                "spec.nodeAffinity.required", "must specify required node constraints"));
      } else {
        errs.addAll(
            VolumeSpecs.nodeSelector(
                spec.getNodeAffinity().getRequired(), "spec.nodeAffinity.required"));
      }
    }
    errs.addAll(source(spec, affinity));
    if (spec.getHostPath() != null
        && "/".equals(clean(spec.getHostPath().getPath()))
        && "Recycle".equals(policy)) {
      errs.add(
          FieldError.forbidden(
              "spec.persistentVolumeReclaimPolicy",
              "may not be 'recycle' for a hostPath mount of '/'"));
    }
    errs.addAll(VolumeSpecs.className(spec.getStorageClassName(), "spec.storageClassName"));
    errs.addAll(VolumeSpecs.volumeMode(spec.getVolumeMode(), "spec.volumeMode"));
    String vac = spec.getVolumeAttributesClassName();
    if (vac != null) {
      if (vac.isEmpty()) {
        errs.add(
            FieldError.required("spec.volumeAttributesClassName", "an empty string is disallowed"));
      } else {
        errs.addAll(VolumeSpecs.className(vac, "spec.volumeAttributesClassName"));
      }
      if (spec.getCsi() == null) {
        errs.add(
            FieldError.required(
                "spec.csi", "has to be specified when using volumeAttributesClassName"));
      }
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(PersistentVolume pv, PersistentVolume old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(pv, old));
    PersistentVolumeSpec now = pv.getSpec() == null ? new PersistentVolumeSpec() : pv.getSpec();
    PersistentVolumeSpec was = old.getSpec() == null ? new PersistentVolumeSpec() : old.getSpec();
    ObjectNode nowSource = source(now);
    ObjectNode wasSource = source(was);
    // Either may have been stored before its defaults were filled (as the status subresource
    // writes it back); Kubernetes fills them again whenever it reads.
    String wasMode = was.getVolumeMode() == null ? "Filesystem" : was.getVolumeMode();
    String nowMode = now.getVolumeMode() == null ? "Filesystem" : now.getVolumeMode();
    for (ObjectNode source : List.of(wasSource, nowSource)) {
      if (source.get("hostPath") instanceof ObjectNode hostPath && !hostPath.has("type")) {
        hostPath.put("type", "");
      }
    }
    // A CSI volume may gain a controllerExpandSecretRef.
    if (wasSource.path("csi").isObject()
        && !wasSource.path("csi").has("controllerExpandSecretRef")
        && nowSource.get("csi") instanceof ObjectNode csi) {
      csi.remove("controllerExpandSecretRef");
    }
    if (!nowSource.equals(wasSource)) {
      errs.add(
          FieldError.forbidden(
              "spec.persistentvolumesource",
              "spec.persistentvolumesource is immutable after creation\n"
                  + VolumeSpecs.diff("core.PersistentVolumeSource", wasSource, nowSource)));
    }
    if (!nowMode.equals(wasMode)) {
      errs.add(FieldError.immutable("volumeMode", now.getVolumeMode()));
    }
    if (was.getNodeAffinity() != null
        && !JsonComparison.same(now.getNodeAffinity(), was.getNodeAffinity())) {
      errs.add(
          FieldError.immutable(
              "nodeAffinity",
              now.getNodeAffinity() == null
                  ? null
                  : JsonComparison.tree(now.getNodeAffinity()).toString()));
    }
    if (was.getVolumeAttributesClassName() != null && now.getVolumeAttributesClassName() == null) {
      errs.add(
          FieldError.forbidden(
              "spec.volumeAttributesClassName", "update from non-nil value to nil is forbidden"));
    }
    return errs;
  }

  private static ObjectNode source(PersistentVolumeSpec spec) {
    ObjectNode tree = (ObjectNode) JsonComparison.tree(spec);
    NOT_SOURCE.forEach(tree::remove);
    return tree;
  }

  /** Exactly one of capacity's keys, {@code storage}, with a positive amount. */
  private static List<FieldError> capacity(Map<String, Quantity> capacity) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, Quantity> list = MetadataValidation.orEmpty(capacity);
    if (list.isEmpty()) {
      errs.add(FieldError.required("spec.capacity", ""));
    }
    if (!list.containsKey("storage") || list.size() > 1) {
      errs.add(
          FieldError.notSupported(
              "spec.capacity",
              resourceList(capacity),
              EnumValidation.supported(List.of("storage"))));
    }
    list.forEach((name, q) -> errs.addAll(VolumeSpecs.positive(q, "spec.capacity[" + name + "]")));
    return errs;
  }

  /**
   * A ResourceList as Go's {@code %#v} starts it, the quantities by their text. The model cannot
   * tell an absent list from an empty one; absent is what a client usually means.
   */
  private static GoValue resourceList(Map<String, Quantity> list) {
    if (list == null || list.isEmpty()) {
      return new GoValue("core.ResourceList(nil)");
    }
    StringBuilder sb = new StringBuilder("core.ResourceList{");
    new java.util.TreeMap<>(list)
        .forEach(
            (k, v) -> {
              if (sb.charAt(sb.length() - 1) != '{') {
                sb.append(", ");
              }
              sb.append(GoValue.quoted(k)).append(':').append(GoValue.quoted(String.valueOf(v)));
            });
    return new GoValue(sb.append('}').toString());
  }

  /** Exactly one source, in upstream's order, and the checks of the ones Nauta uses. */
  private static List<FieldError> source(PersistentVolumeSpec spec, boolean affinity) {
    List<FieldError> errs = new ArrayList<>();
    int count = 0;
    for (Map.Entry<String, Object> e : sources(spec).entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      // flexVolume is counted without the check, as upstream does
      if (count > 0 && !e.getKey().equals("flexVolume")) {
        errs.add(
            FieldError.forbidden("spec." + e.getKey(), "may not specify more than 1 volume type"));
        continue;
      }
      count++;
      String path = "spec." + e.getKey();
      switch (e.getKey()) {
        case "hostPath" -> errs.addAll(hostPath(spec.getHostPath(), path));
        case "local" -> {
          String p = spec.getLocal().getPath();
          if (p == null || p.isEmpty()) {
            errs.add(FieldError.required(path + ".path", ""));
          } else {
            errs.addAll(noBacksteps(p, path + ".path"));
          }
          if (!affinity) {
            errs.add(
                FieldError.required("spec.nodeAffinity", "Local volume requires node affinity"));
          }
        }
        case "nfs" -> errs.addAll(nfs(spec.getNfs(), path));
        case "csi" -> {
          String driver = Objects.toString(spec.getCsi().getDriver(), "");
          if (driver.isEmpty()) {
            errs.add(FieldError.required(path + ".driver", ""));
          }
          if (MetadataValidation.isEmpty(spec.getCsi().getVolumeHandle())) {
            errs.add(FieldError.required(path + ".volumeHandle", ""));
          }
        }
        default -> {}
      }
    }
    if (count == 0) {
      errs.add(FieldError.required("spec", "must specify a volume type"));
    }
    return errs;
  }

  private static List<FieldError> hostPath(HostPathVolumeSource hostPath, String path) {
    List<FieldError> errs = new ArrayList<>();
    String p = hostPath.getPath();
    if (p == null || p.isEmpty()) {
      errs.add(FieldError.required(path + ".path", ""));
      return errs;
    }
    errs.addAll(noBacksteps(p, path + ".path"));
    String type = hostPath.getType();
    if (type != null && !HOST_PATH_TYPES.contains(type)) {
      errs.add(
          FieldError.notSupported(path + ".type", type, EnumValidation.supported(HOST_PATH_TYPES)));
    }
    return errs;
  }

  private static List<FieldError> nfs(NFSVolumeSource nfs, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (MetadataValidation.isEmpty(nfs.getServer())) {
      errs.add(FieldError.required(path + ".server", ""));
    }
    String p = Objects.toString(nfs.getPath(), "");
    if (p.isEmpty()) {
      errs.add(FieldError.required(path + ".path", ""));
    }
    if (!p.startsWith("/")) {
      errs.add(FieldError.invalid(path + ".path", p, "must be an absolute path"));
    }
    return errs;
  }

  /** {@code validatePathNoBacksteps}: one error however many {@code ..} there are. */
  static List<FieldError> noBacksteps(String path, String field) {
    for (String part : path.split("/", -1)) {
      if (part.equals("..")) {
        return List.of(FieldError.invalid(field, path, "must not contain '..'"));
      }
    }
    return List.of();
  }

  /** Go's {@code path.Clean}, enough to tell whether a path is the root. */
  private static String clean(String path) {
    if (path == null || path.isEmpty()) {
      return ".";
    }
    String normalized = java.nio.file.Path.of(path).normalize().toString();
    return normalized.isEmpty() ? "." : normalized;
  }

  // In upstream's order, so "more than 1" lands on the same field it would there.
  private static Map<String, Object> sources(PersistentVolumeSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hostPath", s.getHostPath());
    m.put("gcePersistentDisk", s.getGcePersistentDisk());
    m.put("awsElasticBlockStore", s.getAwsElasticBlockStore());
    m.put("glusterfs", s.getGlusterfs());
    m.put("flocker", s.getFlocker());
    m.put("nfs", s.getNfs());
    m.put("rbd", s.getRbd());
    m.put("quobyte", s.getQuobyte());
    m.put("cephFS", s.getCephfs());
    m.put("iscsi", s.getIscsi());
    m.put("cinder", s.getCinder());
    m.put("fc", s.getFc());
    m.put("flexVolume", s.getFlexVolume());
    m.put("azureFile", s.getAzureFile());
    m.put("vsphereVolume", s.getVsphereVolume());
    m.put("photonPersistentDisk", s.getPhotonPersistentDisk());
    m.put("portworxVolume", s.getPortworxVolume());
    m.put("azureDisk", s.getAzureDisk());
    m.put("scaleIO", s.getScaleIO());
    m.put("local", s.getLocal());
    m.put("storageos", s.getStorageos());
    m.put("csi", s.getCsi());
    return m;
  }
}
