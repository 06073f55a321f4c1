package io.nauta.api.admission.podsecurity;

import static io.nauta.api.admission.podsecurity.Check.from;
import static io.nauta.api.admission.podsecurity.Check.restricted;
import static io.nauta.api.admission.podsecurity.PodContainers.containers;
import static io.nauta.api.admission.podsecurity.PodContainers.isWindows;
import static io.nauta.api.admission.podsecurity.PodContainers.joinQuote;
import static io.nauta.api.admission.podsecurity.PodContainers.nonNull;
import static io.nauta.api.admission.podsecurity.PodContainers.pluralize;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The restricted level's checks, as Kubernetes 1.33's {@code pod-security-admission/policy} has
 * them: pod hardening best practices on top of baseline. Three supersede a baseline check at the
 * restricted level ({@code capabilities_restricted}, {@code restrictedVolumes}, {@code
 * seccompProfile_restricted}); from 1.25 on, Windows pods ({@code spec.os.name: windows}) are not
 * asked for Linux-only settings.
 */
final class RestrictedChecks {

  private RestrictedChecks() {}

  static List<Check> all() {
    return List.of(
        allowPrivilegeEscalation(),
        capabilitiesRestricted(),
        restrictedVolumes(),
        runAsNonRoot(),
        runAsUser(),
        seccompProfileRestricted());
  }

  private static Check.PodCheck exceptWindows(Check.PodCheck check) {
    return (m, s) -> isWindows(s) ? CheckResult.allow() : check.check(m, s);
  }

  // ---- allowPrivilegeEscalation

  static Check allowPrivilegeEscalation() {
    return restricted(
        "allowPrivilegeEscalation",
        from(8, RestrictedChecks::allowPrivilegeEscalation),
        from(25, exceptWindows(RestrictedChecks::allowPrivilegeEscalation)));
  }

