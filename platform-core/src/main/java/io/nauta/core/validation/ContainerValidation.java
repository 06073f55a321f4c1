package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules every container follows, whether regular or init (Kubernetes' common checks). */
final class ContainerValidation {

  private ContainerValidation() {}

  static List<FieldError> validate(Container c, Set<String> volumeNames, String field) {
    List<FieldError> errs = new ArrayList<>();
    String name = c.getName();
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required(field + ".name", ""));
    } else {
      for (String msg : NameValidation.dns1123Label(name)) {
        errs.add(FieldError.invalid(field + ".name", name, msg));
      }
    }
    if (c.getImage() == null || c.getImage().isBlank()) {
      errs.add(FieldError.required(field + ".image", ""));
    }
    errs.addAll(ports(MetadataValidation.orEmpty(c.getPorts()), field + ".ports"));
    errs.addAll(env(MetadataValidation.orEmpty(c.getEnv()), field + ".env"));
    errs.addAll(ResourceValidation.validate(c.getResources(), field + ".resources"));
    errs.addAll(
        mounts(
            MetadataValidation.orEmpty(c.getVolumeMounts()), volumeNames, field + ".volumeMounts"));
    return errs;
  }

  // Port names must be unique within a container: Services refer to them by name.
  private static List<FieldError> ports(List<ContainerPort> ports, String field) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ContainerPort p = ports.get(i);
      String path = field + "[" + i + "]";
      String name = p.getName();
      if (name != null && !name.isEmpty()) {
        List<String> msgs = NameValidation.portName(name);
        if (!msgs.isEmpty()) {
          msgs.forEach(m -> errs.add(FieldError.invalid(path + ".name", name, m)));
        } else if (!names.add(name)) {
          errs.add(FieldError.duplicate(path + ".name", name));
        }
      }
      if (p.getContainerPort() == null || p.getContainerPort() == 0) {
        errs.add(FieldError.required(path + ".containerPort", ""));
      } else {
        errs.addAll(NetworkValidation.portNumber(path + ".containerPort", p.getContainerPort()));
      }
      if (p.getHostPort() != null && p.getHostPort() != 0) {
        errs.addAll(NetworkValidation.portNumber(path + ".hostPort", p.getHostPort()));
      }
      errs.addAll(NetworkValidation.protocol(path + ".protocol", p.getProtocol()));
    }
    return errs;
  }

  private static List<FieldError> env(List<EnvVar> vars, String field) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      EnvVar v = vars.get(i);
      String path = field + "[" + i + "]";
      if (v.getName() == null || v.getName().isEmpty()) {
        errs.add(FieldError.required(path + ".name", ""));
      } else {
        for (String msg : NameValidation.envVarName(v.getName())) {
          errs.add(FieldError.invalid(path + ".name", v.getName(), msg));
        }
      }
      errs.addAll(valueFrom(v, path + ".valueFrom"));
    }
    return errs;
  }

  private static List<FieldError> valueFrom(EnvVar v, String field) {
    List<FieldError> errs = new ArrayList<>();
    EnvVarSource from = v.getValueFrom();
    if (from == null) {
      return errs;
    }
    int sources = 0;
    if (from.getFieldRef() != null) {
      sources++;
      if (MetadataValidation.isEmpty(from.getFieldRef().getFieldPath())) {
        errs.add(FieldError.required(field + ".fieldRef.fieldPath", ""));
      }
    }
    if (from.getResourceFieldRef() != null) {
      sources++;
      if (MetadataValidation.isEmpty(from.getResourceFieldRef().getResource())) {
        errs.add(FieldError.required(field + ".resourceFieldRef.resource", ""));
      }
    }
    if (from.getConfigMapKeyRef() != null) {
      sources++;
      errs.addAll(
          keyRef(
              from.getConfigMapKeyRef().getName(),
              from.getConfigMapKeyRef().getKey(),
              field + ".configMapKeyRef"));
    }
    if (from.getSecretKeyRef() != null) {
      sources++;
      errs.addAll(
          keyRef(
              from.getSecretKeyRef().getName(),
              from.getSecretKeyRef().getKey(),
              field + ".secretKeyRef"));
    }
    if (from.getFileKeyRef() != null) {
      sources++;
    }
    if (sources == 0) {
      errs.add(
          FieldError.invalid(
              field,
              "",
              "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or"
                  + " `secretKeyRef`"));
    } else if (v.getValue() != null && !v.getValue().isEmpty()) {
      errs.add(FieldError.invalid(field, "", "may not be specified when `value` is not empty"));
    } else if (sources > 1) {
      errs.add(
          FieldError.invalid(field, "", "may not have more than one field specified at a time"));
    }
    return errs;
  }

  private static List<FieldError> keyRef(String name, String key, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (key == null || key.isEmpty()) {
      errs.add(FieldError.required(field + ".key", ""));
    } else {
      for (String msg : NameValidation.configMapKey(key)) {
        errs.add(FieldError.invalid(field + ".key", key, msg));
      }
    }
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required(field + ".name", ""));
    }
    return errs;
  }

  private static List<FieldError> mounts(
      List<VolumeMount> mounts, Set<String> volumeNames, String field) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> mountPaths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      String path = field + "[" + i + "]";
      if (MetadataValidation.isEmpty(m.getName())) {
        errs.add(FieldError.required(path + ".name", ""));
      } else if (!volumeNames.contains(m.getName())) {
        // Kubernetes reports this as "Not found"; FieldError has no such type yet.
        errs.add(
            FieldError.invalid(path + ".name", m.getName(), "must match the name of a volume"));
      }
      if (MetadataValidation.isEmpty(m.getMountPath())) {
        errs.add(FieldError.required(path + ".mountPath", ""));
      } else if (!mountPaths.add(m.getMountPath())) {
        errs.add(FieldError.invalid(path + ".mountPath", m.getMountPath(), "must be unique"));
      }
    }
    return errs;
  }
}
