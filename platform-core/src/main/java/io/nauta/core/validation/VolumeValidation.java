package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Volume;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pod volumes: unique DNS-label names, each with exactly one source. */
final class VolumeValidation {

  private VolumeValidation() {}

  static List<FieldError> validate(List<Volume> volumes, String field) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      String path = field + "[" + i + "]";
      errs.addAll(source(v, path));
      String name = v.getName();
      if (name == null || name.isEmpty()) {
        errs.add(FieldError.required(path + ".name", ""));
      } else {
        for (String msg : NameValidation.dns1123Label(name)) {
          errs.add(FieldError.invalid(path + ".name", name, msg));
        }
        if (!names.add(name)) {
          errs.add(FieldError.duplicate(path + ".name", name));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> source(Volume v, String path) {
    List<FieldError> errs = new ArrayList<>();
    List<String> set = new ArrayList<>();
    sources(v)
        .forEach(
            (name, source) -> {
              if (source != null) {
                set.add(name);
              }
            });
    if (set.isEmpty()) {
      errs.add(FieldError.required(path, "must specify a volume type"));
      return errs;
    }
    for (String extra : set.subList(1, set.size())) {
      errs.add(FieldError.forbidden(path + "." + extra, "may not specify more than 1 volume type"));
    }
    // The references a pod cannot start without.
    if (v.getConfigMap() != null && MetadataValidation.isEmpty(v.getConfigMap().getName())) {
      errs.add(FieldError.required(path + ".configMap.name", ""));
    }
    if (v.getSecret() != null && MetadataValidation.isEmpty(v.getSecret().getSecretName())) {
      errs.add(FieldError.required(path + ".secret.secretName", ""));
    }
    if (v.getPersistentVolumeClaim() != null
        && MetadataValidation.isEmpty(v.getPersistentVolumeClaim().getClaimName())) {
      errs.add(FieldError.required(path + ".persistentVolumeClaim.claimName", ""));
    }
    if (v.getHostPath() != null && MetadataValidation.isEmpty(v.getHostPath().getPath())) {
      errs.add(FieldError.required(path + ".hostPath.path", ""));
    }
    return errs;
  }

  // In Kubernetes' order, so "more than 1" lands on the same field it would there.
  private static Map<String, Object> sources(Volume v) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("hostPath", v.getHostPath());
    s.put("emptyDir", v.getEmptyDir());
    s.put("gitRepo", v.getGitRepo());
    s.put("gcePersistentDisk", v.getGcePersistentDisk());
    s.put("awsElasticBlockStore", v.getAwsElasticBlockStore());
    s.put("secret", v.getSecret());
    s.put("nfs", v.getNfs());
    s.put("iscsi", v.getIscsi());
    s.put("glusterfs", v.getGlusterfs());
    s.put("flocker", v.getFlocker());
    s.put("persistentVolumeClaim", v.getPersistentVolumeClaim());
    s.put("rbd", v.getRbd());
    s.put("flexVolume", v.getFlexVolume());
    s.put("cinder", v.getCinder());
    s.put("cephfs", v.getCephfs());
    s.put("downwardAPI", v.getDownwardAPI());
    s.put("fc", v.getFc());
    s.put("azureFile", v.getAzureFile());
    s.put("configMap", v.getConfigMap());
    s.put("vsphereVolume", v.getVsphereVolume());
    s.put("quobyte", v.getQuobyte());
    s.put("azureDisk", v.getAzureDisk());
    s.put("photonPersistentDisk", v.getPhotonPersistentDisk());
    s.put("portworxVolume", v.getPortworxVolume());
    s.put("scaleIO", v.getScaleIO());
    s.put("projected", v.getProjected());
    s.put("storageos", v.getStorageos());
    s.put("csi", v.getCsi());
    s.put("ephemeral", v.getEphemeral());
    s.put("image", v.getImage());
    return s;
  }
}