  static CheckResult allowPrivilegeEscalation(ObjectMeta meta, PodSpec spec) {
    List<String> bad = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc == null
          || sc.getAllowPrivilegeEscalation() == null
          || sc.getAllowPrivilegeEscalation()) {
        bad.add(c.name());
      }
    }
    if (bad.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "allowPrivilegeEscalation != false",
        containers(bad) + " must set securityContext.allowPrivilegeEscalation=false");
  }

  // ---- capabilities_restricted

  static Check capabilitiesRestricted() {
    return restricted(
        "capabilities_restricted",
        from(22, RestrictedChecks::capabilitiesRestricted, BaselineChecks.CAPABILITIES_BASELINE),
        from(
            25,
            exceptWindows(RestrictedChecks::capabilitiesRestricted),
            BaselineChecks.CAPABILITIES_BASELINE));
  }

  static CheckResult capabilitiesRestricted(ObjectMeta meta, PodSpec spec) {
    List<String> missingDropAll = new ArrayList<>();
    List<String> addingForbidden = new ArrayList<>();
    TreeSet<String> forbiddenCapabilities = new TreeSet<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc == null || sc.getCapabilities() == null) {
        missingDropAll.add(c.name());
        continue;
      }
      if (!nonNull(sc.getCapabilities().getDrop()).contains("ALL")) {
        missingDropAll.add(c.name());
      }
      boolean added = false;
      for (String cap : nonNull(sc.getCapabilities().getAdd())) {
        if (!"NET_BIND_SERVICE".equals(cap)) {
          added = true;
          forbiddenCapabilities.add(cap);
        }
      }
      if (added) {
        addingForbidden.add(c.name());
      }
    }
    List<String> details = new ArrayList<>();
    if (!missingDropAll.isEmpty()) {
      details.add(
          containers(missingDropAll) + " must set securityContext.capabilities.drop=[\"ALL\"]");
    }
    if (!addingForbidden.isEmpty()) {
      details.add(
          containers(addingForbidden)
              + " must not include "
              + joinQuote(forbiddenCapabilities)
              + " in securityContext.capabilities.add");
    }
    if (details.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden("unrestricted capabilities", String.join("; ", details));
  }

  // ---- restrictedVolumes

  static Check restrictedVolumes() {
    return restricted(
        "restrictedVolumes",
        from(0, RestrictedChecks::restrictedVolumes, BaselineChecks.HOST_PATH_VOLUMES));
  }

  static CheckResult restrictedVolumes(ObjectMeta meta, PodSpec spec) {
    List<String> badVolumes = new ArrayList<>();
    TreeSet<String> badTypes = new TreeSet<>();
    for (Volume v : nonNull(spec.getVolumes())) {
      if (v.getConfigMap() != null
          || v.getCsi() != null
          || v.getDownwardAPI() != null
          || v.getEmptyDir() != null
          || v.getEphemeral() != null
          || v.getImage() != null
          || v.getPersistentVolumeClaim() != null
          || v.getProjected() != null
          || v.getSecret() != null) {
        continue;
      }
      badVolumes.add(v.getName());
      badTypes.add(restrictedType(v));
    }
    if (badVolumes.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "restricted volume types",
        pluralize("volume", "volumes", badVolumes.size())
            + " "
            + joinQuote(badVolumes)
            + " "
            + pluralize("uses", "use", badVolumes.size())
            + " "
            + pluralize("restricted volume type", "restricted volume types", badTypes.size())
            + " "
            + joinQuote(badTypes));
  }

  private static String restrictedType(Volume v) {
    if (v.getHostPath() != null) {
      return "hostPath";
    } else if (v.getGcePersistentDisk() != null) {
      return "gcePersistentDisk";
    } else if (v.getAwsElasticBlockStore() != null) {
      return "awsElasticBlockStore";
    } else if (v.getGitRepo() != null) {
      return "gitRepo";
    } else if (v.getNfs() != null) {
      return "nfs";
    } else if (v.getIscsi() != null) {
      return "iscsi";
    } else if (v.getGlusterfs() != null) {
      return "glusterfs";
    } else if (v.getRbd() != null) {
      return "rbd";
    } else if (v.getFlexVolume() != null) {
      return "flexVolume";
    } else if (v.getCinder() != null) {
      return "cinder";
    } else if (v.getCephfs() != null) {
      return "cephfs";
    } else if (v.getFlocker() != null) {
      return "flocker";
    } else if (v.getFc() != null) {
      return "fc";
    } else if (v.getAzureFile() != null) {
      return "azureFile";
    } else if (v.getVsphereVolume() != null) {
      return "vsphereVolume";
    } else if (v.getQuobyte() != null) {
      return "quobyte";
    } else if (v.getAzureDisk() != null) {
      return "azureDisk";
    } else if (v.getPhotonPersistentDisk() != null) {
      return "photonPersistentDisk";
    } else if (v.getPortworxVolume() != null) {
      return "portworxVolume";
    } else if (v.getScaleIO() != null) {
      return "scaleIO";
    } else if (v.getStorageos() != null) {
      return "storageos";
    }
    return "unknown";
  }

  // ---- runAsNonRoot

  static Check runAsNonRoot() {
    return restricted("runAsNonRoot", from(0, RestrictedChecks::runAsNonRoot));
  }

  static CheckResult runAsNonRoot(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    boolean podRunAsNonRoot = false;
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getRunAsNonRoot() != null) {
      if (!psc.getRunAsNonRoot()) {
        badSetters.add("pod");
      } else {
        podRunAsNonRoot = true;
      }
    }
    List<String> explicitlyBad = new ArrayList<>();
    List<String> implicitlyBad = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null && sc.getRunAsNonRoot() != null) {
        if (!sc.getRunAsNonRoot()) {
          explicitlyBad.add(c.name());
        }
      } else if (!podRunAsNonRoot) {
        implicitlyBad.add(c.name());
      }
    }
    if (!explicitlyBad.isEmpty()) {
      badSetters.add(containers(explicitlyBad));
    }
    if (!badSetters.isEmpty()) {
      return CheckResult.forbidden(
          "runAsNonRoot != true",
          String.join(" and ", badSetters) + " must not set securityContext.runAsNonRoot=false");
    }
    if (!implicitlyBad.isEmpty()) {
      return CheckResult.forbidden(
          "runAsNonRoot != true",
          "pod or " + containers(implicitlyBad) + " must set securityContext.runAsNonRoot=true");
    }
    return CheckResult.allow();
  }

  // ---- runAsUser

  static Check runAsUser() {
    return restricted("runAsUser", from(23, RestrictedChecks::runAsUser));
  }

  static CheckResult runAsUser(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      badSetters.add("pod");
    }
    List<String> bad = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        bad.add(c.name());
      }
    }
    if (!bad.isEmpty()) {
      badSetters.add(containers(bad));
    }
    if (badSetters.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "runAsUser=0", String.join(" and ", badSetters) + " must not set runAsUser=0");
  }

  // ---- seccompProfile_restricted

  static Check seccompProfileRestricted() {
    return restricted(
        "seccompProfile_restricted",
        from(
            19,
            RestrictedChecks::seccompProfileRestricted,
            BaselineChecks.SECCOMP_PROFILE_BASELINE),
        from(
            25,
            exceptWindows(RestrictedChecks::seccompProfileRestricted),
            BaselineChecks.SECCOMP_PROFILE_BASELINE));
  }

  static CheckResult seccompProfileRestricted(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badValues = new TreeSet<>();
    boolean podSet = false;
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getSeccompProfile() != null) {
      String type = psc.getSeccompProfile().getType();
      if (!BaselineChecks.validSeccomp(type)) {
        badSetters.add("pod");
        badValues.add(type == null ? "" : type);
      } else {
        podSet = true;
      }
    }
    List<String> explicitlyBad = new ArrayList<>();
    List<String> implicitlyBad = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null && sc.getSeccompProfile() != null) {
        String type = sc.getSeccompProfile().getType();
        if (!BaselineChecks.validSeccomp(type)) {
          explicitlyBad.add(c.name());
          badValues.add(type == null ? "" : type);
        }
      } else if (!podSet) {
        implicitlyBad.add(c.name());
      }
    }
    if (!explicitlyBad.isEmpty()) {
      badSetters.add(containers(explicitlyBad));
    }
    if (!badSetters.isEmpty()) {
      return CheckResult.forbidden(
          "seccompProfile",
          String.join(" and ", badSetters)
              + " must not set securityContext.seccompProfile.type to "
              + joinQuote(badValues));
    }
    if (!implicitlyBad.isEmpty()) {
      return CheckResult.forbidden(
          "seccompProfile",
          "pod or "
              + containers(implicitlyBad)
              + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
              + " \"Localhost\"");
    }
    return CheckResult.allow();
  }
}
