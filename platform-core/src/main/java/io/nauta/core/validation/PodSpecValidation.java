package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A pod spec, wherever it appears: in a Pod ({@code spec}) or in a workload's template ({@code
 * spec.template.spec}). Field paths are built from the prefix the caller gives.
 */
public final class PodSpecValidation {

  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  static final List<String> DNS_POLICIES =
      List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final String INIT_ONLY_WITH_RESTART =
      "may not be set for init containers without restartPolicy=Always";

  private PodSpecValidation() {}

  public static List<FieldError> validate(PodSpec spec, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (spec == null) {
      errs.add(FieldError.required(field + ".containers", ""));
      return errs;
    }
    List<Volume> volumes = MetadataValidation.orEmpty(spec.getVolumes());
    errs.addAll(VolumeValidation.validate(volumes, field + ".volumes"));
    Set<String> volumeNames = new HashSet<>();
    volumes.forEach(v -> volumeNames.add(v.getName()));

    List<Container> containers = MetadataValidation.orEmpty(spec.getContainers());
    Set<String> names = new HashSet<>();
    if (containers.isEmpty()) {
      errs.add(FieldError.required(field + ".containers", ""));
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String path = field + ".containers[" + i + "]";
      errs.addAll(ContainerValidation.validate(c, volumeNames, path));
      if (!names.add(Objects.toString(c.getName(), ""))) {
        errs.add(FieldError.duplicate(path + ".name", c.getName()));
      }
      errs.addAll(ProbeValidation.validate(c.getLivenessProbe(), path + ".livenessProbe", true));
      errs.addAll(ProbeValidation.validate(c.getReadinessProbe(), path + ".readinessProbe", false));
      errs.addAll(ProbeValidation.validate(c.getStartupProbe(), path + ".startupProbe", true));
    }
    errs.addAll(initContainers(spec, volumeNames, names, field + ".initContainers"));
    errs.addAll(hostPorts(spec, field));

    errs.addAll(
        EnumValidation.oneOf(field + ".restartPolicy", spec.getRestartPolicy(), RESTART_POLICIES));
    errs.addAll(EnumValidation.oneOf(field + ".dnsPolicy", spec.getDnsPolicy(), DNS_POLICIES));
    if ("None".equals(spec.getDnsPolicy()) && spec.getDnsConfig() == null) {
      errs.add(
          FieldError.required(
              field + ".dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"));
    }
    errs.addAll(
        MetadataValidation.nonNegative(
            field + ".terminationGracePeriodSeconds", spec.getTerminationGracePeriodSeconds()));
    Long deadline = spec.getActiveDeadlineSeconds();
    if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
      errs.add(
          FieldError.invalid(
              field + ".activeDeadlineSeconds",
              deadline,
              NetworkValidation.inclusiveRange(1, Integer.MAX_VALUE)));
    }
    errs.addAll(
        TolerationValidation.tolerations(
            MetadataValidation.orEmpty(spec.getTolerations()), field + ".tolerations"));
    errs.addAll(MetadataValidation.labels(spec.getNodeSelector(), field + ".nodeSelector"));
    errs.addAll(subdomain(field + ".serviceAccountName", spec.getServiceAccountName()));
    errs.addAll(subdomain(field + ".nodeName", spec.getNodeName()));
    errs.addAll(label(field + ".hostname", spec.getHostname()));
    errs.addAll(label(field + ".subdomain", spec.getSubdomain()));
    return errs;
  }

  // Init containers share the name space of regular containers (both appear in pod status).
  private static List<FieldError> initContainers(
      PodSpec spec, Set<String> volumeNames, Set<String> containerNames, String field) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>(containerNames);
    List<Container> inits = MetadataValidation.orEmpty(spec.getInitContainers());
    for (int i = 0; i < inits.size(); i++) {
      Container c = inits.get(i);
      String path = field + "[" + i + "]";
      errs.addAll(ContainerValidation.validate(c, volumeNames, path));
      String restart = c.getRestartPolicy();
      errs.addAll(EnumValidation.oneOf(path + ".restartPolicy", restart, List.of("Always")));
      if (names.contains(c.getName())) {
        errs.add(FieldError.duplicate(path + ".name", c.getName()));
      } else if (!MetadataValidation.isEmpty(c.getName())) {
        names.add(c.getName());
      }
      if ("Always".equals(restart)) {
        // A restartable init container is a sidecar, which may be probed like any container.
        errs.addAll(ProbeValidation.validate(c.getLivenessProbe(), path + ".livenessProbe", true));
        errs.addAll(
            ProbeValidation.validate(c.getReadinessProbe(), path + ".readinessProbe", false));
        errs.addAll(ProbeValidation.validate(c.getStartupProbe(), path + ".startupProbe", true));
      } else {
        if (c.getLifecycle() != null) {
          errs.add(FieldError.forbidden(path + ".lifecycle", INIT_ONLY_WITH_RESTART));
        }
        if (c.getLivenessProbe() != null) {
          errs.add(FieldError.forbidden(path + ".livenessProbe", INIT_ONLY_WITH_RESTART));
        }
        if (c.getReadinessProbe() != null) {
          errs.add(FieldError.forbidden(path + ".readinessProbe", INIT_ONLY_WITH_RESTART));
        }
        if (c.getStartupProbe() != null) {
          errs.add(FieldError.forbidden(path + ".startupProbe", INIT_ONLY_WITH_RESTART));
        }
      }
    }
    return errs;
  }

  // Two containers cannot bind the same host port: the pod could never run.
  private static List<FieldError> hostPorts(PodSpec spec, String field) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Container> containers = MetadataValidation.orEmpty(spec.getContainers());
    for (int i = 0; i < containers.size(); i++) {
      List<ContainerPort> ports = MetadataValidation.orEmpty(containers.get(i).getPorts());
      for (int j = 0; j < ports.size(); j++) {
        ContainerPort p = ports.get(j);
        if (p.getHostPort() == null || p.getHostPort() == 0) {
          continue;
        }
        String protocol = MetadataValidation.isEmpty(p.getProtocol()) ? "TCP" : p.getProtocol();
        String key = p.getHostPort() + "/" + protocol;
        if (!seen.add(key)) {
          errs.add(
              FieldError.duplicate(
                  field + ".containers[" + i + "].ports[" + j + "].hostPort", key));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> subdomain(String field, String value) {
    List<FieldError> errs = new ArrayList<>();
    if (value != null && !value.isEmpty()) {
      NameValidation.dns1123Subdomain(value)
          .forEach(m -> errs.add(FieldError.invalid(field, value, m)));
    }
    return errs;
  }

  private static List<FieldError> label(String field, String value) {
    List<FieldError> errs = new ArrayList<>();
    if (value != null && !value.isEmpty()) {
      NameValidation.dns1123Label(value)
          .forEach(m -> errs.add(FieldError.invalid(field, value, m)));
    }
    return errs;
  }
}
